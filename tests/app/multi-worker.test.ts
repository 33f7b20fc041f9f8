/**
 * Three `npm start` processes on one PostgreSQL database, each with its own var/ folder (nothing shared but the
 * database and DALIL_SECRET), Telegram in webhook mode. Fifty people write at once, each message to a worker picked
 * at random, through the JSON API and the Telegram webhook; some Telegram updates are delivered twice, to two
 * workers. Every conversation must end referred, with exactly one saved step per distinct message and one logged
 * request per person, and the hourly job must have run once.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { projectRoot } from "../../src/content/files.js";
import { openDatabase, type Database } from "../../src/store/database.js";
import { FakeTelegram, deliverWebhook, updates, webhookEnv } from "../helpers/fake-telegram.js";
import { onPostgres, testDatabaseEnv, testDatabaseUrl } from "../helpers/postgres.js";
import { tempDir } from "../helpers/store.js";
import { REFERRAL_SCRIPT as SCRIPT, startWorkerProcess, type WorkerProcess } from "../helpers/workers.js";

const WORKERS = 3;
const PEOPLE = 50;
const shared = tempDir();
const dirs = Array.from({ length: WORKERS }, () => tempDir());
let api: FakeTelegram;
let workers: WorkerProcess[] = [];
let db: Database;

async function startWorker(dir: string): Promise<WorkerProcess> {
  return startWorkerProcess({
    ...(await testDatabaseEnv(shared.path)),
    DALIL_VAR_DIR: dir,
    LOG_LEVEL: "debug",
    ...webhookEnv(api.apiRoot),
    DATABASE_POOL_SIZE: "5",
  });
}

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;

describe.runIf(onPostgres)("three workers on one PostgreSQL", () => {
  beforeAll(async () => {
    api = await new FakeTelegram().start();
    // Started together: each applies migrations under the advisory lock, one after the other.
    workers = await Promise.all(dirs.map((d) => startWorker(d.path)));
    db = await openDatabase(await testDatabaseUrl(shared.path), { root: projectRoot() });
  }, 120_000);
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await db?.close();
    await api?.stop();
    for (const d of [shared, ...dirs]) d.cleanup();
  });

  it("serves fifty people writing at once through any worker, losing and repeating nothing; jobs run once", async () => {
    let updateId = 1_000;
    const duplicates: number[] = [];
    const person = async (index: number) => {
      const web = index % 2 === 0;
      const telegramId = 900_000 + index;
      const session = `multi-worker-person-${String(index).padStart(4, "0")}`;
      for (const [k, message] of SCRIPT.entries()) {
        if (web) {
          const response = await fetch(`${pick(workers).url}/api/chat`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ session, ...message }) });
          expect(response.status).toBe(200);
          continue;
        }
        const update = { update_id: updateId++, ...("text" in message ? (k === 0 ? updates.command(telegramId, "/start") : updates.text(telegramId, message.text)) : updates.press(telegramId, message.choice)) };
        const post = (worker: WorkerProcess) => deliverWebhook(worker.url, update);
        // One update in three arrives twice (Telegram retries when an answer is slow), at two workers at once.
        if (update.update_id % 3 === 0) {
          duplicates.push(update.update_id);
          const [a, b] = [pick(workers), pick(workers)];
          const answers = await Promise.all([post(a), post(b)]);
          for (const r of answers) expect(r.status).toBe(200);
        } else expect((await post(pick(workers))).status).toBe(200);
      }
    };
    await Promise.all(Array.from({ length: PEOPLE }, (_, i) => person(i)));

    const conversations = await db.prisma.conversation.findMany();
    expect(conversations).toHaveLength(PEOPLE);
    for (const c of conversations) {
      // One saved step per distinct message: none lost, none applied twice (the version counts saves).
      expect(c.version, `${c.channel} conversation`).toBe(SCRIPT.length);
      const state = JSON.parse(c.state) as { step: string; request: { categories: string[] } };
      // The end of the referral (Telegram then offers a follow-up; the web chat cannot reach anyone later).
      expect(state.step).toBe(c.channel === "telegram" ? "followup" : "after");
    }
    expect(await db.prisma.request.count()).toBe(PEOPLE);
    expect(await db.prisma.request.count({ where: { commune: "09.273.01.15", sex: "female", outcome: "referred" } })).toBe(PEOPLE);
    expect(await db.prisma.requestReferral.count()).toBe(PEOPLE * 3);
    expect(duplicates.length).toBeGreaterThan(10);
    // Each worker answered some of the work.
    const telegramReplies = api.sent("sendMessage").length;
    expect(telegramReplies).toBeGreaterThan(0);
    // The hourly job (abandoned requests, retention) ran once, on one of the three workers.
    const runs = workers.flatMap((w) => w.stderr.split("\n").filter((line) => line.includes('"scheduled job ran"') && line.includes('"job":"hourly"')));
    expect(runs).toHaveLength(1);
    expect(workers.every((w) => !/"level":50/.test(w.stderr)), workers.map((w) => w.stderr.split("\n").filter((l) => l.includes('"level":50')).join("\n")).join("\n")).toBe(true);
  });
});
