// Prisma CLI configuration. Prisma 6.19 runs offline with its WebAssembly engines through a driver adapter; every
// CLI command needs DATABASE_URL, or it falls back to downloading a native engine (see ARCHITECTURE.md, "Storage").
import { mkdirSync } from "node:fs";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { defineConfig } from "prisma/config";

// A PostgreSQL deployment installs with its own DATABASE_URL set; this SQLite schema only accepts file: URLs.
if (!(process.env.DATABASE_URL ?? "").startsWith("file:")) process.env.DATABASE_URL = "file:./var/dalil.db";
mkdirSync("var", { recursive: true });

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "schema.prisma",
  adapter: async () => new PrismaBetterSQLite3({ url: process.env.DATABASE_URL! }),
});
