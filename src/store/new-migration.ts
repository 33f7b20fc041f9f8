/**
 * `npm run db:migration -- <name>`: writes the next migrations after a change to prisma/schema.prisma, for SQLite
 * (prisma/migrations/) and for PostgreSQL (prisma/postgresql/migrations/, from the PostgreSQL schema generated from the
 * same source).
 *
 * Prisma's `migrate dev` needs a native engine, which cannot be downloaded here; `migrate diff` between two schema
 * files runs offline. So each migration folder keeps a copy of the schema it leads to (`schema.prisma`), and the next
 * migration is the diff from the latest copy to the current schema. tests/store/migrations.test.ts and
 * tests/store/postgres-schema.test.ts check that the migrations and the schemas agree.
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { projectRoot } from "../content/files.js";
import { readMigrations } from "./migrate.js";
import { postgresSchemaFrom, readSourceSchema } from "./postgres-schema.js";

const root = projectRoot();
const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("Usage: npm run db:migration -- <name>   (a-z 0-9 _, e.g. add_ticket_table)");
  process.exit(1);
}
writeFileSync(join(root, "prisma", "postgresql", "schema.prisma"), postgresSchemaFrom(readSourceSchema(root)));
const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
const targets = [
  { dialect: "SQLite", folder: "prisma", url: "file:./var/dalil.db" },
  // Prisma's diff for PostgreSQL connects to a server (it changes nothing there): the local one unless told otherwise.
  { dialect: "PostgreSQL", folder: join("prisma", "postgresql"), url: process.env.DALIL_MIGRATION_PG_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres" },
];
let wrote = 0;
for (const target of targets) {
  const migrations = join(root, target.folder, "migrations");
  const schema = join(target.folder, "schema.prisma");
  const latest = readMigrations(migrations).at(-1);
  const from = latest ? join(migrations, latest.name, "schema.prisma") : null;
  if (from && !existsSync(from)) {
    console.error(`${from} is missing: every migration folder keeps the schema it leads to.`);
    process.exit(1);
  }
  const sql = execFileSync(
    process.execPath,
    [join(root, "node_modules", "prisma", "build", "index.js"), "migrate", "diff", "--config", join(target.folder, "prisma.config.ts"), ...(from ? ["--from-schema-datamodel", from] : ["--from-empty"]), "--to-schema-datamodel", schema, "--script"],
    { cwd: root, encoding: "utf8", env: { ...process.env, DATABASE_URL: target.url } },
  );
  if (sql.split("\n").every((line) => line.trim() === "" || line.startsWith("--"))) {
    console.log(`${target.dialect}: ${schema} has no change since the latest migration.`);
    continue;
  }
  const folder = join(migrations, `${stamp}_${name}`);
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, "migration.sql"), sql);
  copyFileSync(join(root, schema), join(folder, "schema.prisma"));
  console.log(`${target.dialect}: wrote ${folder}/migration.sql; start-up applies it.`);
  wrote++;
}
if (wrote === 0) console.log("Nothing to write.");
