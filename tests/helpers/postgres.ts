/**
 * The PostgreSQL side of the suite. vitest's `postgresql` project (tests/vitest.config.ts) sets DALIL_TEST_POSTGRES
 * to a server URL when one answers; each test folder then gets its own database, created on first use and dropped
 * when the test file ends (tests/setup/drop-databases.ts). Without that variable every database is a SQLite file.
 */
import { createHash } from "node:crypto";
import { join } from "node:path";
import pg from "pg";

/** The server the tests use for PostgreSQL, or undefined when this run is on SQLite. */
export const testPostgres = process.env.DALIL_TEST_POSTGRES || undefined;
export const onPostgres = testPostgres !== undefined;
/** Workers sharing one PostgreSQL must share the secret; the suite uses this one. */
export const TEST_SECRET = "test-secret-0123456789abcdef0123456789abcdef";

const created = new Map<string, Promise<void>>();

/** The URL of the database for `name` in `dir`: a SQLite file there, or a PostgreSQL database of its own. */
export async function testDatabaseUrl(dir: string, name = "dalil"): Promise<string> {
  if (!testPostgres) return `file:${join(dir, `${name}.db`)}`;
  const database = `dalil_t_${createHash("sha256").update(`${dir}/${name}`).digest("hex").slice(0, 20)}`;
  // One creation per database, however many callers ask at once.
  let creating = created.get(database);
  if (!creating) {
    creating = admin(async (client) => {
      const exists = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
      if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${database}"`);
    });
    created.set(database, creating);
  }
  await creating;
  const url = new URL(testPostgres);
  url.pathname = `/${database}`;
  return url.toString();
}

/** DATABASE_URL (and, on PostgreSQL, the shared DALIL_SECRET) for a process started on the database of `dir`. */
export async function testDatabaseEnv(dir: string, name = "dalil"): Promise<Record<string, string>> {
  return { DATABASE_URL: await testDatabaseUrl(dir, name), ...(onPostgres ? { DALIL_SECRET: TEST_SECRET } : {}) };
}

/** Drops the databases this test file created (connections still open are closed by the server). */
export async function dropTestDatabases(): Promise<void> {
  if (!testPostgres || created.size === 0) return;
  const names = [...created.keys()];
  created.clear();
  await admin(async (client) => {
    for (const name of names) await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  });
}

/** Whether a PostgreSQL server answers at `url` (the suite's configuration asks before adding the project). */
export async function postgresAnswers(url: string): Promise<boolean> {
  return withPostgres(url, (client) => client.query("SELECT 1"), { connectTimeoutMs: 2000 }).then(
    () => true,
    () => false,
  );
}

/** Runs `fn` with a connection of its own to `url`, closed afterwards whatever happens. */
export async function withPostgres<T>(url: string, fn: (client: pg.Client) => Promise<T>, options: { connectTimeoutMs?: number } = {}): Promise<T> {
  const client = new pg.Client({ connectionString: url, ...(options.connectTimeoutMs ? { connectionTimeoutMillis: options.connectTimeoutMs } : {}) });
  try {
    await client.connect();
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

const admin = <T>(fn: (client: pg.Client) => Promise<T>): Promise<T> => withPostgres(testPostgres!, fn);
