/**
 * `npm run bench -- load`: Dalil against its targets on SQLite, through the JSON API of a real `npm start` process.
 *
 * 1. Latency: PEOPLE simulated people, each sending the referral script message after message (a new session when it
 *    ends) with an exponential random pause of mean PAUSE between messages (200 people, 2 s: about 100 messages/s
 *    offered), for a fixed time after a warm-up: offered and achieved messages/s, p50/p95/p99 latency, errors.
 * 2. Saturation: the same people with no pauses: the most messages/s the process answers, and their latencies.
 * 3. Peak memory (VmHWM) of the server process, started on a database already holding STORED conversations (each the
 *    whole referral script, created in-process through the conversation service, which is much faster than HTTP), and
 *    again after each run.
 * 4. The engine alone: `step()` over the referral script in-process, no I/O (steps/s).
 * 5. The cost of one stored message: find + step + saveStep through the conversation service on SQLite, in-process,
 *    against bare better-sqlite3 writing the same rows (the conversation row, the request rows) with prepared
 *    statements, one transaction per message. Printed side by side with their ratio.
 *
 * The load generator, the server and everything else running share the machine's cores: the load average is printed
 * with each figure. Figures only; nothing here passes or fails on time.
 *
 * Settings (environment): BENCH_PEOPLE (200), BENCH_PAUSE_MS (2000), BENCH_WARMUP_S (5), BENCH_LATENCY_S (30),
 * BENCH_SATURATION_S (20), BENCH_STORED (10000), BENCH_INPROCESS_PEOPLE (250) and BENCH_INPROCESS_ROUNDS (5) for the
 * in-process parts, BENCH_LOAD_PARTS (engine,cost,server) to run some of them, BENCH_STORED_DB (a path: the stored
 * conversations are made once and copied from there in later runs), BENCH_SERVER_NODE_ARGS (flags for the server's
 * node, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`).
 */
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { Agent, request } from "node:http";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { startDalil, type Dalil } from "../../src/app/dalil.js";
import { parseConfig } from "../../src/config.js";
import { projectRoot } from "../../src/content/files.js";
import { loadContent } from "../../src/content/load.js";
import { hasOpenRequest } from "../../src/engine/abandon.js";
import type { Inbound } from "../../src/engine/messages.js";
import { step } from "../../src/engine/step.js";
import type { ConversationState } from "../../src/engine/state.js";
import type { SaveStep } from "../../src/store/conversations.js";
import { migrate, readMigrations } from "../../src/store/migrate.js";
import { RUNTIME_PRAGMAS, openSqlite, sqliteMigrationDriver } from "../../src/store/sqlite.js";
import { REFERRAL_SCRIPT, startWorkerProcess, type WorkerProcess } from "../helpers/workers.js";
import type { Benchmark } from "./run.js";
import { fmt, largest, percentile } from "./stats.js";

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const PEOPLE = env("BENCH_PEOPLE", 200);
const PAUSE_MS = env("BENCH_PAUSE_MS", 2000);
const WARMUP_S = env("BENCH_WARMUP_S", 5);
const LATENCY_S = env("BENCH_LATENCY_S", 30);
const SATURATION_S = env("BENCH_SATURATION_S", 20);
const STORED = env("BENCH_STORED", 10_000);
/** People and rounds of the in-process measurements (engine, cost of a stored message). */
const INPROCESS_PEOPLE = env("BENCH_INPROCESS_PEOPLE", 250);
const INPROCESS_ROUNDS = env("BENCH_INPROCESS_ROUNDS", 5);
/** Which parts to run (engine, cost, server), for repeating one. */
const PARTS = (process.env.BENCH_LOAD_PARTS ?? "engine,cost,server").split(",");
/** Flags for the server's node (`--cpu-prof --cpu-prof-dir=/tmp/prof`, `--max-old-space-size=200`), space-separated. */
const SERVER_NODE_ARGS = (process.env.BENCH_SERVER_NODE_ARGS ?? "").split(" ").filter((a) => a !== "");
/** A database of stored conversations kept here between runs: made once, copied for each run (it takes a while). */
const STORED_DB = process.env.BENCH_STORED_DB;

/**
 * Every load comes from one address, and saturation sends each person's messages as fast as they are answered: the
 * limits are raised far above the load, so that the runs measure messages handled, not refused. Every counter is still
 * counted for every message (the cost is the same as under the default limits).
 */
