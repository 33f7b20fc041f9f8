/**
 * `dalil copy-to-postgres --to postgresql://… [--from file:./var/dalil.db]`: copies a SQLite deployment's data into a
 * new PostgreSQL database, every table the SQLite file holds (whatever the schema has grown to), in one transaction.
 */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import Database from "better-sqlite3";
import pg from "pg";
import { openDatabase } from "../store/database.js";
import { readMigrations } from "../store/migrate.js";
import { isPostgresUrl, redactUrl } from "../store/postgres.js";
import { sqlitePath } from "../store/sqlite.js";

export const COPY_TO_POSTGRES_HELP = `Usage: dalil copy-to-postgres --to postgresql://user:password@host:5432/dalil [--from file:./var/dalil.db]

Copies the data of a SQLite deployment into PostgreSQL, in one transaction (all or nothing).
  --to     the PostgreSQL database: migrated first; it must hold no data yet
  --from   the SQLite database (default: DATABASE_URL when it is a file: URL, else file:./var/dalil.db), read only.
           It must be migrated to this version of Dalil: start Dalil once on it first if it is older.
Stop Dalil before copying: what it writes during the copy is not copied.
Afterwards, set DALIL_SECRET to the content of var/secret.key (the secret the SQLite deployment generated) for every
worker on PostgreSQL, or people's conversations and the monthly people counts will not carry over.
`;

/** A refusal the user can act on: the message says what to do. */
export class CopyRefused extends Error {}

export interface CopyOptions {
  /** `file:<path>` of the SQLite database, relative paths taken from `root`. */
  from: string;
  /** `postgresql://…` of the target. */
  to: string;
  /** Project root: the migrations folders and relative paths. */
  root: string;
  /** The SQLite deployment's DALIL_VAR_DIR, for the reminder about its secret.key (default `var`). */
  varDir?: string;
  log?: (line: string) => void;
}

/** A SQLite value as better-sqlite3 gives it with safe integers on. */
type SqliteValue = string | number | bigint | Buffer | null;

interface PgColumn {
  name: string;
  dataType: string;
  serial: boolean;
}

const BATCH_ROWS = 500;
/** PostgreSQL's limit on parameters per statement. */
const MAX_PARAMETERS = 65_535;

export async function copyToPostgres(options: CopyOptions): Promise<{ tables: { name: string; rows: number }[] }> {
  const log = options.log ?? ((line: string) => console.log(line));
  if (!isPostgresUrl(options.to)) throw new CopyRefused(`--to must be a postgresql://… URL (received ${options.to.split(":")[0]}:…)`);
  if (!options.from.startsWith("file:")) throw new CopyRefused(`--from must be a file: URL naming the SQLite database (received ${options.from.split(":")[0]}:…)`);
  const path = sqlitePath(options.from, options.root);
  if (!existsSync(path)) throw new CopyRefused(`No SQLite database at ${path}: give its file: URL with --from.`);

  const source = new Database(path, { readonly: true, fileMustExist: true });
  try {
    source.defaultSafeIntegers(true);
    checkMigrated(source, path, options.root);
    const tables = sqliteTables(source);

    // Migrates the target to this version of Dalil (the same way start-up does), then the copy uses plain pg.
    const target = await openDatabase(options.to, { root: options.root });
    await target.close();
    const client = new pg.Client({ connectionString: options.to });
    try {
      await client.connect();
    } catch (error) {
      throw new Error(`Cannot connect to PostgreSQL at ${redactUrl(options.to)}: ${(error as Error).message}`, { cause: error });
    }
    try {
      const pgTables = await postgresColumns(client);
      for (const table of tables) {
        const columns = pgTables.get(table.name);
        if (!columns) throw new CopyRefused(`The PostgreSQL database has no table "${table.name}", which the SQLite one has: is it migrated by the same version of Dalil?`);
        const missing = table.columns.filter((c) => !columns.has(c));
        if (missing.length > 0) throw new CopyRefused(`The PostgreSQL table "${table.name}" has no column ${missing.map((c) => `"${c}"`).join(", ")}: is it migrated by the same version of Dalil?`);
      }
      // One snapshot of the SQLite file (WAL): every table read as of the same moment.
      source.exec("BEGIN");
      await client.query("BEGIN");
      try {
        const filled: string[] = [];
        for (const name of pgTables.keys()) {
          if (name === "_prisma_migrations") continue;
          const { rows } = await client.query<{ any: boolean }>(`SELECT EXISTS (SELECT 1 FROM ${quote(name)}) AS any`);
          if (rows[0]?.any) filled.push(name);
        }
        if (filled.length > 0) {
          throw new CopyRefused(`The PostgreSQL database already holds data (in ${filled.join(", ")}): copy into a new, empty database.`);
        }
        const copied: { name: string; rows: number }[] = [];
        for (const table of tables) {
          copied.push({ name: table.name, rows: await copyTable(source, client, table, pgTables.get(table.name)!) });
        }
        for (const [name, columns] of pgTables) {
          for (const column of columns.values()) {
            if (!column.serial) continue;
            // The next id after the largest copied one (or 1 for an empty table).
            const c = quote(column.name);
            await client.query(`SELECT setval(pg_get_serial_sequence($1, $2), coalesce(max(${c}), 1), max(${c}) IS NOT NULL) FROM ${quote(name)}`, [quote(name), column.name]);
          }
        }
        await client.query("COMMIT");
        log(`Copied ${path} into ${redactUrl(options.to)}:`);
        const width = Math.max(...copied.map((t) => t.name.length));
        for (const t of copied) log(`  ${t.name.padEnd(width)}  ${String(t.rows).padStart(8)}`);
        log(`  ${"total".padEnd(width)}  ${String(copied.reduce((sum, t) => sum + t.rows, 0)).padStart(8)}`);
        const secretFile = join(options.varDir ?? "var", "secret.key");
        log(
          `Next: set DALIL_SECRET to the content of ${secretFile} (the secret the SQLite deployment generated; or the DALIL_SECRET it was given) ` +
            `for every worker on PostgreSQL. With another secret, people's conversations are not found again and monthly people counts do not match.`,
        );
        return { tables: copied };
      } catch (error) {
        await client.query("ROLLBACK").catch(() => undefined);
        if (error instanceof CopyRefused) throw error;
        throw new Error(`The copy failed and was rolled back, PostgreSQL holds nothing of it: ${(error as Error).message}`, { cause: error });
      } finally {
        if (source.inTransaction) source.exec("COMMIT");
      }
    } finally {
      await client.end();
    }
  } finally {
    source.close();
  }
}

