// Each test file's PostgreSQL databases are dropped when it ends, so a run leaves nothing behind.
import { afterAll } from "vitest";
import { dropTestDatabases } from "../helpers/postgres.js";

afterAll(async () => {
  await dropTestDatabases();
});
