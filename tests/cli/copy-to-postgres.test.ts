/**
 * `dalil copy-to-postgres`: a SQLite deployment with real data (made by driving Dalil) copied into a new PostgreSQL
 * database, every table and row, types intact; Dalil then carries on there with the SQLite deployment's secret.
 * Runs in both projects against the server in DALIL_TEST_POSTGRES (default: the local one); skipped when none answers.
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDalil } from "../../src/app/dalil.js";
import { copyToPostgres } from "../../src/cli/copy-to-postgres.js";
import { parseConfig } from "../../src/config.js";
import { projectRoot } from "../../src/content/files.js";
import type { Inbound } from "../../src/engine/messages.js";
import { openDatabase, type PrismaClient } from "../../src/store/database.js";
import { migrate, readMigrations } from "../../src/store/migrate.js";
import { personHash } from "../../src/store/secret.js";
import { openSqlite, sqliteMigrationDriver } from "../../src/store/sqlite.js";
import { realContent } from "../helpers/content.js";
import { postgresAnswers, withPostgres } from "../helpers/postgres.js";
import { TestClock, silentLogger, startTestDalil, tempDir } from "../helpers/store.js";

const server = process.env.DALIL_TEST_POSTGRES || "postgresql://postgres@127.0.0.1:5432/postgres";
const answers = await postgresAnswers(server);
if (!answers) console.warn(`copy-to-postgres tests skipped: no PostgreSQL answers at ${server} (start it, or set DALIL_TEST_POSTGRES)`);

const root = projectRoot();
const press = (id: string): Inbound => ({ kind: "choice", id });
const text = (t: string): Inbound => ({ kind: "text", text: t });
const START = [text("bonjour"), press("language.fr"), press("privacy.continue")];
const REFERRAL = [...START, text("j'ai besoin d'un médecin"), text("Inezgane"), press("sex.female"), press("age_band.18-59"), press("status.migrant")];

const created: string[] = [];
/** A new, empty database on the server, dropped when the file ends. */
async function newDatabase(): Promise<string> {
  const name = `dalil_copy_${randomBytes(6).toString("hex")}`;
  await admin((client) => client.query(`CREATE DATABASE "${name}"`));
  created.push(name);
  const url = new URL(server);
  url.pathname = `/${name}`;
  return url.toString();
}
/** The tables of one database, read with a connection of its own. */
const tablesOf = (url: string): Promise<string[]> =>
  withPostgres(url, async (client) => (await client.query<{ table_name: string }>(`SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()`)).rows.map((r) => r.table_name));
const admin = <T>(fn: (client: pg.Client) => Promise<T>): Promise<T> => withPostgres(server, fn);

/** Rows of the tables whose types matter most, in a fixed order: booleans, DateTimes, BigInt, Int ids, floats. */
async function snapshot(prisma: PrismaClient) {
  return {
    conversation: await prisma.conversation.findMany({ orderBy: { id: "asc" } }),
    request: await prisma.request.findMany({ orderBy: { id: "asc" }, include: { categories: { orderBy: { category: "asc" } }, referrals: { orderBy: { rank: "asc" } } } }),
    followup: await prisma.followup.findMany({ orderBy: { id: "asc" } }),
    ticket: await prisma.ticket.findMany({ orderBy: { id: "asc" }, include: { messages: { orderBy: { id: "asc" } } } }),
    user: await prisma.user.findMany({ orderBy: { id: "asc" } }),
    rateLimit: await prisma.rateLimit.findMany({ orderBy: { key: "asc" } }),
    processedUpdate: await prisma.processedUpdate.findMany({ orderBy: [{ channel: "asc" }, { key: "asc" }] }),
    personMonth: await prisma.personMonth.findMany({ orderBy: [{ month: "asc" }, { channel: "asc" }, { personKey: "asc" }] }),
    location: await prisma.location.findMany({ orderBy: { id: "asc" } }),
    service: await prisma.service.findMany({ orderBy: { id: "asc" } }),
  };
}