/** Refuses a SQLite database whose migrations are not exactly this version's: copying it would lose or misplace columns. */
function checkMigrated(source: Database.Database, path: string, root: string): void {
  const expected = readMigrations(join(root, "prisma", "migrations")).map((m) => m.name);
  const hasBookkeeping = source.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'`).get() !== undefined;
  const applied = new Set(
    hasBookkeeping
      ? (source.prepare(`SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`).all() as { migration_name: string }[]).map((r) => r.migration_name)
      : [],
  );
  const pending = expected.filter((name) => !applied.has(name));
  if (pending.length > 0) {
    throw new CopyRefused(
      `The SQLite database ${path} is behind this version of Dalil (${pending.length} migration${pending.length === 1 ? "" : "s"} not applied: ${pending.join(", ")}). ` +
        `Start Dalil once on it (DATABASE_URL=file:${path} npm start, then stop it) to migrate it, then copy again.`,
    );
  }
  const unknown = [...applied].filter((name) => !expected.includes(name));
  if (unknown.length > 0) throw new CopyRefused(`The SQLite database ${path} has migrations this version of Dalil does not know (${unknown.join(", ")}): copy with the version of Dalil that last ran on it.`);
}

interface SqliteTable {
  name: string;
  columns: string[];
}

/** The data tables of the SQLite file, parents before the tables whose foreign keys refer to them. */
function sqliteTables(source: Database.Database): SqliteTable[] {
  const names = (source.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name <> '_prisma_migrations' ORDER BY name`).all() as { name: string }[]).map((r) => r.name);
  const parents = new Map(names.map((name) => [name, new Set((source.pragma(`foreign_key_list(${quote(name)})`) as { table: string }[]).map((fk) => fk.table).filter((t) => t !== name))]));
  const ordered: string[] = [];
  const done = new Set<string>();
  while (ordered.length < names.length) {
    const ready = names.filter((name) => !done.has(name) && [...parents.get(name)!].every((p) => done.has(p) || !parents.has(p)));
    if (ready.length === 0) throw new Error(`Foreign keys form a cycle among ${names.filter((n) => !done.has(n)).join(", ")}: no order to copy them in.`);
    for (const name of ready) {
      ordered.push(name);
      done.add(name);
    }
  }
  return ordered.map((name) => ({ name, columns: (source.pragma(`table_info(${quote(name)})`) as { name: string }[]).map((c) => c.name) }));
}

/** The PostgreSQL schema's tables and columns (the current schema, as Dalil's migrations create them). */
async function postgresColumns(client: pg.Client): Promise<Map<string, Map<string, PgColumn>>> {
  const { rows } = await client.query<{ table_name: string; column_name: string; data_type: string; column_default: string | null }>(
    `SELECT c.table_name, c.column_name, c.data_type, c.column_default FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
      WHERE c.table_schema = current_schema() ORDER BY c.table_name, c.ordinal_position`,
  );
  const tables = new Map<string, Map<string, PgColumn>>();
  for (const r of rows) {
    const columns = tables.get(r.table_name) ?? new Map<string, PgColumn>();
    columns.set(r.column_name, { name: r.column_name, dataType: r.data_type, serial: r.column_default?.startsWith("nextval(") ?? false });
    tables.set(r.table_name, columns);
  }
  return tables;
}

/** Copies one table in multi-row INSERTs; returns the number of rows. */
async function copyTable(source: Database.Database, client: pg.Client, table: SqliteTable, target: Map<string, PgColumn>): Promise<number> {
  const columns = table.columns.map((name) => target.get(name)!);
  const perBatch = Math.max(1, Math.min(BATCH_ROWS, Math.floor(MAX_PARAMETERS / columns.length)));
  const head = `INSERT INTO ${quote(table.name)} (${columns.map((c) => quote(c.name)).join(", ")}) VALUES `;
  let batch: unknown[][] = [];
  let count = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const tuples = batch.map((_, r) => `(${columns.map((_, c) => `$${r * columns.length + c + 1}`).join(", ")})`);
    await client.query(head + tuples.join(", "), batch.flat());
    count += batch.length;
    batch = [];
  };
  const rows = source.prepare(`SELECT ${table.columns.map(quote).join(", ")} FROM ${quote(table.name)} ORDER BY rowid`).raw(true).iterate() as IterableIterator<SqliteValue[]>;
  for (const row of rows) {
    batch.push(row.map((value, i) => toPostgres(value, columns[i]!, table.name)));
    if (batch.length >= perBatch) await flush();
  }
  await flush();
  return count;
}

/** A SQLite value as the PostgreSQL column's type wants it. */
function toPostgres(value: SqliteValue, column: PgColumn, table: string): unknown {
  if (value === null) return null;
  const where = `${table}.${column.name}`;
  switch (column.dataType) {
    case "boolean":
      if (value === 0n || value === 1n || value === 0 || value === 1) return Number(value) === 1;
      throw new Error(`${where}: expected 0 or 1 for a boolean, found ${String(value)}`);
    case "timestamp without time zone":
    case "timestamp with time zone":
      // As UTC ISO text, not a Date: pg would write a Date in the process's time zone with an offset, which a
      // timestamp without time zone ignores. Prisma keeps these columns in UTC.
      return toDate(value, where).toISOString();
    case "bigint":
    case "integer":
    case "smallint":
      if (typeof value === "bigint" || typeof value === "number") return value.toString();
      if (typeof value === "string" && /^-?\d+$/.test(value)) return value;
      throw new Error(`${where}: expected an integer, found ${String(value)}`);
    case "double precision":
    case "real":
    case "numeric":
      if (typeof value === "bigint") return Number(value);
      return value;
    case "text":
    case "character varying":
      return typeof value === "bigint" || typeof value === "number" ? String(value) : value;
    default:
      return typeof value === "bigint" ? value.toString() : value;
  }
}

/**
 * Prisma writes DateTime into SQLite as ISO text (`2026-01-02T03:04:05.000+00:00`), or as milliseconds with
 * `timestampFormat: "unixepoch-ms"`; SQL defaults (CURRENT_TIMESTAMP) write `2026-01-02 03:04:05` in UTC.
 */
function toDate(value: SqliteValue, where: string): Date {
  let date: Date;
  if (typeof value === "bigint" || typeof value === "number") date = new Date(Number(value));
  else if (typeof value === "string" && /^-?\d+$/.test(value)) date = new Date(Number(value));
  else if (typeof value === "string" && /^\d{4}-\d\d-\d\d( \d\d:\d\d(:\d\d(\.\d+)?)?)?$/.test(value)) date = new Date(`${value.replace(" ", "T")}${value.length > 10 ? "Z" : ""}`);
  else if (typeof value === "string") date = new Date(value);
  else throw new Error(`${where}: expected a date, found binary data`);
  if (Number.isNaN(date.getTime())) throw new Error(`${where}: not a date: ${String(value)}`);
  return date;
}

function quote(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}

/** The command line: parses the options, runs the copy, prints refusals without a stack trace. Returns the exit code. */
export async function runCopyToPostgresCommand(args: string[], env: NodeJS.ProcessEnv, root: string): Promise<number> {
  let values: { from?: string | undefined; to?: string | undefined; help?: boolean | undefined };
  try {
    ({ values } = parseArgs({ args, options: { from: { type: "string" }, to: { type: "string" }, help: { type: "boolean", default: false } } }));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${COPY_TO_POSTGRES_HELP}`);
    return 1;
  }
  if (values.help) {
    process.stdout.write(COPY_TO_POSTGRES_HELP);
    return 0;
  }
  if (!values.to) {
    process.stderr.write(`--to is required: the PostgreSQL database to copy into.\n\n${COPY_TO_POSTGRES_HELP}`);
    return 1;
  }
  const from = values.from ?? (env.DATABASE_URL?.startsWith("file:") ? env.DATABASE_URL : "file:./var/dalil.db");
  try {
    await copyToPostgres({ from, to: values.to, root, varDir: env.DALIL_VAR_DIR ? resolve(root, env.DALIL_VAR_DIR) : "var" });
    return 0;
  } catch (error) {
    if (!(error instanceof CopyRefused)) throw error;
    process.stderr.write(`Nothing copied: ${error.message}\n`);
    return 1;
  }
}
