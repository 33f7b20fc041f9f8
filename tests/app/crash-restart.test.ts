/**
 * `kill -9` in the middle of conversations, then a restart on the same database: each person continues from the step
 * they were at and their request is logged exactly once. Telegram (webhook) redelivers an update it got no answer for,
 * as Telegram does; the web chat's person sends again a message that got no answer, as the page lets them.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../../src/store/database.js";
import { projectRoot } from "../../src/content/files.js";
import { FakeTelegram, deliverWebhook, updates, webhookEnv } from "../helpers/fake-telegram.js";
import { testDatabaseEnv, testDatabaseUrl } from "../helpers/postgres.js";
import { tempDir } from "../helpers/store.js";
import { REFERRAL_SCRIPT, startWorkerProcess, type WorkerProcess } from "../helpers/workers.js";

const dir = tempDir();
let api: FakeTelegram;
let worker: WorkerProcess;
let db: Database;

async function start(): Promise<WorkerProcess> {
  return startWorkerProcess({
    ...(await testDatabaseEnv(dir.path)),
    DALIL_VAR_DIR: dir.path,
    ...webhookEnv(api.apiRoot),
  });
}

/** Kills the process with SIGKILL (no clean-up of any kind) and starts a new one on the same database and var/. */
async function crashAndRestart(): Promise<void> {
  const exited = new Promise((resolve) => worker.process.once("exit", resolve));
  worker.process.kill("SIGKILL");
  await exited;
  worker = await start();
}

beforeAll(async () => {
  api = await new FakeTelegram().start();
  worker = await start();
  db = await openDatabase(await testDatabaseUrl(dir.path), { root: projectRoot() });
}, 120_000);
afterAll(async () => {
  await worker?.stop();
  await db?.close();
  await api?.stop();
  dir.cleanup();
});

describe("a crash (SIGKILL) in the middle of conversations", () => {
  it("loses nothing and logs each request once: the person continues from the same step after the restart", async () => {
    const telegramUser = 555_001;
    const session = "crash-restart-web-person-0001";
    let updateId = 70_000;
    const crashAt = new Set([2, 4, 6]);
    for (const [k, message] of REFERRAL_SCRIPT.entries()) {
      // Telegram: the update is sent; when a crash cuts it off without an answer, Telegram sends it again.
      const update = { update_id: updateId++, ...("text" in message ? updates.text(telegramUser, message.text) : updates.press(telegramUser, message.choice)) };
      const deliver = () =>
        deliverWebhook(worker.url, update).then(
          (r) => r.status === 200,
          () => false,
        );
      const web = () =>
        fetch(`${worker.url}/api/chat`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ session, ...message }) }).then(
          (r) => r.status === 200,
          () => false,
        );
      if (crashAt.has(k)) {
        // Both messages are in flight when the process is killed.
        const inFlight = Promise.all([deliver(), web()]);
        await new Promise((r) => setTimeout(r, 5));
        await crashAndRestart();
        const [telegramAnswered, webAnswered] = await inFlight;
        console.log(`crash at message ${k + 1}: telegram ${telegramAnswered ? "answered" : "cut"}, web ${webAnswered ? "answered" : "cut"}`);
        if (!telegramAnswered) expect(await deliver()).toBe(true);
        if (!webAnswered) expect(await web()).toBe(true);
      } else {
        expect(await deliver()).toBe(true);
        expect(await web()).toBe(true);
      }
    }
    const conversations = await db.prisma.conversation.findMany();
    expect(conversations.map((c) => c.channel).sort()).toEqual(["telegram", "web"]);
    const telegram = conversations.find((c) => c.channel === "telegram")!;
    // Each update applied exactly once, redeliveries included.
    expect(telegram.version).toBe(REFERRAL_SCRIPT.length);
    // Both reached the end of the referral, as a person never interrupted does (Telegram then offers a follow-up).
    for (const c of conversations) expect(JSON.parse(c.state).step, c.channel).toBe(c.channel === "telegram" ? "followup" : "after");
    const requests = await db.prisma.request.findMany();
    expect(requests.map((r) => r.channel).sort()).toEqual(["telegram", "web"]);
    for (const r of requests) expect(r).toMatchObject({ commune: "09.273.01.15", sex: "female", outcome: "referred" });
  });
});