/** Rows per table of a SQLite file (every table but Prisma's bookkeeping). */
function sqliteCounts(path: string): Map<string, number> {
  const db = new Database(path, { readonly: true });
  try {
    const names = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '_prisma_migrations'`).all() as { name: string }[]).map((r) => r.name);
    return new Map(names.map((name) => [name, (db.prepare(`SELECT count(*) AS n FROM "${name}"`).get() as { n: number }).n]));
  } finally {
    db.close();
  }
}

describe.skipIf(!answers)("copy-to-postgres", () => {
  const dir = tempDir();
  const sqliteFile = join(dir.path, "dalil.db");
  const from = `file:${sqliteFile}`;
  const clock = new TestClock(new Date("2026-11-25T10:00:00Z"));
  let secret: string;
  let user3Step: string | null | undefined;

  beforeAll(async () => {
    // The SQLite deployment as it runs in production: its secret generated into its var folder (so not startTestDalil,
    // which gives every Dalil the shared test secret in the postgresql project).
    const dalil = await startDalil(parseConfig({ DATABASE_URL: from, DALIL_VAR_DIR: dir.path }), { root, logger: silentLogger, loaded: realContent(), jobs: false, clock: clock.read });
    try {
      let update = 0;
      // Through receive, as the Telegram channel does: rate limits (BigInt), processed updates, sealed address.
      for (const m of [...REFERRAL, press("followup.yes")]) {
        const received = await dalil.conversations.receive("telegram", "user-1", m, { dedupeKey: String(++update), address: "chat-1" });
        expect(received.kind).toBe("replied");
        clock.advance(1000);
      }
      for (const m of [...START, press("need.legal"), text("Agadir"), press("sex.female"), press("age_band.18-59"), press("status.migrant"), press("after.human")]) await dalil.conversations.handle("web", "user-2", m);
      for (const m of START.slice(0, 2)) await dalil.conversations.handle("telegram", "user-3", m);
      user3Step = (await dalil.conversationStore.find("telegram", personHash(dalil.secret, "telegram", "user-3")))?.state.step;
      await dalil.users.create({ login: "amina", role: "staff", displayName: "Amina B.", password: "a password of some length" }, clock.now);
    } finally {
      await dalil.close();
    }
    secret = readFileSync(join(dir.path, "secret.key"), "utf8").trim();
  });

  afterAll(async () => {
    await admin(async (client) => {
      for (const name of created) await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    });
    dir.cleanup();
  });

  it("copies every table with all its rows and types, and Dalil carries on there with the SQLite secret", async () => {
    const to = await newDatabase();
    const lines: string[] = [];
    const result = await copyToPostgres({ from, to, root, varDir: dir.path, log: (line) => lines.push(line) });

    const counts = sqliteCounts(sqliteFile);
    expect(new Map(result.tables.map((t) => [t.name, t.rows]))).toEqual(counts);
    for (const table of ["conversation", "request", "request_category", "followup", "ticket", "ticket_message", "app_user", "rate_limit", "processed_update", "person_month", "service", "directory_audit"]) {
      expect(counts.get(table), table).toBeGreaterThan(0);
    }
    // Parents before children.
    const order = result.tables.map((t) => t.name);
    expect(order.indexOf("request")).toBeLessThan(order.indexOf("request_category"));
    expect(order.indexOf("conversation")).toBeLessThan(order.indexOf("ticket"));
    expect(order.indexOf("ticket")).toBeLessThan(order.indexOf("ticket_message"));
    expect(lines.join("\n")).toContain(`into ${to}`);
    expect(lines.join("\n")).toContain(`set DALIL_SECRET to the content of ${join(dir.path, "secret.key")}`);
    console.log(`copy-to-postgres row counts: ${result.tables.map((t) => `${t.name}=${t.rows}`).join(" ")}`);

    const source = await openDatabase(from, { root });
    const target = await openDatabase(to, { root });
    try {
      for (const [table, n] of counts) {
        const [row] = await target.prisma.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM "${table}"`);
        expect(row?.n, table).toBe(n);
      }
      const before = await snapshot(source.prisma);
      expect(await snapshot(target.prisma)).toEqual(before);
      expect(before.request[0]).toMatchObject({ date: "2026-11-25", commune: expect.any(String), sex: "female", urgent: false });
      expect(before.conversation[0]!.updatedAt).toBeInstanceOf(Date);
      expect(typeof before.rateLimit[0]!.windowStart).toBe("bigint");
    } finally {
      await source.close();
      await target.close();
    }

    const elsewhere = tempDir();
    const dalil = await startTestDalil(elsewhere.path, { clock, env: { DATABASE_URL: to, DALIL_SECRET: secret } });
    try {
      const hash = personHash(dalil.secret, "telegram", "user-3");
      const stored = await dalil.conversationStore.find("telegram", hash);
      expect(stored?.state.step).toBe(user3Step);
      const conversations = await dalil.db.prisma.conversation.count();
      await dalil.conversations.handle("telegram", "user-3", press("privacy.continue"));
      expect(await dalil.db.prisma.conversation.count()).toBe(conversations);
      expect((await dalil.conversationStore.find("telegram", hash))?.version).toBe(stored!.version + 1);
      // The ticket id sequence continues after the copied ids.
      const copiedTickets = await dalil.db.prisma.ticket.findMany();
      for (const m of [...START, { kind: "command", command: "human" } as Inbound]) await dalil.conversations.handle("web", "user-4", m);
      const newest = await dalil.db.prisma.ticket.findFirstOrThrow({ orderBy: { id: "desc" } });
      expect(newest.id).toBeGreaterThan(Math.max(...copiedTickets.map((t) => t.id)));
    } finally {
      await dalil.close();
      elsewhere.cleanup();
    }
  });

  it("refuses a target that already holds data, naming the table, and writes nothing", async () => {
    const to = await newDatabase();
    await copyToPostgres({ from, to, root, log: () => {} });
    await expect(copyToPostgres({ from, to, root, log: () => {} })).rejects.toThrow(/already holds data \(in .*conversation.*\): copy into a new, empty database/);
    const target = await openDatabase(to, { root });
    try {
      expect(await target.prisma.conversation.count()).toBe(sqliteCounts(sqliteFile).get("conversation"));
    } finally {
      await target.close();
    }
  });

  it("refuses a SQLite database behind on migrations, saying to start Dalil once on it", async () => {
    const path = join(dir.path, "old.db");
    const raw = openSqlite(path);
    try {
      await migrate(sqliteMigrationDriver(raw), readMigrations(join(root, "prisma", "migrations")).slice(0, 1));
    } finally {
      raw.close();
    }
    const to = await newDatabase();
    await expect(copyToPostgres({ from: `file:${path}`, to, root, log: () => {} })).rejects.toThrow(/is behind this version of Dalil .*Start Dalil once on it/);
    // Refused before touching the target: not even migrated.
    expect(await tablesOf(to)).toEqual([]);
  });

  it("is a command with help", () => {
    const run = spawnSync(process.execPath, ["src/bin/dalil.mjs", "copy-to-postgres", "--help"], { cwd: root, encoding: "utf8", timeout: 120_000 });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("Usage: dalil copy-to-postgres --to postgresql://");
    const missing = spawnSync(process.execPath, ["src/bin/dalil.mjs", "copy-to-postgres"], { cwd: root, encoding: "utf8", timeout: 120_000 });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain("--to is required");
  });
});