const UNLIMITED = { DALIL_RATE_LIMIT_MESSAGES: "1000000", DALIL_RATE_LIMIT_IP_PER_MINUTE: "100000000", DALIL_RATE_LIMIT_GLOBAL_PER_MINUTE: "100000000" };
const TARGETS = { p99Ms: 50, messagesPerSecond: 500, rssMb: 300 };
const SECRET = "bench-secret-0123456789abcdef0123456789abcdef";
const silent = pino({ level: "silent" });

const load = () => loadavg().map((l) => l.toFixed(2)).join(" ");
const verdict = (met: boolean) => (met ? "met" : "NOT met");
const median = (values: readonly number[]) => percentile(values, 50);

function toInbound(message: (typeof REFERRAL_SCRIPT)[number]): Inbound {
  return "choice" in message ? { kind: "choice", id: message.choice } : { kind: "text", text: message.text };
}

/**
 * Memory of a process from /proc, in MB: resident now (of which anonymous — heap, caches — and file-backed — the
 * program's code), and the peak resident (high-water mark) since it started.
 */
function memoryOf(pid: number): { rssMb: number; anonMb: number; fileMb: number; peakMb: number; text: string } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const mb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? Number.NaN) / 1024;
  const m = { rssMb: mb("VmRSS"), anonMb: mb("RssAnon"), fileMb: mb("RssFile"), peakMb: mb("VmHWM") };
  return { ...m, text: `RSS ${fmt(m.rssMb, 0)} MB (anonymous ${fmt(m.anonMb, 0)}, file-backed ${fmt(m.fileMb, 0)}), peak ${fmt(m.peakMb, 0)} MB` };
}

/** A Dalil in this process on the SQLite file in `dir`, without its timed jobs. */
async function inProcessDalil(dir: string): Promise<Dalil> {
  const config = parseConfig({ DATABASE_URL: `file:${join(dir, "dalil.db")}`, DALIL_VAR_DIR: dir, DALIL_SECRET: SECRET, LOG_LEVEL: "silent", ...UNLIMITED });
  return startDalil(config, { root: projectRoot(), logger: silent, jobs: false });
}

/** STORED people, each through the whole referral script, through the conversation service in this process. */
async function storeConversations(dir: string): Promise<void> {
  if (STORED_DB && existsSync(STORED_DB)) {
    copyFileSync(STORED_DB, join(dir, "dalil.db"));
    console.log(`stored conversations copied from ${STORED_DB} (made by an earlier run)`);
    return;
  }
  const dalil = await inProcessDalil(dir);
  try {
    const inbounds = REFERRAL_SCRIPT.map(toInbound);
    const started = performance.now();
    for (let person = 0; person < STORED; person++) {
      const session = `stored-${String(person).padStart(6, "0")}-xxxxxxxx`;
      for (const inbound of inbounds) await dalil.conversations.handle("web", session, inbound);
    }
    const seconds = (performance.now() - started) / 1000;
    console.log(`stored ${await dalil.conversationStore.count()} conversations (${STORED * inbounds.length} messages through the conversation service, in-process) in ${fmt(seconds, 1)} s`);
  } finally {
    await dalil.close();
  }
  if (STORED_DB) copyFileSync(join(dir, "dalil.db"), STORED_DB);
}

interface Sample {
  sentAt: number;
  doneAt: number;
  status: number; // 0: no answer (connection error)
}

/** Requests sent again because the server had just closed the idle kept-alive connection they went out on. */
let resent = 0;

/**
 * One POST /api/chat over a kept-alive connection; resolves with the status (0 when the request failed). A pause
 * longer than the server's keep-alive timeout (5 s) can meet the server closing the connection as the request goes
 * out: that request never reached Dalil, and is sent again once on a new connection, as browsers do.
 */
