import { join } from "node:path";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import type BetterSqlite3 from "better-sqlite3";
import { PrismaClient } from "../generated/prisma/client.js";
import { migrate, readMigrations, type MigrationReport } from "./migrate.js";
import { isPostgresUrl, postgresMigrationDriver } from "./postgres.js";
import { RUNTIME_PRAGMAS, openSqlite, registerSqliteConnection, sqliteMigrationDriver, sqlitePath } from "./sqlite.js";

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
  const connection: { current: BetterSqlite3.Database | null } = { current: null };
  const prisma = new PrismaClient({ adapter: new SqliteAdapter({ url: `file:${path}`, timeout: 5000 }, (db) => (connection.current = db)) });
  for (const pragma of RUNTIME_PRAGMAS) await prisma.$queryRawUnsafe(`PRAGMA ${pragma}`);
  registerSqliteConnection(prisma, connection);
  return {
    prisma,
    dialect: "sqlite",
    migrations,
    close: () => prisma.$disconnect(),
  };
}

/**
 * Prisma's better-sqlite3 adapter, telling `onConnect` which connection it opened (see `sqliteConnectionOf`). The
 * adapter keeps its connection in a public `client` field; should a version of it not, nothing is told and every
 * query goes through Prisma as before.
 */
class SqliteAdapter extends PrismaBetterSQLite3 {
  constructor(
    config: ConstructorParameters<typeof PrismaBetterSQLite3>[0],
    private readonly onConnect: (db: BetterSqlite3.Database) => void,
  ) {
    super(config);
  }

  override async connect(): ReturnType<PrismaBetterSQLite3["connect"]> {
    const adapter = await super.connect();
    const client = (adapter as unknown as { client?: BetterSqlite3.Database }).client;
    if (client && typeof client.prepare === "function" && typeof client.transaction === "function") this.onConnect(client);
    return adapter;
  }
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
  // Loaded only here: a SQLite deployment never needs PostgreSQL's client (about 5 MB of memory).
  const [{ PrismaClient: PostgresPrismaClient }, { PrismaPg }] = await Promise.all([import("../generated/prisma-pg/client.js"), import("@prisma/adapter-pg")]);
  const client = new PostgresPrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl, max: options.poolSize ?? 10 }) });
  const prisma = client as unknown as PrismaClient;
  return {
    prisma,
    dialect: "postgresql",
    migrations,
    close: () => prisma.$disconnect(),
  };
}
