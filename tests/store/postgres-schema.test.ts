/**
 * The PostgreSQL schema and migrations stay in lock-step with the one source schema (prisma/schema.prisma): the
 * committed copy is exactly what the generator makes of it, the latest PostgreSQL migration leads to it, and (with a
 * server) the migrations build the same tables, columns and indexes as Prisma would from the schema.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { projectRoot } from "../../src/content/files.js";
import { migrate, readMigrations } from "../../src/store/migrate.js";
import { postgresMigrationDriver } from "../../src/store/postgres.js";
import { postgresSchemaFrom, readSourceSchema } from "../../src/store/postgres-schema.js";
import { onPostgres, testDatabaseUrl, withPostgres } from "../helpers/postgres.js";
import { tempDir } from "../helpers/store.js";

const root = projectRoot();
const PG_MIGRATIONS = join(root, "prisma", "postgresql", "migrations");
const SQLITE_MIGRATIONS = join(root, "prisma", "migrations");
const FIX = "run `npm run db:migration -- <name>` after editing prisma/schema.prisma";

describe("the PostgreSQL schema, generated from prisma/schema.prisma", () => {
  it("is exactly what the generator makes of the source schema", () => {
    expect(readFileSync(join(root, "prisma", "postgresql", "schema.prisma"), "utf8"), FIX).toBe(postgresSchemaFrom(readSourceSchema(root)));
  });

  it("differs from the source only in provider and client folder", () => {
    const generated = postgresSchemaFrom(readSourceSchema(root));
    expect(generated).toContain('provider = "postgresql"');
    expect(generated).toContain("../../src/generated/prisma-pg");
    expect(() => postgresSchemaFrom(readSourceSchema(root).replace('provider = "sqlite"', 'provider = "mysql"'))).toThrow(/cannot find the datasource provider/);
  });

  it("has migrations whose latest leads to it, as the SQLite migrations lead to the source", () => {
    const latestPg = readMigrations(PG_MIGRATIONS).at(-1)!;
    expect(readFileSync(join(PG_MIGRATIONS, latestPg.name, "schema.prisma"), "utf8"), FIX).toBe(readFileSync(join(root, "prisma", "postgresql", "schema.prisma"), "utf8"));
    const latestSqlite = readMigrations(SQLITE_MIGRATIONS).at(-1)!;
    expect(readFileSync(join(SQLITE_MIGRATIONS, latestSqlite.name, "schema.prisma"), "utf8"), FIX).toBe(readSourceSchema(root));
  });
});

describe.runIf(onPostgres)("the PostgreSQL migrations on a server", () => {
  const dir = tempDir();
  afterAll(() => dir.cleanup());

  /** Tables, columns, indexes and foreign keys of the current schema, comparable between two databases. */
  function schemaOf(url: string): Promise<string[]> {
    return withPostgres(url, async (client) => {
      const columns = await client.query<{ t: string; c: string; type: string; nullable: string; def: string | null }>(
        `SELECT table_name AS t, column_name AS c, data_type AS type, is_nullable AS nullable, column_default AS def FROM information_schema.columns WHERE table_schema = current_schema() AND table_name <> '_prisma_migrations' ORDER BY 1, 2`,
      );
      const indexes = await client.query<{ d: string }>(`SELECT indexdef AS d FROM pg_indexes WHERE schemaname = current_schema() AND tablename <> '_prisma_migrations' ORDER BY 1`);
      const keys = await client.query<{ d: string }>(
        `SELECT conrelid::regclass::text || ' ' || pg_get_constraintdef(oid) AS d FROM pg_constraint WHERE connamespace = current_schema()::regnamespace AND contype IN ('f', 'u', 'p') AND conrelid::regclass::text <> '_prisma_migrations' ORDER BY 1`,
      );
      return [...columns.rows.map((r) => `${r.t}.${r.c} ${r.type} ${r.nullable} ${r.def ?? ""}`), ...indexes.rows.map((r) => r.d), ...keys.rows.map((r) => r.d)];
    });
  }

  it("build the same schema as Prisma would from the PostgreSQL schema, and apply once", async () => {
    const migratedUrl = await testDatabaseUrl(dir.path, "migrated");
    const { driver, close } = await postgresMigrationDriver(migratedUrl);
    try {
      const all = readMigrations(PG_MIGRATIONS);
      expect((await migrate(driver, all)).applied).toEqual(all.map((m) => m.name));
      expect((await migrate(driver, all)).applied).toEqual([]);
    } finally {
      await close();
    }
    const sql = execFileSync(process.execPath, [join(root, "node_modules", "prisma", "build", "index.js"), "migrate", "diff", "--config", "prisma/postgresql/prisma.config.ts", "--from-empty", "--to-schema-datamodel", "prisma/postgresql/schema.prisma", "--script"], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: migratedUrl },
      encoding: "utf8",
    });
    const expectedUrl = await testDatabaseUrl(dir.path, "expected");
    await withPostgres(expectedUrl, (client) => client.query(sql));
    expect(await schemaOf(migratedUrl)).toEqual(await schemaOf(expectedUrl));
  });

  it("rolls a failing migration back entirely, and two workers migrating at once apply each migration once", async () => {
    const url = await testDatabaseUrl(dir.path, "concurrent");
    const all = readMigrations(PG_MIGRATIONS);
    const drivers = await Promise.all([postgresMigrationDriver(url), postgresMigrationDriver(url), postgresMigrationDriver(url)]);
    try {
      const reports = await Promise.all(drivers.map(({ driver }) => migrate(driver, all)));
      expect(reports.flatMap((r) => r.applied).sort()).toEqual(all.map((m) => m.name).sort());
      const broken = [...all, { name: "99999999999999_broken", sql: `CREATE TABLE "half" ("id" TEXT);\nTHIS IS NOT SQL;`, checksum: "f".repeat(64) }];
      await expect(migrate(drivers[0]!.driver, broken)).rejects.toThrow(/99999999999999_broken failed and was rolled back/);
      expect(await drivers[0]!.driver.query(`SELECT to_regclass('half')::text AS t`)).toEqual([{ t: null }]);
    } finally {
      for (const { close } of drivers) await close();
    }
  });
});
