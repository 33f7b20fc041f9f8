import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { stringify as stringifyYaml } from "yaml";
import { directoryReview } from "./monitoring/directory-review.js";
import { hsdsImportContext, readHsds } from "./directory/hsds/import.js";
import { writeHsds } from "./directory/hsds/export.js";
import { formatIssue } from "./content/errors.js";
import { runTriageCommand } from "./cli/triage.js";
import { communePayload } from "./channels/telegram/deep-link.js";
import { inMemory, randomId, runTerminalChat } from "./channels/terminal.js";
import { startDalil } from "./app/dalil.js";
import { parseConfig } from "./config.js";
import { projectRoot } from "./content/files.js";
import { DirectoryStore } from "./store/directory-store.js";
import { UserStore } from "./accounts/users.js";
import { runUserCommand } from "./cli/users.js";
import { runReportCommand } from "./cli/report.js";
import { runCopyToPostgresCommand } from "./cli/copy-to-postgres.js";
import { openDatabase } from "./store/database.js";
import { createLogger } from "./logger.js";
import { ContentError, loadContent } from "./content/load.js";

const USAGE = `Usage: dalil <command> [options]

Commands:
  triage [--expect-place]   Read JSON lines {"text": "..."} on stdin, write the triage of each as a JSON line:
                            {"text", "language", "categories", "urgent", "place": {"code", "name", "region"} | null}
                            --expect-place reads each text as an answer to "where are you?" (typos tolerated)
  chat                      Talk to Dalil in the terminal (in memory, nothing stored)
  user add <login> --role admin|staff|facilitator [--name "Display name"]
                            Create a staff account (asks the password; reads it from stdin when piped)
  user list | disable <login> | enable <login> | password <login>
  report [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--by category,sex] [--region 09|name] [--province code]
         [--commune code] [--category code] [--channel web|telegram|whatsapp] [--format table|csv|json] [--hxl]
                            Requests counted by the dimensions (category sex age_band status channel language
                            region province commune outcome handoff_outcome month urgent service followup reason),
                            with small-cell suppression; --by service,outcome,sex: referrals by follow-up outcome
  hsds import <file.json | datapackage folder>
                            Import an Open Referral HSDS 3.0 directory (validated; nothing written if anything is wrong)
  hsds export <folder>      Write the directory as HSDS 3.0: hsds.json and a CSV datapackage
  export [--to <file.yaml>] Write the directory as the database holds it, in the import's format
  review                    The weekly directory review: unverified for six months, referrals to inactive services,
                            services people often could not reach (follow-ups)
  link <commune> [--bot <username>]
                            A Telegram deep link that opens Dalil with the commune known (for posters)
  import [--from <folder>]  Validate data/directory/*.yaml (or the folder's) and upsert it into the database by id,
                            in one transaction; says which records it replaced
  copy-to-postgres --to postgresql://... [--from file:./var/dalil.db]
                            Copy a SQLite deployment's data into a new PostgreSQL database (one transaction); then
                            set DALIL_SECRET to the content of var/secret.key
  send-failures [--days 7]  Messages that could not be delivered after the channels' retries, by channel and code
  jobs                      Run the scheduled jobs once: log abandoned requests, delete conversations past retention
  check                     Load and check every content file (flows, locales, data); print the problems
  help                      This text
`;

