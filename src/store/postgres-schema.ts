/**
 * The PostgreSQL schema is generated from the one source schema, prisma/schema.prisma: a Prisma schema names one
 * provider, so the PostgreSQL client and migrations need their own copy. Only the provider and the client's output
 * folder differ; tests/store/postgres-schema.test.ts fails when the committed copy or its migrations drift.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

export const POSTGRES_SCHEMA_HEADER = "// GENERATED from prisma/schema.prisma by `npm run db:migration`: edit that file, not this one.\n";

/** The PostgreSQL schema text for a SQLite source schema text. */
export function postgresSchemaFrom(source: string): string {
  const replaced = replaceOnce(
    replaceOnce(source, /provider\s*=\s*"sqlite"/, 'provider = "postgresql"', "the datasource provider"),
    /output\s*=\s*"\.\.\/src\/generated\/prisma"/,
    'output              = "../../src/generated/prisma-pg"',
    "the generator output",
  );
  return POSTGRES_SCHEMA_HEADER + replaced;
}

export function readSourceSchema(root: string): string {
  return readFileSync(join(root, "prisma", "schema.prisma"), "utf8");
}

function replaceOnce(text: string, pattern: RegExp, replacement: string, what: string): string {
  if (!pattern.test(text)) throw new Error(`prisma/schema.prisma: cannot find ${what} (${pattern}) to derive the PostgreSQL schema`);
  return text.replace(pattern, replacement);
}
