import { defineConfig } from "vitest/config";
import { postgresAnswers } from "./helpers/postgres.js";

/**
 * Two projects: `sqlite` runs every test file; `postgresql` runs again every file that stores anything, each on a
 * database of its own on the server in DALIL_TEST_POSTGRES (default: the local one; `off` leaves it out). When no
 * server answers, the PostgreSQL project is left out with a message saying so.
 */
const STORAGE_TESTS = ["tests/{app,channels,cli,directory,handoff,http,monitoring,store,web}/**/*.test.ts"];
// SQLite's own mechanics (its migration files, sqlite_master, WAL); their PostgreSQL counterparts are in tests/store/postgres-*.test.ts.
const SQLITE_ONLY = ["tests/store/migrations.test.ts"];

const shared = {
  // Generous: on 2 cores, browser and process tests share the machine with the rest of the suite.
  testTimeout: 90_000,
  hookTimeout: 60_000,
  // Seeded order: a failure reproduces with the same seed.
  sequence: { seed: 20261127 },
};

export default defineConfig(async () => {
  const server = process.env.DALIL_TEST_POSTGRES ?? "postgresql://postgres@127.0.0.1:5432/postgres";
  const postgres = server !== "off" && (await postgresAnswers(server));
  if (!postgres) {
    console.warn(server === "off" ? "PostgreSQL tests skipped: DALIL_TEST_POSTGRES=off" : `PostgreSQL tests skipped: no PostgreSQL answers at ${server} (start it, or set DALIL_TEST_POSTGRES)`);
  }
  return {
    test: {
      projects: [
        { test: { ...shared, name: "sqlite", include: ["tests/**/*.test.ts"], env: { DALIL_TEST_POSTGRES: "" } } },
        ...(postgres
          ? [{ test: { ...shared, name: "postgresql", include: STORAGE_TESTS, exclude: SQLITE_ONLY, env: { DALIL_TEST_POSTGRES: server }, setupFiles: ["tests/setup/drop-databases.ts"] } }]
          : []),
      ],
    },
  };
});