/** The `dalil` command line. Returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case "triage": {
      const { values } = parseArgs({ args: rest, options: { "expect-place": { type: "boolean", default: false } } });
      const { content } = loadContent();
      return runTriageCommand(content.triage, process.stdin, process.stdout, { expectingPlace: values["expect-place"] ?? false });
    }
    case "chat": {
      const { content, directory } = loadContent();
      await runTerminalChat(inMemory(() => ({ content, directory, now: new Date(), newId: randomId })), process.stdin, process.stdout);
      return 0;
    }
    case "import": {
      // Validates every data file first: a problem anywhere writes nothing and names the file, record and field.
      const { values } = parseArgs({ args: rest, options: { from: { type: "string" } } });
      const { directoryFiles } = loadContent(values.from ? { directoryDir: values.from } : {});
      const config = parseConfig(process.env);
      const db = await openDatabase(config.DATABASE_URL, { root: projectRoot() });
      try {
        const report = await new DirectoryStore(db.prisma).import(directoryFiles, new Date());
        console.log(`Imported ${report.organisations} organisations, ${report.locations} locations, ${report.services} services from ${directoryFiles.map((f) => f.file).join(", ")}.`);
        if (report.overwritten.length > 0) console.log(`Replaced what the database held for ${report.overwritten.length} records.`);
        for (const edit of report.adminEditsOverwritten) console.log(`  Overwrote the edit of ${edit.record} made by ${edit.by} on ${edit.at.toISOString().slice(0, 16).replace("T", " ")}.`);
      } finally {
        await db.close();
      }
      return 0;
    }
    case "copy-to-postgres":
      return runCopyToPostgresCommand(rest, process.env, projectRoot());
    case "jobs": {
      // Runs the scheduled jobs once (abandoned requests, retention) and prints what they did.
      const config = parseConfig(process.env);
      const logger = createLogger(config.LOG_LEVEL);
      const dalil = await startDalil(config, { root: projectRoot(), logger, jobs: false });
      try {
        const { abandonIdleRequests, purgeExpiredConversations } = await import("./app/jobs.js");
        console.log(`Abandoned requests logged: ${await abandonIdleRequests(dalil.jobDeps)}; conversations past retention deleted: ${await purgeExpiredConversations(dalil.jobDeps)}.`);
      } finally {
        await dalil.close();
      }
      return 0;
    }
    case "send-failures": {
      // Messages Dalil could not deliver after the channels' own retries, grouped (codes only).
      const { values } = parseArgs({ args: rest, options: { days: { type: "string", default: "7" } } });
      const days = Number(values.days);
      if (!Number.isInteger(days) || days < 1) {
        process.stderr.write(`--days: expected a whole number of days, received "${values.days}"\n`);
        return 1;
      }
      const config = parseConfig(process.env);
      const dalil = await startDalil(config, { root: projectRoot(), logger: createLogger("warn"), jobs: false });
      try {
        const rows = await dalil.sendFailures.summary(new Date(Date.now() - days * 86_400_000));
        if (rows.length === 0) console.log(`No message failed to be delivered in the last ${days} days.`);
        else {
          console.log(`Messages not delivered in the last ${days} days (after the channels' own retries):`);
          console.log(["channel", "purpose", "code", "failures", "messages", "last"].join("\t"));
          for (const r of rows) console.log([r.channel, r.purpose, r.code, r.failures, r.messages, r.last.toISOString()].join("\t"));
        }
      } finally {
        await dalil.close();
      }
      return 0;
    }
    case "link": {
      // A Telegram deep link that opens Dalil with the commune already known (for a poster's QR code).
      const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { bot: { type: "string", default: "<your_bot>" } } });
      const { content } = loadContent();
      const query = positionals.join(" ");
      const gazetteer = content.triage.gazetteer;
      const commune = gazetteer.get(query) ?? gazetteer.find(query, { expectingPlace: true })?.candidates[0];
      if (!commune) {
        process.stderr.write(`No commune matches "${query}". Give an HCP code (09.273.01.15) or a name.\n`);
        return 1;
      }
      console.log(`${commune.nameFr} (${commune.code}): https://t.me/${values.bot}?start=${communePayload(commune.code)}`);
      return 0;
    }
    case "user": {
      const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { role: { type: "string" }, name: { type: "string" } } });
      const config = parseConfig(process.env);
      const db = await openDatabase(config.DATABASE_URL, { root: projectRoot() });
      try {
        return await runUserCommand(new UserStore(db.prisma), { ...(positionals[0] ? { action: positionals[0] } : {}), ...(positionals[1] ? { login: positionals[1] } : {}), ...(values.role ? { role: values.role } : {}), ...(values.name ? { name: values.name } : {}) }, new Date());
      } finally {
        await db.close();
      }
    }
    case "report": {
      const config = parseConfig(process.env);
      const { content } = loadContent();
      const db = await openDatabase(config.DATABASE_URL, { root: projectRoot() });
      try {
        return await runReportCommand(db.prisma, content, rest, { k: config.REPORT_MIN_CELL, language: config.FACILITATOR_LANGUAGE, out: process.stdout });
      } finally {
        await db.close();
      }
    }
    case "review": {
      // The weekly directory review: services not verified for six months, referrals to services now inactive,
      // services that fewer than half of those who answered a follow-up reached.
      const config = parseConfig(process.env);
      const db = await openDatabase(config.DATABASE_URL, { root: projectRoot() });
      try {
        const review = await directoryReview(db.prisma, await new DirectoryStore(db.prisma).load(), new Date(), { language: config.FACILITATOR_LANGUAGE });
        console.log(`Not verified for six months (${review.stale.length}):`);
        for (const s of review.stale) console.log(`  ${s.id}\t${s.lastVerified ?? "never"}\t${s.name}`);
        console.log(`Referred to in the last 7 days while inactive (${review.inactiveReferred.length}):`);
        for (const s of review.inactiveReferred) console.log(`  ${s.id}\t${s.referrals}\t${s.name}`);
        console.log(`Reached by fewer than half of those who answered a follow-up, last 90 days (${review.lowReach.length}):`);
        for (const s of review.lowReach) console.log(`  ${s.id}\t${s.reached}/${s.answered} (${Math.round(s.rate * 100)} %)\t${s.name}`);
      } finally {
        await db.close();
      }
      return 0;
    }
    case "export": {
      // The directory as the database holds it, written back as a data file (the import's format).
      const { values } = parseArgs({ args: rest, options: { to: { type: "string", default: "data/directory-export.yaml" } } });
      const config = parseConfig(process.env);
      const db = await openDatabase(config.DATABASE_URL, { root: projectRoot() });
      try {
        const file = await new DirectoryStore(db.prisma).exportFile();
        writeFileSync(values.to!, `# Dalil directory, exported ${new Date().toISOString()} from the database.\n${stringifyYaml(file)}`);
        console.log(`Wrote ${file.organisations.length} organisations, ${file.locations.length} locations, ${file.services.length} services to ${values.to}.`);
      } finally {
        await db.close();
      }
      return 0;
    }
    case "hsds": {
      // Open Referral HSDS 3.0: import a JSON file or a datapackage folder (all or nothing), or export both forms.
      const [action, path] = rest;
      if ((action !== "import" && action !== "export") || !path) {
        process.stderr.write("Usage: dalil hsds import <file.json | datapackage folder>\n       dalil hsds export <folder>\n");
        return 1;
      }
      const config = parseConfig(process.env);
      const db = await openDatabase(config.DATABASE_URL, { root: projectRoot() });
      try {
        const store = new DirectoryStore(db.prisma);
        if (action === "export") {
          const written = writeHsds(path, [{ data: await store.exportFile() }]);
          console.log(`Wrote ${written.length} files: ${path}/hsds.json and ${path}/datapackage/.`);
          return 0;
        }
        const { content } = loadContent();
        const result = readHsds(path, hsdsImportContext(content));
        if ("issues" in result) {
          process.stderr.write(`Nothing imported: ${result.issues.length} problem${result.issues.length === 1 ? "" : "s"}.\n${result.issues.map((i) => `  ✖ ${formatIssue(i)}`).join("\n")}\n`);
          return 1;
        }
        for (const notice of result.notices) console.log(`  · ${notice}`);
        const report = await store.import(result.files, new Date(), "hsds-import");
        console.log(`Imported ${report.organisations} organisations, ${report.locations} locations, ${report.services} services from ${path}.`);
        for (const edit of report.adminEditsOverwritten) console.log(`  Overwrote the edit of ${edit.record} made by ${edit.by} on ${edit.at.toISOString().slice(0, 16).replace("T", " ")}.`);
        return 0;
      } finally {
        await db.close();
      }
    }
    case "check": {
      const { content, directory } = loadContent();
      console.log(`Content OK (version ${content.version}): ${content.flows.size} flow(s), ${content.i18n.languages.length} languages, ${content.triage.gazetteer.communes.length} communes, ${directory.services.length} services.`);
      return 0;
    }
    case undefined:
    case "help":
    case "--help":
      process.stdout.write(USAGE);
      return command === undefined ? 1 : 0;
    default:
      process.stderr.write(`Unknown command "${command}".\n\n${USAGE}`);
      return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(error instanceof ContentError ? `${error.message}\n` : `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
