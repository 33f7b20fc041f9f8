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
