import { createHash, randomUUID } from "node:crypto";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

/** The least a database driver must do for migrations: run several statements, query, and hold a lock. */
export interface MigrationDriver {
  readonly dialect: "sqlite" | "postgresql";
  exec(sql: string): Promise<void>;
  query<T>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Run `fn` holding a lock that other processes migrating the same database wait for. */
  withLock<T>(fn: () => Promise<T>): Promise<T>;
}

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

/** Migration folders (`<timestamp>_<name>/migration.sql`), in name order, as `prisma migrate` lays them out. */
export function readMigrations(folder: string): MigrationFile[] {
  if (!existsSync(folder)) throw new Error(`No migrations folder at ${folder}`);
  return readdirSync(folder)
    .filter((name) => statSync(join(folder, name)).isDirectory() && existsSync(join(folder, name, "migration.sql")))
    .sort()
    .map((name) => {
      const sql = readFileSync(join(folder, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

/** Prisma's own bookkeeping table, so that `prisma migrate deploy` can take over where a native engine exists. */
const BOOKKEEPING = {
  sqlite: `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id" TEXT PRIMARY KEY NOT NULL,
    "checksum" TEXT NOT NULL,
    "finished_at" DATETIME,
    "migration_name" TEXT NOT NULL,
    "logs" TEXT,
    "rolled_back_at" DATETIME,
    "started_at" DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0
  )`,
  postgresql: `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id" VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum" VARCHAR(64) NOT NULL,
    "finished_at" TIMESTAMPTZ,
    "migration_name" VARCHAR(255) NOT NULL,
    "logs" TEXT,
    "rolled_back_at" TIMESTAMPTZ,
    "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count" INTEGER NOT NULL DEFAULT 0
  )`,
};

export interface MigrationReport {
  applied: string[];
  alreadyApplied: number;
}

/**
 * Applies the migrations not yet recorded, each in its own transaction with its bookkeeping row, under a lock so
 * that two processes starting together do not both migrate. Refuses to go on when a migration recorded as applied
 * has changed since (its checksum differs): that database and these files disagree about the schema.
 */
export async function migrate(driver: MigrationDriver, migrations: readonly MigrationFile[]): Promise<MigrationReport> {
  return driver.withLock(async () => {
    await driver.exec(BOOKKEEPING[driver.dialect]);
    const rows = await driver.query<{ migration_name: string; checksum: string; finished_at: unknown }>(
      `SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL`,
    );
    const done = new Map(rows.filter((r) => r.finished_at !== null).map((r) => [r.migration_name, r.checksum]));
    const known = new Set(migrations.map((m) => m.name));
    const unknown = [...done.keys()].filter((name) => !known.has(name));
    if (unknown.length > 0) {
      throw new Error(`The database has migrations these files do not: ${unknown.join(", ")}. Is this an older version of Dalil?`);
    }
    const applied: string[] = [];
    for (const m of migrations) {
      const recorded = done.get(m.name);
      if (recorded !== undefined) {
        if (recorded !== m.checksum) throw new Error(`Migration ${m.name} was edited after it was applied (checksum differs): add a new migration instead.`);
        continue;
      }
      const now = driver.dialect === "sqlite" ? new Date().toISOString() : new Date();
      // SQLite: IMMEDIATE takes the write lock now, so a second process starting at the same moment waits here and
      // then sees the migration recorded, instead of failing halfway through it.
      await driver.exec(driver.dialect === "sqlite" ? "BEGIN IMMEDIATE" : "BEGIN");
      try {
        const already = await driver.query(`SELECT 1 FROM "_prisma_migrations" WHERE migration_name = ${placeholders(driver, 1)} AND finished_at IS NOT NULL AND rolled_back_at IS NULL`, [m.name]);
        if (already.length > 0) {
          await driver.exec("COMMIT");
          continue;
        }
        await driver.exec(m.sql);
        await driver.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count) VALUES (${placeholders(driver, 6)})`,
          [randomUUID(), m.checksum, now, m.name, now, 1],
        );
        await driver.exec("COMMIT");
      } catch (error) {
        await driver.exec("ROLLBACK");
        throw new Error(`Migration ${m.name} failed and was rolled back: ${(error as Error).message}`, { cause: error });
      }
      applied.push(m.name);
    }
    return { applied, alreadyApplied: done.size };
  });
}

function placeholders(driver: MigrationDriver, n: number): string {
  return Array.from({ length: n }, (_, i) => (driver.dialect === "sqlite" ? "?" : `$${i + 1}`)).join(", ");
}
