import pg from "pg";
import type { MigrationDriver } from "./migrate.js";

/** Whether DATABASE_URL names a PostgreSQL server. */
export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//.test(url);
}

/**
 * The advisory lock every Dalil process takes to migrate: the second worker to start waits for the first, then finds
 * the migrations recorded. Any 64-bit number unlikely to clash with another application's locks.
 */
const MIGRATION_LOCK = 7_317_000_112n;

/** Migrations over one `pg` connection (Prisma's own migrate cannot apply to PostgreSQL offline). */
export async function postgresMigrationDriver(url: string): Promise<{ driver: MigrationDriver; close: () => Promise<void> }> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(`Cannot connect to PostgreSQL at ${redactUrl(url)}: ${(error as Error).message}`, { cause: error });
  }
  const driver: MigrationDriver = {
    dialect: "postgresql",
    exec: async (sql) => {
      await client.query(sql);
    },
    query: async <T>(sql: string, params: readonly unknown[] = []) => (await client.query(sql, params as unknown[])).rows as T[],
    withLock: async (fn) => {
      await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK.toString()]);
      try {
        return await fn();
      } finally {
        await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK.toString()]);
      }
    },
  };
  return { driver, close: () => client.end() };
}

/** A connection URL safe to print: the password hidden. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(unparseable URL)";
  }
}
