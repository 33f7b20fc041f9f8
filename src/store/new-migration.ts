/**
 * `npm run db:migration -- <name>`: writes the next migration after a change to prisma/schema.prisma.
 *
 * Prisma's `migrate dev` needs a native engine, which cannot be downloaded here; `migrate diff` between two schema
 * files runs offline. So each migration folder keeps a copy of the schema it leads to (`schema.prisma`), and the next
 * migration is the diff from the latest copy to the current schema. tests/store/migrations.test.ts checks that the
 * migrations and the schema agree.
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { projectRoot } from "../content/files.js";
import { readMigrations } from "./migrate.js";

const root = projectRoot();
const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("Usage: npm run db:migration -- <name>   (a-z 0-9 _, e.g. add_ticket_table)");
  process.exit(1);
}
const folder = join(root, "prisma", "migrations");
const latest = readMigrations(folder).at(-1);
const from = latest ? join(folder, latest.name, "schema.prisma") : null;
if (from && !existsSync(from)) {
  console.error(`${from} is missing: every migration folder keeps the schema it leads to.`);
  process.exit(1);
}
const sql = execFileSync(
  process.execPath,
  [join(root, "node_modules", "prisma", "build", "index.js"), "migrate", "diff", "--config", "prisma/prisma.config.ts", ...(from ? ["--from-schema-datamodel", from] : ["--from-empty"]), "--to-schema-datamodel", "prisma/schema.prisma", "--script"],
  { cwd: root, encoding: "utf8", env: { DATABASE_URL: "file:./var/dalil.db", ...process.env } },
);
if (sql.split("\n").every((line) => line.trim() === "" || line.startsWith("--"))) {
  console.log("prisma/schema.prisma has no change since the latest migration: nothing to write.");
  process.exit(0);
}
const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
const target = join(folder, `${stamp}_${name}`);
mkdirSync(target, { recursive: true });
writeFileSync(join(target, "migration.sql"), sql);
copyFileSync(join(root, "prisma", "schema.prisma"), join(target, "schema.prisma"));
console.log(`Wrote ${target}/migration.sql; start-up applies it.`);
