// Prisma CLI configuration for the PostgreSQL copy of the schema (generated from prisma/schema.prisma). Used offline
// only: `generate` and `migrate diff` between schema files; the migrations are applied by src/store/migrate.ts.
import { PrismaPg } from "@prisma/adapter-pg";
import { defineConfig } from "prisma/config";

// The CLI reads DATABASE_URL even for `generate` and file-to-file diffs, which never connect; a SQLite URL (the default
// deployment) would fail this schema's validation, so any non-PostgreSQL value is replaced here.
if (!/^postgres(ql)?:\/\//.test(process.env.DATABASE_URL ?? "")) process.env.DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/postgres";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "schema.prisma",
  adapter: async () => new PrismaPg({ connectionString: process.env.DATABASE_URL! }),
});
