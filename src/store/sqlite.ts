import { mkdirSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import Database from "better-sqlite3";
import type { MigrationDriver } from "./migrate.js";

/** The file path of a `file:` URL, relative paths taken from the project root. */
export function sqlitePath(url: string, root: string): string {
  const path = url.replace(/^file:/, "").replace(/\?.*$/, "");
  return isAbsolute(path) ? path : resolve(root, path);
}

/** Open a SQLite file for migrations, creating its folder; WAL mode so readers never wait for the writer. */
export function openSqlite(path: string): Database.Database {
  mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  db.pragma("busy_timeout = 5000");
  db.pragma("foreign_keys = ON");
  return db;
}

export function sqliteMigrationDriver(db: Database.Database): MigrationDriver {
  return {
    dialect: "sqlite",
    exec: async (sql) => {
      db.exec(sql);
    },
    query: async <T>(sql: string, params: readonly unknown[] = []) => {
      const statement = db.prepare(sql);
      return (statement.reader ? statement.all(...params) : (statement.run(...params), [])) as T[];
    },
    // One process opens a SQLite file at a time in practice; BEGIN in migrate() serialises writers anyway.
    withLock: (fn) => fn(),
  };
}

/**
 * The settings of the connection Dalil runs on (Prisma's, see database.ts), beyond those `openSqlite` sets.
 * - `synchronous = NORMAL`, the setting SQLite recommends with WAL: a commit does not wait for the disk (the WAL is
 *   synced at checkpoints), the database cannot be corrupted by a crash, and a transaction is lost only if the whole
 *   machine loses power in the instant after it committed (never when the process crashes). better-sqlite3 is built
 *   to open WAL databases this way already (SQLITE_DEFAULT_WAL_SYNCHRONOUS=1); said here so as not to depend on it.
 * - Reports scan indexes of a million rows: a larger page cache (32 MB) makes them faster.
 * - No memory-mapped reads: every page read through the map stays in the process's resident memory, so it grew with
 *   the database (to 256 MB) — 40 MB more after 30 s of messages on a 55 MB database. Without it the operating
 *   system still caches the file; the dashboard's queries over a million requests take about 15% longer
 *   (tests/bench/report.bench.ts: 720 → 830 ms for the whole set).
 */
export const RUNTIME_PRAGMAS = ["foreign_keys = ON", "synchronous = NORMAL", "cache_size = -32000", "mmap_size = 0"] as const;

/**
 * The better-sqlite3 connection under a Prisma client on SQLite, for the few hot paths that use the driver directly
 * (reading and saving a conversation, the directory's version): through Prisma each statement costs 60–400 µs of
 * query compilation and interpretation, through the driver a few µs. It is Prisma's own connection, not a second
 * one, so there is one writer per process as before. Null on PostgreSQL, and when the connection is closed.
 */
const connections = new WeakMap<object, { current: Database.Database | null }>();

export function registerSqliteConnection(prisma: object, holder: { current: Database.Database | null }): void {
  connections.set(prisma, holder);
}

export function sqliteConnectionOf(prisma: object): Database.Database | null {
  const db = connections.get(prisma)?.current ?? null;
  return db?.open ? db : null;
}

const statements = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/**
 * A prepared statement, prepared once per connection and kept. Integers come back as numbers: Prisma's connection
 * returns them as BigInt by default.
 */
export function prepared(db: Database.Database, sql: string): Database.Statement {
  let cache = statements.get(db);
  if (!cache) statements.set(db, (cache = new Map()));
  let statement = cache.get(sql);
  if (!statement) {
    statement = db.prepare(sql).safeIntegers(false);
    cache.set(sql, statement);
  }
  return statement;
}

/**
 * A DateTime as Prisma's SQLite adapter writes it (ISO 8601 with "+00:00"), so that rows written here and rows written
 * by Prisma compare and read back alike; and read back, whichever form is stored.
 */
export const sqliteDateTime = (date: Date): string => date.toISOString().replace("Z", "+00:00");
export const fromSqliteDateTime = (value: string | number | bigint): Date => new Date(typeof value === "string" ? value : Number(value));
