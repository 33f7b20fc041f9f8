import { join } from "node:path";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../generated/prisma/client.js";
import { PrismaClient as PostgresPrismaClient } from "../generated/prisma-pg/client.js";
import { migrate, readMigrations, type MigrationReport } from "./migrate.js";
import { isPostgresUrl, postgresMigrationDriver } from "./postgres.js";
import { openSqlite, sqliteMigrationDriver, sqlitePath } from "./sqlite.js";

export type { PrismaClient };

/** An open database: the Prisma client every repository uses, and how to close it cleanly. */
export interface Database {
  prisma: PrismaClient;
  dialect: "sqlite" | "postgresql";
  /** What start-up applied. */
  migrations: MigrationReport;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Project root: relative SQLite paths and the migrations folder are taken from it. */
  root: string;
  /** PostgreSQL: connections each process keeps open (pg's pool size). */
  poolSize?: number;
}

/**
 * Opens the database named by DATABASE_URL, creating the SQLite file and its folder when needed and applying pending
 * migrations first (with the driver, not the Prisma CLI, which is not needed at run time).
 */
export async function openDatabase(databaseUrl: string, options: OpenOptions): Promise<Database> {
  if (isPostgresUrl(databaseUrl)) return openPostgres(databaseUrl, options);
  if (!databaseUrl.startsWith("file:")) {
    throw new Error(`Unsupported DATABASE_URL: expected file:<path> (SQLite) or postgresql://... (PostgreSQL), received ${databaseUrl.split(":")[0]}:...`);
  }
  const path = sqlitePath(databaseUrl, options.root);
  const raw = openSqlite(path);
  let migrations: MigrationReport;
  try {
    migrations = await migrate(sqliteMigrationDriver(raw), readMigrations(join(options.root, "prisma", "migrations")));
  } finally {
    raw.close();
  }
  const prisma = new PrismaClient({ adapter: new PrismaBetterSQLite3({ url: `file:${path}`, timeout: 5000 }) });
  await prisma.$queryRawUnsafe("PRAGMA foreign_keys = ON");
  // Reports scan indexes of a million rows: a larger page cache and memory-mapped reads make them several times faster.
  await prisma.$queryRawUnsafe("PRAGMA cache_size = -32000");
  await prisma.$queryRawUnsafe("PRAGMA mmap_size = 268435456");
  return {
    prisma,
    dialect: "sqlite",
    migrations,
    close: () => prisma.$disconnect(),
  };
}

/**
 * PostgreSQL: the migrations of prisma/postgresql/migrations (generated from the same source schema) applied with
 * `pg` under an advisory lock, then the PostgreSQL client. Its models are the same as SQLite's (one source schema,
 * checked by tests/store/postgres-schema.test.ts), so repositories use it through the same PrismaClient type.
 */
async function openPostgres(databaseUrl: string, options: OpenOptions): Promise<Database> {
  const { driver, close } = await postgresMigrationDriver(databaseUrl);
  let migrations: MigrationReport;
  try {
    migrations = await migrate(driver, readMigrations(join(options.root, "prisma", "postgresql", "migrations")));
  } finally {
    await close();
  }
  const client = new PostgresPrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl, max: options.poolSize ?? 10 }) });
  const prisma = client as unknown as PrismaClient;
  return {
    prisma,
    dialect: "postgresql",
    migrations,
    close: () => prisma.$disconnect(),
  };
}
