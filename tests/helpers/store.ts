import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { startDalil, type Dalil } from "../../src/app/dalil.js";
import { parseConfig } from "../../src/config.js";
import { projectRoot } from "../../src/content/files.js";
import { realContent } from "./content.js";
import { TEST_SECRET, onPostgres, testDatabaseUrl } from "./postgres.js";

/** A temporary folder removed by `cleanup()`. */
export function tempDir(prefix = "dalil-test-"): { path: string; cleanup: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}

/** A clock tests move by hand. */
export class TestClock {
  constructor(public now: Date = new Date("2026-11-25T10:00:00Z")) {}
  readonly read = () => this.now;
  advance(ms: number): void {
    this.now = new Date(this.now.getTime() + ms);
  }
}

/**
 * A clock that runs at real speed from a fixed weekday morning, for tests that need time to pass (rate limits,
 * timeouts) and also answers that depend on the facilitators' working hours.
 */
export function runningClockFrom(start: Date = new Date("2026-11-25T10:00:00Z")): TestClock {
  const offset = start.getTime() - Date.now();
  const clock = new TestClock(start);
  Object.defineProperty(clock, "read", { value: () => new Date(Date.now() + offset) });
  return clock;
}

/** The secret a test Dalil in `dir` hashes people with: generated into `dir` on SQLite, the shared one on PostgreSQL. */
export function secretOf(dir: string): Buffer {
  return Buffer.from(onPostgres ? TEST_SECRET : readFileSync(join(dir, "secret.key"), "utf8").trim());
}

export const silentLogger = pino({ level: "silent" });

/** Dalil on a database of its own for `dir` (a SQLite file there, or a PostgreSQL database in the postgresql project) (a new database when the file does not exist yet), with the real content. */
export async function startTestDalil(dir: string, options: { clock?: TestClock; env?: Record<string, string> } = {}): Promise<Dalil> {
  const config = parseConfig({ DATABASE_URL: await testDatabaseUrl(dir), DALIL_VAR_DIR: dir, ...(onPostgres ? { DALIL_SECRET: TEST_SECRET } : {}), ...options.env });
  return startDalil(config, {
    root: projectRoot(),
    logger: silentLogger,
    loaded: realContent(),
    jobs: false,
    ...(options.clock ? { clock: options.clock.read } : {}),
  });
}