function post(url: URL, agent: Agent, body: string, retry = true): Promise<number> {
  return new Promise((resolve) => {
    const req = request(url, { method: "POST", agent, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) } }, (res) => {
      res.on("data", () => {});
      res.on("end", () => resolve(res.statusCode ?? 0));
      res.on("error", () => resolve(0));
    });
    req.on("error", (error: NodeJS.ErrnoException) => {
      if (retry && req.reusedSocket && error.code === "ECONNRESET") {
        resent++;
        resolve(post(url, agent, body, false));
      } else resolve(0);
    });
    req.end(body);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * PEOPLE people writing to the server until `seconds` after the warm-up: each goes through the script, starting a new
 * session when it ends, pausing an exponential random time of mean `pauseMs` before each message (none when 0).
 */
async function drive(worker: WorkerProcess, run: string, pauseMs: number, seconds: number): Promise<{ samples: Sample[]; from: number; to: number }> {
  const url = new URL("/api/chat", worker.url);
  const agent = new Agent({ keepAlive: true, maxSockets: PEOPLE });
  const samples: Sample[] = [];
  const started = performance.now();
  const from = started + WARMUP_S * 1000;
  const to = from + seconds * 1000;
  await Promise.all(
    Array.from({ length: PEOPLE }, async (_, person) => {
      for (let cycle = 0; ; cycle++) {
        const session = `${run}-${String(person).padStart(4, "0")}-${cycle}-xxxxxxxxxxxx`;
        for (const message of REFERRAL_SCRIPT) {
          if (pauseMs > 0) await sleep(-pauseMs * Math.log(1 - Math.random()));
          if (performance.now() >= to) return;
          const sentAt = performance.now();
          const status = await post(url, agent, JSON.stringify({ session, ...message }));
          samples.push({ sentAt, doneAt: performance.now(), status });
        }
      }
    }),
  );
  agent.destroy();
  return { samples, from, to };
}

function report(name: string, result: { samples: Sample[]; from: number; to: number }, seconds: number): { p99: number; perSecond: number } {
  const sent = result.samples.filter((s) => s.sentAt >= result.from && s.sentAt < result.to);
  const ok = sent.filter((s) => s.status === 200);
  const answeredInWindow = result.samples.filter((s) => s.status === 200 && s.doneAt >= result.from && s.doneAt < result.to).length;
  const latencies = ok.map((s) => s.doneAt - s.sentAt);
  const errors = new Map<number, number>();
  for (const s of sent) if (s.status !== 200) errors.set(s.status, (errors.get(s.status) ?? 0) + 1);
  const errorText =
    (errors.size === 0 ? "none" : [...errors].map(([status, n]) => `${n} × ${status === 0 ? "no answer" : `HTTP ${status}`}`).join(", ")) +
    (resent > 0 ? ` (${resent} sent again after the server closed an idle connection)` : "");
  resent = 0;
  const perSecond = answeredInWindow / seconds;
  console.log(
    `${name}: offered ${fmt(sent.length / seconds, 0)} msg/s, answered ${fmt(perSecond, 0)} msg/s (${ok.length} messages in ${seconds} s after ${WARMUP_S} s warm-up); ` +
      `latency p50 ${fmt(percentile(latencies, 50), 1)} ms, p95 ${fmt(percentile(latencies, 95), 1)} ms, p99 ${fmt(percentile(latencies, 99), 1)} ms, max ${fmt(largest(latencies), 1)} ms; errors: ${errorText}`,
  );
  return { p99: percentile(latencies, 99), perSecond };
}

async function serverRuns(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "dalil-load-"));
  let worker: WorkerProcess | undefined;
  try {
    console.log(`load average before: ${load()}`);
    await storeConversations(dir);
    worker = await startWorkerProcess({ DATABASE_URL: `file:${join(dir, "dalil.db")}`, DALIL_VAR_DIR: dir, DALIL_SECRET: SECRET, LOG_LEVEL: "warn", ...UNLIMITED }, { nodeArgs: SERVER_NODE_ARGS });
    if (SERVER_NODE_ARGS.length > 0) console.log(`server node flags: ${SERVER_NODE_ARGS.join(" ")}`);
    const pid = worker.process.pid!;
    const idle = memoryOf(pid);
    console.log(`server started on ${STORED} stored conversations: ${idle.text}`);

    console.log(`\nrun 1, latency: ${PEOPLE} people, a message every ${PAUSE_MS / 1000} s on average each (about ${fmt((PEOPLE * 1000) / PAUSE_MS, 0)} msg/s offered); load average ${load()}`);
    const latency = report("run 1", await drive(worker, "latency", PAUSE_MS, LATENCY_S), LATENCY_S);
    const afterLatency = memoryOf(pid);
    console.log(`server memory after run 1: ${afterLatency.text}; load average ${load()}`);

    console.log(`\nrun 2, saturation: ${PEOPLE} people, no pauses; load average ${load()}`);
    const saturation = report("run 2", await drive(worker, "saturation", 0, SATURATION_S), SATURATION_S);
    const peak = memoryOf(pid);
    console.log(`server memory after run 2: ${peak.text}; load average ${load()}`);

    console.log(`\ntargets (this machine, ${PEOPLE} people):`);
    console.log(`  p99 latency in run 1 under ${TARGETS.p99Ms} ms: ${fmt(latency.p99, 1)} ms — ${verdict(latency.p99 < TARGETS.p99Ms)}`);
    console.log(`  at least ${TARGETS.messagesPerSecond} msg/s in run 2: ${fmt(saturation.perSecond, 0)} msg/s — ${verdict(saturation.perSecond >= TARGETS.messagesPerSecond)}`);
    console.log(`  peak RSS under ${TARGETS.rssMb} MB with ${STORED} stored conversations: ${fmt(peak.peakMb, 0)} MB — ${verdict(peak.peakMb < TARGETS.rssMb)}`);
  } finally {
    await worker?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `step()` alone over the referral script, at `now`: steps per second, and the median cost of each message. */
function engineAlone(now: Date, label: string): void {
  const { content, directory } = loadContent();
  const inbounds = REFERRAL_SCRIPT.map(toInbound);
  let n = 0;
  const ctx = { content, directory, now, newId: () => `id-${++n}`, canFollowUp: false };
  const perMessage = inbounds.map(() => [] as number[]);
  const rates: number[] = [];
  for (let round = -1; round < INPROCESS_ROUNDS; round++) {
    const started = performance.now();
    for (let person = 0; person < INPROCESS_PEOPLE; person++) {
      let state: ConversationState | null = null;
      inbounds.forEach((inbound, i) => {
        const t0 = performance.now();
        state = step(state, inbound, ctx).state;
        if (round >= 0) perMessage[i]!.push(performance.now() - t0);
      });
    }
    if (round >= 0) rates.push((INPROCESS_PEOPLE * inbounds.length) / ((performance.now() - started) / 1000));
  }
  console.log(`engine alone, ${label}: ${fmt(median(rates), 0)} steps/s (median of ${INPROCESS_ROUNDS} rounds of ${INPROCESS_PEOPLE} scripts; load average ${load()})`);
  console.log(`  median µs per message of the script: ${perMessage.map((t, i) => `${i + 1}:${fmt(median(t) * 1000, 0)}`).join(" ")} (the last one refers)`);
}

/** The rows one save writes, replayed with bare better-sqlite3. */
interface Replay {
  conversation: { id: string; previousVersion: number | null; state: string; openRequest: number; now: string; userHash: string };
  requests: { id: string; date: string; language: string; region: string | null; commune: string | null; urgent: number; sex: string; ageBand: string; status: string; outcome: string; categories: string[]; referrals: string[]; month: string; personKey: string }[];
}

/** Find + step + saveStep through the conversation service, in-process, against bare better-sqlite3 inserts. */
async function costOfAStoredMessage(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "dalil-cost-"));
  const bareFile = join(dir, "bare.db");
  try {
    const dalil = await inProcessDalil(dir);
    const captured: SaveStep[] = [];
    const store = dalil.conversationStore;
    const spent = { find: 0, save: 0 };
    const find = store.find.bind(store);
    store.find = async (channel, userHash) => {
      const t0 = performance.now();
      const found = await find(channel, userHash);
      spent.find += performance.now() - t0;
      return found;
    };
    const saveStep = store.saveStep.bind(store);
    store.saveStep = async (save) => {
      captured.push(save);
      const t0 = performance.now();
      const saved = await saveStep(save);
      spent.save += performance.now() - t0;
      return saved;
    };
    const inbounds = REFERRAL_SCRIPT.map(toInbound);
    const serviceMs: number[] = [];
    const findMs: number[] = [];
    const saveMs: number[] = [];
    for (let round = -1; round < INPROCESS_ROUNDS; round++) {
      captured.length = 0;
      spent.find = spent.save = 0;
      const started = performance.now();
      for (let person = 0; person < INPROCESS_PEOPLE; person++) {
        const session = `cost-${round + 1}-${String(person).padStart(5, "0")}-xxxxxxxx`;
        for (const inbound of inbounds) await dalil.conversations.handle("web", session, inbound);
      }
      if (round < 0) continue;
      serviceMs.push((performance.now() - started) / captured.length);
      findMs.push(spent.find / captured.length);
      saveMs.push(spent.save / captured.length);
    }
    const rowsPerMessage = captured.length;
    const replays: Replay[] = [];
    const versions = new Map<string, { id: string; version: number }>();
    for (const save of captured) {
      const known = versions.get(save.userHash);
      const id = known?.id ?? `bare-${versions.size}`;
      const version = (known?.version ?? 0) + 1;
      versions.set(save.userHash, { id, version });
      replays.push({
        conversation: { id, previousVersion: known ? known.version : null, state: JSON.stringify(save.state), openRequest: hasOpenRequest(save.state!) ? 1 : 0, now: save.now.toISOString().replace("Z", "+00:00"), userHash: save.userHash },
        requests: save.events.flatMap((e) =>
          e.type === "request_logged"
            ? [{ ...e.request, id: e.request.id, region: e.request.region, commune: e.request.commune, urgent: e.request.urgent ? 1 : 0, month: e.request.date.slice(0, 7), personKey: `${save.userHash}-${e.request.date.slice(0, 7)}` }]
            : [],
        ),
      });
    }
    await dalil.close();

    const db = openSqlite(bareFile);
    await migrate(sqliteMigrationDriver(db), readMigrations(join(projectRoot(), "prisma", "migrations")));
    // The settings of Dalil's own connection, so that both sides wait for the disk alike.
    for (const pragma of RUNTIME_PRAGMAS) db.pragma(pragma);
    const synchronous = ["OFF", "NORMAL", "FULL", "EXTRA"][Number(db.pragma("synchronous", { simple: true }))] ?? "?";
    const insertConversation = db.prepare("INSERT INTO conversation (id, channel, user_hash, state, version, open_request, created_at, updated_at) VALUES (?, 'web', ?, ?, 1, ?, ?, ?)");
    const updateConversation = db.prepare("UPDATE conversation SET state = ?, version = ?, open_request = ?, updated_at = ? WHERE id = ? AND version = ?");
    const insertRequest = db.prepare("INSERT INTO request (id, date, channel, language, region, commune, urgent, sex, age_band, status, outcome) VALUES (?, ?, 'web', ?, ?, ?, ?, ?, ?, ?, ?)");
    const insertCategory = db.prepare("INSERT INTO request_category (request_id, category, rank) VALUES (?, ?, ?)");
    const insertReferral = db.prepare("INSERT INTO request_referral (request_id, service_id, rank) VALUES (?, ?, ?)");
    const insertPersonMonth = db.prepare("INSERT INTO person_month (month, channel, person_key) VALUES (?, 'web', ?) ON CONFLICT DO NOTHING");
    const save = db.transaction((r: Replay) => {
      const c = r.conversation;
      if (c.previousVersion === null) insertConversation.run(c.id, c.userHash, c.state, c.openRequest, c.now, c.now);
      else if (updateConversation.run(c.state, c.previousVersion + 1, c.openRequest, c.now, c.id, c.previousVersion).changes !== 1) throw new Error("version");
      for (const q of r.requests) {
        insertRequest.run(q.id, q.date, q.language, q.region, q.commune, q.urgent, q.sex, q.ageBand, q.status, q.outcome);
        q.categories.forEach((category, i) => insertCategory.run(q.id, category, i + 1));
        q.referrals.forEach((service, i) => insertReferral.run(q.id, service, i + 1));
        insertPersonMonth.run(q.month, q.personKey);
      }
    });
    const bareMs: number[] = [];
    for (let round = 0; round < INPROCESS_ROUNDS; round++) {
      db.exec("DELETE FROM request_referral; DELETE FROM request_category; DELETE FROM request; DELETE FROM person_month; DELETE FROM conversation;");
      const started = performance.now();
      for (const r of replays) save(r);
      bareMs.push((performance.now() - started) / replays.length);
    }
    db.close();
    const service = median(serviceMs);
    const bare = median(bareMs);
    console.log(
      `one stored message (${rowsPerMessage} messages a round, ${INPROCESS_ROUNDS} rounds, medians; synchronous=${synchronous} for both, as Dalil's connection; load average ${load()}):\n` +
        `  conversation service, find + step + saveStep: ${fmt(service * 1000, 0)} µs (find ${fmt(median(findMs) * 1000, 0)} µs, saveStep ${fmt(median(saveMs) * 1000, 0)} µs, ` +
        `step and the rest ${fmt((service - median(findMs) - median(saveMs)) * 1000, 0)} µs)\n` +
        `  bare better-sqlite3, the same rows (prepared statements, one transaction each): ${fmt(bare * 1000, 1)} µs\n` +
        `  ratio: ${fmt(service / bare, 1)}×`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const bench: Benchmark = {
  name: `load: ${PEOPLE} people on the JSON API (SQLite), the engine alone, the cost of a stored message`,
  async run() {
    if (PARTS.includes("engine")) {
      engineAlone(new Date(), "now (as the server sees it)");
      engineAlone(new Date("2026-11-25T10:00:00Z"), "a Wednesday at 11:00 (services open)");
    }
    if (PARTS.includes("cost")) await costOfAStoredMessage();
    if (PARTS.includes("server")) await serverRuns();
  },
};

export default bench;
