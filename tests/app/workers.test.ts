/**
 * Several workers on one database: scheduled jobs run once per interval across them, and messages for a channel
 * another process runs (WhatsApp) wait in the database until that process sends them, once.
 */
import { afterAll, describe, expect, it } from "vitest";
import type { Dalil } from "../../src/app/dalil.js";
import { runDueJobs } from "../../src/app/jobs.js";
import type { Outbound } from "../../src/engine/messages.js";
import { personHash } from "../../src/store/secret.js";
import { TestClock, secretOf, startTestDalil, tempDir } from "../helpers/store.js";

const MINUTE = 60_000;
const dir = tempDir();
const clock = new TestClock(new Date("2026-11-25T10:00:00Z"));
const workers: Dalil[] = [];
afterAll(async () => {
  for (const w of workers) await w.close();
  dir.cleanup();
});

async function worker(): Promise<Dalil> {
  const dalil = await startTestDalil(dir.path, { clock });
  workers.push(dalil);
  return dalil;
}

describe("several workers on one database", () => {
  it("run each scheduled job once per interval, whichever worker's timer fires", async () => {
    const [a, b, c] = [await worker(), await worker(), await worker()];
    const first = (await Promise.all([a, b, c].map((w) => runDueJobs(w.jobDeps)))).flat().sort();
    expect(first).toEqual(["handoff-reminders", "hourly"]);
    // Nothing is due again within the interval.
    clock.advance(10_000);
    expect((await Promise.all([a, b, c].map((w) => runDueJobs(w.jobDeps)))).flat()).toEqual([]);
    // A minute later the minute job runs once more, the hourly one does not.
    clock.advance(MINUTE);
    expect((await Promise.all([a, b, c].map((w) => runDueJobs(w.jobDeps)))).flat()).toEqual(["handoff-reminders"]);
    clock.advance(60 * MINUTE);
    expect((await Promise.all([a, b, c].map((w) => runDueJobs(w.jobDeps)))).flat().sort()).toEqual(["handoff-reminders", "hourly"]);
  });

  it("gives a failed job's lease back, so the next tick of any worker runs it again", async () => {
    const [a, b] = [workers[0]!, workers[1]!];
    clock.advance(2 * MINUTE);
    const failing = { ...a.jobDeps, handoff: { remind: () => Promise.reject(new Error("database went away")) } as never };
    expect(await runDueJobs(failing)).not.toContain("handoff-reminders");
    expect(await runDueJobs(b.jobDeps)).toContain("handoff-reminders");
  });

  it("runs follow-ups per channel on the worker that can reach it", async () => {
    const [a, b] = [workers[0]!, workers[1]!];
    b.delivery.register("whatsapp", async () => undefined);
    clock.advance(2 * MINUTE);
    const ran = [...(await runDueJobs(a.jobDeps)), ...(await runDueJobs(b.jobDeps))];
    expect(ran.filter((name) => name.startsWith("followups:"))).toEqual(["followups:whatsapp"]);
  });

  it("queues a message for a WhatsApp person on a worker without WhatsApp; the WhatsApp process sends it once", async () => {
    const [web, other] = [workers[0]!, workers[2]!];
    const whatsapp = await worker();
    const sent: { address: string; language: string; messages: readonly Outbound[] }[] = [];
    whatsapp.delivery.register("whatsapp", async (address, language, messages) => {
      await new Promise((r) => setTimeout(r, 20));
      sent.push({ address, language, messages });
    });
    const chat = "212600000001@c.us";
    await web.conversations.handle("whatsapp", chat, { kind: "text", text: "bonjour" }, { address: chat });
    await web.conversations.handle("whatsapp", chat, { kind: "choice", id: "language.fr" }, { address: chat });
    const stored = await web.conversationStore.find("whatsapp", personHash(secretOf(dir.path), "whatsapp", chat));
    expect(web.delivery.canPush("whatsapp")).toBe(false);
    await web.delivery.toConversation(stored!.id, "fr", [{ text: "Une animatrice vous répond.", role: "info" }]);
    await other.delivery.toConversation(stored!.id, "fr", [{ text: "Deuxième message.", role: "info" }]);
    // Two drains at once (a slow tick overlapping the next one, or two processes): each message goes out once.
    await Promise.all([whatsapp.delivery.drainOutboxes(), whatsapp.delivery.drainOutboxes()]);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ address: chat, language: "fr" });
    expect(sent[0]!.messages.map((m) => m.text)).toEqual(["Une animatrice vous répond.", "Deuxième message."]);
    expect(await whatsapp.delivery.drainOutboxes()).toBe(0);
  });

  it("puts the messages back when the send fails, and sends them at the next drain", async () => {
    const whatsapp = workers[3]!;
    const chat = "212600000002@c.us";
    await whatsapp.conversations.handle("whatsapp", chat, { kind: "text", text: "salam" }, { address: chat });
    const stored = await whatsapp.conversationStore.find("whatsapp", personHash(secretOf(dir.path), "whatsapp", chat));
    await workers[0]!.delivery.toConversation(stored!.id, "ar", [{ text: "رسالة", role: "info" }]);
    let fail = true;
    const got: string[] = [];
    whatsapp.delivery.register("whatsapp", async (_address, _language, messages) => {
      if (fail) throw new Error("browser closed");
      got.push(...messages.map((m) => m.text));
    });
    await expect(whatsapp.delivery.drainOutboxes()).rejects.toThrow(/browser closed/);
    fail = false;
    expect(await whatsapp.delivery.drainOutboxes()).toBe(1);
    expect(got).toEqual(["رسالة"]);
  });
});
