import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { projectRoot } from "../../src/content/files.js";
import { migrate, readMigrations } from "../../src/store/migrate.js";
import { openSqlite, sqliteMigrationDriver } from "../../src/store/sqlite.js";
import { tempDir } from "../helpers/store.js";

const MIGRATIONS = join(projectRoot(), "prisma", "migrations");
const dirs: { cleanup: () => void }[] = [];
afterEach(() => dirs.splice(0).forEach((d) => d.cleanup()));
function temp() {
  const d = tempDir();
  dirs.push(d);
  return d.path;
}

/** Tables, columns and indexes of a SQLite database, comparable between two databases. */
function schemaOf(db: Database.Database): string[] {
  const objects = db.prepare(`SELECT type, name, tbl_name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND name != '_prisma_migrations' ORDER BY type, name`).all() as { type: string; name: string; tbl_name: string }[];
  return objects.flatMap((o) => {
    if (o.type === "table") {
      const columns = db.prepare(`PRAGMA table_info("${o.name}")`).all() as { name: string; type: string; notnull: number; dflt_value: unknown; pk: number }[];
      // Column order is not compared: ALTER TABLE ADD COLUMN appends where the schema may list a column earlier.
      columns.sort((a, b) => a.name.localeCompare(b.name));
      return [`table ${o.name}: ${columns.map((c) => `${c.name} ${c.type}${c.notnull ? " not null" : ""}${c.pk ? ` pk${c.pk}` : ""}${c.dflt_value !== null ? ` default ${String(c.dflt_value)}` : ""}`).join(", ")}`];
    }
    const columns = db.prepare(`PRAGMA index_info("${o.name}")`).all() as { name: string }[];
    return [`${o.type} ${o.name} on ${o.tbl_name}(${columns.map((c) => c.name).join(",")})`];
  });
}

describe("migrations", () => {
  const all = readMigrations(MIGRATIONS);

  it("has at least one migration, each recorded with a checksum", () => {
    expect(all.length).toBeGreaterThanOrEqual(1);
    for (const m of all) expect(m.checksum).toMatch(/^[0-9a-f]{64}$/);
  });

  it("migrates an empty database, records each migration, and does nothing the second time", async () => {
    const db = openSqlite(join(temp(), "a.db"));
    const first = await migrate(sqliteMigrationDriver(db), all);
    expect(first.applied).toEqual(all.map((m) => m.name));
    const second = await migrate(sqliteMigrationDriver(db), all);
    expect(second.applied).toEqual([]);
    expect(second.alreadyApplied).toBe(all.length);
    const rows = db.prepare(`SELECT migration_name, checksum, finished_at FROM _prisma_migrations ORDER BY migration_name`).all() as { migration_name: string; checksum: string; finished_at: string }[];
    expect(rows.map((r) => [r.migration_name, r.checksum])).toEqual(all.map((m) => [m.name, m.checksum]));
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    db.close();
  });

  it("migrates from each earlier version to the latest", async () => {
    for (let k = 0; k < all.length; k++) {
      const db = openSqlite(join(temp(), `v${k}.db`));
      await migrate(sqliteMigrationDriver(db), all.slice(0, k));
      const report = await migrate(sqliteMigrationDriver(db), all);
      expect(report.applied).toEqual(all.slice(k).map((m) => m.name));
      db.close();
    }
  });

  it("refuses a migration edited after it was applied", async () => {
    const db = openSqlite(join(temp(), "edited.db"));
    await migrate(sqliteMigrationDriver(db), all);
    const edited = all.map((m, i) => (i === 0 ? { ...m, sql: m.sql + "\n-- edited", checksum: "0".repeat(64) } : m));
    await expect(migrate(sqliteMigrationDriver(db), edited)).rejects.toThrow(/was edited after it was applied/);
    db.close();
  });

  it("rolls a failing migration back entirely", async () => {
    const dir = temp();
    const db = openSqlite(join(dir, "fail.db"));
    const broken = [...all, { name: "99999999999999_broken", sql: `CREATE TABLE "half" ("id" TEXT);\nTHIS IS NOT SQL;`, checksum: "f".repeat(64) }];
    await expect(migrate(sqliteMigrationDriver(db), broken)).rejects.toThrow(/99999999999999_broken failed and was rolled back/);
    expect(db.prepare(`SELECT name FROM sqlite_master WHERE name = 'half'`).all()).toEqual([]);
    expect((db.prepare(`SELECT count(*) AS n FROM _prisma_migrations`).get() as { n: number }).n).toBe(all.length);
    db.close();
  });

  it("the migrations produce exactly the schema in prisma/schema.prisma (no drift)", () => {
    const dir = temp();
    const migrated = openSqlite(join(dir, "migrated.db"));
    for (const m of all) migrated.exec(m.sql);
    // What Prisma itself would create from the schema file, offline (WebAssembly engine).
    mkdirSync(join(dir, "var"), { recursive: true });
    const sql = execFileSync(process.execPath, [join(projectRoot(), "node_modules", "prisma", "build", "index.js"), "migrate", "diff", "--config", "prisma/prisma.config.ts", "--from-empty", "--to-schema-datamodel", "prisma/schema.prisma", "--script"], {
      cwd: projectRoot(),
      env: { ...process.env, DATABASE_URL: `file:${join(dir, "cli.db")}` },
      encoding: "utf8",
    });
    writeFileSync(join(dir, "expected.sql"), sql);
    const expected = new Database(join(dir, "expected.db"));
    expected.exec(sql);
    expect(schemaOf(migrated)).toEqual(schemaOf(expected));
    migrated.close();
    expected.close();
  });
});
