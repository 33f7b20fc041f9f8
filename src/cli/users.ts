import { createInterface } from "node:readline";
import { AccountError, ROLES, type Role, type UserStore } from "../accounts/users.js";

/** Reads a password: hidden on a terminal (asked twice), or the first line of stdin when piped. */
async function readPassword(prompt: string): Promise<string> {
  if (!process.stdin.isTTY) {
    const rl = createInterface({ input: process.stdin });
    for await (const line of rl) {
      rl.close();
      return line;
    }
    return "";
  }
  const ask = (question: string) =>
    new Promise<string>((resolve) => {
      process.stdout.write(question);
      const stdin = process.stdin;
      stdin.setRawMode(true);
      stdin.resume();
      let value = "";
      const onData = (chunk: Buffer) => {
        for (const ch of chunk.toString("utf8")) {
          if (ch === "\r" || ch === "\n") {
            stdin.setRawMode(false);
            stdin.pause();
            stdin.off("data", onData);
            process.stdout.write("\n");
            resolve(value);
            return;
          }
          if (ch === "\u0003") process.exit(130);
          value = ch === "\u007f" ? value.slice(0, -1) : value + ch;
        }
      };
      stdin.on("data", onData);
    });
  const first = await ask(prompt);
  const again = await ask("Again: ");
  if (first !== again) throw new AccountError("password: the two entries differ");
  return first;
}

/**
 * `dalil user add <login> --role <role> [--name "..."]`, `user list`, `user disable <login>`, `user enable <login>`,
 * `user password <login>`. Returns the exit code.
 */
export async function runUserCommand(users: UserStore, args: { action?: string; login?: string; role?: string; name?: string }, now: Date): Promise<number> {
  try {
    switch (args.action) {
      case "add": {
        if (!args.login) throw new AccountError("usage: user add <login> --role admin|staff|facilitator [--name \"Display name\"]");
        if (!ROLES.includes(args.role as Role)) throw new AccountError(`role: expected one of ${ROLES.join(", ")}`);
        const password = await readPassword(`Password for ${args.login} (at least 12 characters): `);
        const user = await users.create({ login: args.login, role: args.role as Role, password, ...(args.name ? { displayName: args.name } : {}) }, now);
        console.log(`Created ${user.login} (${user.role}).`);
        return 0;
      }
      case "list": {
        for (const u of await users.list()) console.log(`${u.login}\t${u.role}\t${u.disabled ? "disabled" : "active"}\t${u.displayName}\t${u.lastLoginAt?.toISOString() ?? "never signed in"}`);
        return 0;
      }
      case "disable":
      case "enable": {
        if (!args.login) throw new AccountError(`usage: user ${args.action} <login>`);
        await users.setDisabled(args.login, args.action === "disable");
        console.log(`${args.login} ${args.action}d.`);
        return 0;
      }
      case "password": {
        if (!args.login) throw new AccountError("usage: user password <login>");
        await users.setPassword(args.login, await readPassword(`New password for ${args.login}: `));
        console.log(`Password of ${args.login} changed; their sessions were closed.`);
        return 0;
      }
      default:
        throw new AccountError("usage: user add|list|disable|enable|password ...");
    }
  } catch (error) {
    if (error instanceof AccountError) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
