/**
 * The JSON API under 100 people writing at once: messages per second and latency per message, for one process on
 * SQLite, and one and three workers on PostgreSQL (requests spread round-robin over the workers). The load generator,
 * the workers and PostgreSQL share the same cores, so more workers need not be faster; the figures say what they are.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type pg from "pg";
import { postgresAnswers, withPostgres } from "../helpers/postgres.js";
import { REFERRAL_SCRIPT, startWorkerProcess, type WorkerProcess } from "../helpers/workers.js";
import { fmt, percentile } from "./stats.js";

const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 100);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SERVER = process.env.DALIL_BENCH_POSTGRES ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const SECRET = "bench-secret-0123456789abcdef0123456789abcdef";

interface Setup {
  name: string;
  workers: number;
  databaseUrl: () => Promise<{ url: string; drop: () => Promise<void> }>;
}

const admin = <T>(fn: (client: pg.Client) => Promise<T>): Promise<T> => withPostgres(SERVER, fn, { connectTimeoutMs: 2000 });

const postgresDatabase = async () => {
  const name = `dalil_bench_${Date.now()}`;
  await admin((c) => c.query(`CREATE DATABASE "${name}"`));
  const url = new URL(SERVER);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined) };
};

/** Each simulated person goes through the whole referral, one message after the other; all people at once. */
async function load(workers: readonly WorkerProcess[], round: number): Promise<{ latencies: number[]; seconds: number }> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: PEOPLE }, async (_, person) => {
      const session = `bench-${round}-${String(person).padStart(5, "0")}-xxxxxxxx`;
      for (const message of REFERRAL_SCRIPT) {
        const worker = workers[next++ % workers.length]!;
        const t0 = performance.now();
        const response = await fetch(`${worker.url}/api/chat`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ session, ...message }) });
        await response.arrayBuffer();
        if (response.status !== 200) throw new Error(`HTTP ${response.status} from ${worker.url}`);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  return { latencies, seconds: (performance.now() - started) / 1000 };
}

async function measure(setup: Setup): Promise<void> {
  const database = await setup.databaseUrl();
  const dirs = Array.from({ length: setup.workers }, () => mkdtempSync(join(tmpdir(), "dalil-bench-")));
  const workers: WorkerProcess[] = [];
  try {
    // One after the other: the first applies the migrations and imports the directory.
    for (const dir of dirs) {
      workers.push(await startWorkerProcess({ DATABASE_URL: database.url.startsWith("file:") ? `file:${join(dirs[0]!, "dalil.db")}` : database.url, DALIL_VAR_DIR: dir, DALIL_SECRET: SECRET, LOG_LEVEL: "warn", DATABASE_POOL_SIZE: "10", DALIL_RATE_LIMIT_MESSAGES: "1000", DALIL_RATE_LIMIT_IP_PER_MINUTE: "0", DALIL_RATE_LIMIT_GLOBAL_PER_MINUTE: "0" }));
    }
    await load(workers, -1); // warm-up: code paths compiled, caches filled
    const latencies: number[] = [];
    let messages = 0;
    let seconds = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const run = await load(workers, round);
      latencies.push(...run.latencies);
      messages += run.latencies.length;
      seconds += run.seconds;
    }
    console.log(
      `${setup.name.padEnd(28)} ${String(messages).padStart(6)} msgs  ${fmt(messages / seconds, 0).padStart(6)} msg/s   p50 ${fmt(percentile(latencies, 50), 1).padStart(6)} ms   p95 ${fmt(percentile(latencies, 95), 1).padStart(6)} ms   p99 ${fmt(percentile(latencies, 99), 1).padStart(6)} ms`,
    );
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
    await database.drop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
}

export default {
  name: `JSON API, ${PEOPLE} people at once, ${ROUNDS} rounds of ${REFERRAL_SCRIPT.length} messages each`,
  async run() {
    const setups: Setup[] = [{ name: "SQLite, 1 process", workers: 1, databaseUrl: async () => ({ url: "file:", drop: async () => undefined }) }];
    if (await postgresAnswers(SERVER)) {
      setups.push({ name: "PostgreSQL, 1 worker", workers: 1, databaseUrl: postgresDatabase }, { name: "PostgreSQL, 3 workers", workers: 3, databaseUrl: postgresDatabase });
    } else console.log(`(PostgreSQL figures skipped: no server answers at ${SERVER}; set DALIL_BENCH_POSTGRES)`);
    for (const setup of setups) await measure(setup);
  },
};
