import { createHmac, hkdfSync, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/**
 * The key of every keyed hash. From DALIL_SECRET when set; otherwise, on SQLite only, generated once into
 * `var/secret.key` (readable by its owner only) so that a fresh clone works without set-up. With several workers
 * (PostgreSQL) all must share one key, so it must be given.
 */
export function resolveSecret(options: { fromEnv: string | undefined; file: string; mayGenerate: boolean }): { secret: Buffer; generated: boolean } {
  if (options.fromEnv) return { secret: Buffer.from(options.fromEnv, "utf8"), generated: false };
  // A file in one worker's var/ is not shared by the others: with PostgreSQL only DALIL_SECRET counts.
  if (options.mayGenerate && existsSync(options.file)) {
    const text = readFileSync(options.file, "utf8").trim();
    if (text.length < 32) throw new Error(`${options.file} holds a secret shorter than 32 characters: delete it to generate a new one, or set DALIL_SECRET`);
    return { secret: Buffer.from(text, "utf8"), generated: false };
  }
  if (!options.mayGenerate) {
    throw new Error("DALIL_SECRET is not set: with PostgreSQL every worker must share one secret, so none is generated. Set DALIL_SECRET (e.g. `openssl rand -hex 32`; moving from SQLite, the content of var/secret.key).");
  }
  mkdirSync(dirname(options.file), { recursive: true });
  const text = randomBytes(32).toString("hex");
  writeFileSync(options.file, text + "\n", { mode: 0o600 });
  return { secret: Buffer.from(text, "utf8"), generated: true };
}

/**
 * The id under which a person's conversation is stored: HMAC-SHA256 of the channel and the channel's user id. Without
 * the secret, a phone number or Telegram id cannot be turned into it, and it cannot be turned back.
 */
export function personHash(secret: Buffer, channel: string, userId: string): string {
  return createHmac("sha256", secret).update(`${channel}\u0000${userId}`).digest("hex");
}

/**
 * A person's key for one calendar month (YYYY-MM), for counting distinct people per month: HMAC with a key derived from
 * the secret and the month, so hashes from two months cannot be linked to each other.
 */
export function monthlyPersonKey(secret: Buffer, month: string, userHash: string): string {
  const monthKey = Buffer.from(hkdfSync("sha256", secret, "dalil-people", `month:${month}`, 32));
  return createHmac("sha256", monthKey).update(userHash).digest("hex").slice(0, 32);
}
