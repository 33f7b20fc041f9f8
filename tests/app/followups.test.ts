/**
 * Referral follow-ups end to end on a simulated clock: a referral on Telegram with consent, the question on the due
 * day, one reminder, expiry; none without consent, after stop or deletion, or outside polite hours; answers stored as
 * codes; restarts and crashes never send a follow-up twice.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Dalil } from "../../src/app/dalil.js";
import type { Inbound, Outbound } from "../../src/engine/messages.js";
import { TestClock, startTestDalil, tempDir } from "../helpers/store.js";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const press = (id: string): Inbound => ({ kind: "choice", id });

/** Wednesday 25 November 2026, 11:00 in Casablanca (UTC+1). */
const REFERRAL_TIME = new Date("2026-11-25T10:00:00Z");

interface Sent {
  address: string;
  at: string;
  messages: readonly Outbound[];
}

let dir: { path: string; cleanup: () => void };
let clock: TestClock;
let dalil: Dalil;
let sent: Sent[];

/** Dalil with a Telegram sender that records what it sends. */
async function start(sender: (s: Sent) => Promise<void> = async (s) => void sent.push(s)): Promise<Dalil> {
  const instance = await startTestDalil(dir.path, { clock });
  instance.delivery.register("telegram", (address, _language, messages) => sender({ address, at: clock.now.toISOString(), messages }));
  return instance;
}

beforeEach(async () => {
  dir = tempDir();
  clock = new TestClock(REFERRAL_TIME);
  sent = [];
  dalil = await start();
});
afterEach(async () => {
  await dalil.close();
  dir.cleanup();
});

async function say(userId: string, ...messages: (Inbound | string)[]) {
  let last;
  for (const m of messages) {
    const received = await dalil.conversations.receive("telegram", userId, typeof m === "string" ? { kind: "text", text: m } : m, { address: `chat-${userId}` });
    if (received.kind !== "replied") throw new Error(`message not handled: ${received.kind}`);
    last = received.result;
  }
  return last!;
}

/** A health request in Inezgane, up to the follow-up question; returns that question's reply. */
async function referral(userId: string, need = "j'ai besoin d'un médecin") {
  return say(userId, "bonjour", press("language.fr"), press("privacy.continue"), need, "Inezgane", press("sex.female"), press("age_band.18-59"), press("status.migrant"));
}

const rows = () => dalil.db.prisma.followup.findMany({ orderBy: { id: "asc" } });
const at = (iso: string) => (clock.now = new Date(iso));
const texts = (s: Sent) => s.messages.map((m) => m.text).join("\n");
const buttons = (s: Sent) => s.messages.flatMap((m) => m.choices ?? []).map((c) => c.id);

describe("asking for consent", () => {
  it("is asked at the end of a Telegram referral, naming the first service, sooner for health", async () => {
    const reply = await referral("p1");
    const question = reply.outbound.at(-1)!;
    expect(question.text).toMatch(/^Puis-je vous écrire demain pour savoir si vous avez pu aller chez .+ \?/);
    expect(question.choices?.map((c) => c.id)).toEqual(["followup.yes", "followup.no"]);
    expect(await rows()).toEqual([]);
  });

  it("three days later for a need without its own delay", async () => {
    const reply = await referral("p1", "je cherche un travail");
    expect(reply.outbound.at(-1)!.text).toContain("dans 3 jours");
  });

  it("is not asked on the web chat, which cannot reach the person later", async () => {
    let last;
    for (const m of ["bonjour", press("language.fr"), press("privacy.continue"), "j'ai besoin d'un médecin", "Inezgane", press("sex.female"), press("age_band.18-59"), press("status.migrant")]) {
      last = await dalil.conversations.handle("web", "w1", typeof m === "string" ? { kind: "text", text: m } : m);
    }
    expect(last!.outbound.map((m) => m.text).join("\n")).not.toContain("Puis-je vous écrire");
    expect(last!.outbound.at(-1)!.choices?.map((c) => c.id)).toContain("after.new");
  });

  it("no: nothing is scheduled and the conversation goes on as before", async () => {
    await referral("p1");
    const reply = await say("p1", press("followup.no"));
    expect(reply.outbound.at(-1)!.choices?.map((c) => c.id)).toContain("after.new");
    expect(await rows()).toEqual([]);
    for (let day = 0; day < 10; day++) {
      clock.advance(DAY);
      await dalil.followups.run();
    }
    expect(sent).toEqual([]);
  });

  it("yes: one follow-up row for the request's first service; the consent lives in the conversation only", async () => {
    await referral("p1");
    const reply = await say("p1", press("followup.yes"));
    expect(reply.outbound[0]!.text).toBe("D'accord, je vous écrirai demain.");
    const [row] = await rows();
    const request = await dalil.db.prisma.request.findFirstOrThrow({ include: { referrals: { orderBy: { rank: "asc" } } } });
    expect(row).toMatchObject({ requestId: request.id, serviceId: request.referrals[0]!.serviceId, channel: "telegram", state: "scheduled", answer: null });
    expect(row!.dueAt?.toISOString()).toBe("2026-11-26T10:00:00.000Z");
    const conversation = await dalil.db.prisma.conversation.findFirstOrThrow();
    expect(JSON.parse(conversation.state).followup).toEqual({ consent: true, asked: null });
    expect(Object.keys(request)).not.toContain("followup");
  });
});

describe("sending", () => {
  it("sends one question when due, one reminder later, then expires: never more than two messages", async () => {
    await referral("p1");
    await say("p1", press("followup.yes"));
    at("2026-11-26T09:59:00Z");
    expect((await dalil.followups.run()).sent).toBe(0);
    at("2026-11-26T10:00:00Z");
    expect((await dalil.followups.run()).sent).toBe(1);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.address).toBe("chat-p1");
    expect(texts(sent[0]!)).toMatch(/^Bonjour, c'est Dalil\. Il y a quelques jours, je vous ai indiqué .+\. Avez-vous pu y aller \?$/);
    expect(buttons(sent[0]!)).toEqual(["fu.helped", "fu.reached_not_helped", "fu.not_yet", "fu.could_not", "fu.stop"]);
    await dalil.followups.run();
    clock.advance(47 * HOUR);
    await dalil.followups.run();
    expect(sent).toHaveLength(1);
    clock.advance(HOUR);
    expect((await dalil.followups.run()).reminded).toBe(1);
    expect(sent).toHaveLength(2);
    expect(texts(sent[1]!)).toMatch(/^Petit rappel de Dalil/);
    for (let day = 0; day < 10; day++) {
      clock.advance(DAY);
      await dalil.followups.run();
    }
    expect(sent).toHaveLength(2);
    const [row] = await rows();
    // Closed: codes only, no link to the conversation, no times.
    expect(row).toMatchObject({ state: "closed", answer: "no_answer", reminded: true, conversationId: null, dueAt: null, sentAt: null });
  });

  it("waits for the polite hours (09:00–20:00 in Casablanca)", async () => {
    at("2026-11-25T20:30:00Z"); // 21:30 local
    await referral("p1");
    await say("p1", press("followup.yes"));
    at("2026-11-26T20:30:00Z");
    await dalil.followups.run();
    at("2026-11-27T07:59:00Z"); // 08:59 local
    await dalil.followups.run();
    expect(sent).toEqual([]);
    at("2026-11-27T08:00:00Z"); // 09:00 local
    await dalil.followups.run();
    expect(sent.map((s) => s.at)).toEqual(["2026-11-27T08:00:00.000Z"]);
    // The reminder, due at 08:00 local two days later, waits for 09:00 too.
    at("2026-11-29T07:30:00Z");
    await dalil.followups.run();
    expect(sent).toHaveLength(1);
    at("2026-11-29T08:00:00Z");
    await dalil.followups.run();
    expect(sent.map((s) => s.at)).toEqual(["2026-11-27T08:00:00.000Z", "2026-11-29T08:00:00.000Z"]);
  });

  it("does not interrupt a person who is writing: the question waits until they have been quiet a while", async () => {
    await referral("p1");
    await say("p1", press("followup.yes"));
    at("2026-11-26T09:55:00Z");
    await say("p1", "bonjour");
    at("2026-11-26T10:00:00Z");
    await dalil.followups.run();
    expect(sent).toEqual([]);
    at("2026-11-26T10:10:00Z");
    await dalil.followups.run();
    expect(sent).toHaveLength(1);
  });

  it("is not sent when the channel is not running in this process, and goes out once it is", async () => {
    await referral("p1");
    await say("p1", press("followup.yes"));
    await dalil.close();
    dalil = await startTestDalil(dir.path, { clock });
    at("2026-11-26T10:00:00Z");
    expect((await dalil.followups.run()).waiting).toBe(1);
    dalil.delivery.register("telegram", async (address, _language, messages) => void sent.push({ address, at: clock.now.toISOString(), messages }));
    expect((await dalil.followups.run()).sent).toBe(1);
  });

  it("a channel that refuses the message (the person blocked the bot) closes it as undelivered, never retried", async () => {
    await dalil.close();
    dalil = await start(async () => {
      throw new Error("Forbidden: bot was blocked by the user");
    });
    await referral("p1");
    await say("p1", press("followup.yes"));
    at("2026-11-26T10:00:00Z");
    expect((await dalil.followups.run()).undelivered).toBe(1);
    clock.advance(3 * DAY);
    await dalil.followups.run();
    expect(await rows()).toMatchObject([{ state: "closed", answer: "undelivered", conversationId: null }]);
  });
});

describe("never sent", () => {
  it("after 'stop asking' on the question: no reminder", async () => {
    await referral("p1");
    await say("p1", press("followup.yes"));
    at("2026-11-26T10:00:00Z");
    await dalil.followups.run();
    clock.advance(HOUR);
    const reply = await say("p1", press("fu.stop"));
    expect(reply.outbound[0]!.text).toBe("C'est noté, je ne vous poserai plus la question.");
    for (let day = 0; day < 10; day++) {
      clock.advance(DAY);
      await dalil.followups.run();
    }
    expect(sent).toHaveLength(1);
    expect(await rows()).toMatchObject([{ state: "closed", answer: "stopped", daysToAnswer: 0 }]);
  });

  it("after 'stop' typed before the day: the follow-up is cancelled, and later referrals do not ask again", async () => {
    await referral("p1");
    await say("p1", press("followup.yes"));
    clock.advance(HOUR);
    await say("p1", "stop");
    clock.advance(HOUR);
    const again = await say("p1", press("g.menu"), "je cherche un travail", "Agadir");
    expect(again.outbound.map((m) => m.text).join("\n")).not.toContain("Puis-je vous écrire");
    for (let day = 0; day < 10; day++) {
      clock.advance(DAY);
      await dalil.followups.run();
    }
    expect(sent).toEqual([]);
    expect(await rows()).toMatchObject([{ state: "cancelled", answer: null, conversationId: null }]);
  });

  it("after the person deleted their data", async () => {
    await referral("p1");
    await say("p1", press("followup.yes"));
    clock.advance(HOUR);
    await say("p1", "supprimer mes données", press("g.delete.yes"));
    expect(await dalil.db.prisma.conversation.count()).toBe(0);
    for (let day = 0; day < 10; day++) {
      clock.advance(DAY);
      await dalil.followups.run();
    }
    expect(sent).toEqual([]);
    expect(await rows()).toMatchObject([{ state: "cancelled", conversationId: null }]);
  });

  it("after the conversation expired under the retention setting", async () => {
    await referral("p1");
    await say("p1", press("followup.yes"));
    await dalil.db.prisma.conversation.deleteMany({});
    at("2026-11-26T10:00:00Z");
    expect((await dalil.followups.run()).cancelled).toBe(1);
    expect(sent).toEqual([]);
  });
});

describe("answers land as codes", () => {
  async function asked(userId: string) {
    await referral(userId);
    await say(userId, press("followup.yes"));
    at("2026-11-26T10:00:00Z");
    await dalil.followups.run();
    at("2026-11-28T09:00:00Z");
  }

  it("yes, helped: closed with days to answer; the request row is untouched", async () => {
    await asked("p1");
    const reply = await say("p1", press("fu.helped"));
    expect(reply.outbound.at(-1)!.text).toMatch(/^Tant mieux/);
    expect(await rows()).toMatchObject([{ state: "closed", answer: "helped", reason: null, daysToAnswer: 1, conversationId: null, sentAt: null }]);
  });

  it("no, I could not → the reason is asked, optional, and stored as a code", async () => {
    await asked("p1");
    const why = await say("p1", press("fu.could_not"));
    expect(why.outbound.at(-1)!.choices?.map((c) => c.id)).toEqual(["fu.reason.closed", "fu.reason.too_far", "fu.reason.cost", "fu.reason.documents", "fu.reason.language", "fu.reason.unwelcome", "fu.reason.other", "fu.reason.skip"]);
    expect(await rows()).toMatchObject([{ answer: "could_not", reason: null }]);
    const thanks = await say("p1", "2");
    expect(thanks.outbound.at(-1)!.choices?.map((c) => c.id)).toEqual(["g.human", "g.menu"]);
    expect(await rows()).toMatchObject([{ answer: "could_not", reason: "too_far", daysToAnswer: 1 }]);
  });

  it("not yet → the service's card again and a facilitator", async () => {
    await asked("p1");
    const reply = await say("p1", "Pas encore");
    expect(reply.outbound.map((m) => m.role)).toEqual(["info", "referral", "prompt"]);
    expect(reply.outbound[1]!.text).toMatch(/^[^0-9].*\n📍/);
    expect(reply.outbound.at(-1)!.choices?.map((c) => c.id)).toEqual(["g.human", "g.menu"]);
    expect(await rows()).toMatchObject([{ answer: "not_yet" }]);
  });

  it("an answer after the reminder still counts, once; a second press changes nothing", async () => {
    await asked("p1");
    at("2026-11-28T10:00:00Z");
    await dalil.followups.run();
    expect(sent).toHaveLength(2);
    await say("p1", press("fu.reached_not_helped"));
    const again = await say("p1", press("fu.helped"));
    expect(again.outbound[0]!.text).toBe("Ce bouton n'est plus valable. Voici la question en cours :");
    expect(await rows()).toMatchObject([{ answer: "reached_not_helped", reminded: true, daysToAnswer: 2 }]);
  });
});

describe("restarts and crashes", () => {
  it("a restart between scheduling and sending sends it once", async () => {
    await referral("p1");
    await say("p1", press("followup.yes"));
    await dalil.close();
    dalil = await start();
    at("2026-11-26T10:00:00Z");
    await dalil.followups.run();
    await dalil.followups.run();
    expect(sent).toHaveLength(1);
  });

  it("a crash right after sending (before it was marked sent) does not send it again", async () => {
    await referral("p1");
    await say("p1", press("followup.yes"));
    await dalil.close();
    // A process that sends and dies before recording it: the send never returns.
    dalil = await start(async (s) => {
      sent.push(s);
      await new Promise(() => {});
    });
    at("2026-11-26T10:00:00Z");
    void dalil.followups.run();
    await expect.poll(() => sent.length).toBe(1);
    await dalil.close().catch(() => {});
    dalil = await start();
    for (const minutes of [1, 5, 11, 60, 120]) {
      at(new Date(Date.parse("2026-11-26T10:00:00Z") + minutes * MINUTE).toISOString());
      await dalil.followups.run();
    }
    expect(sent).toHaveLength(1);
    expect(await rows()).toMatchObject([{ state: "sent" }]);
    // The reminder still comes, as the second and last message.
    at("2026-11-28T11:00:00Z");
    await dalil.followups.run();
    expect(sent).toHaveLength(2);
    expect(texts(sent[1]!)).toMatch(/^Petit rappel/);
  });

  it("two workers running at once send it once", async () => {
    await referral("p1");
    await say("p1", press("followup.yes"));
    const second = await start();
    try {
      at("2026-11-26T10:00:00Z");
      const [a, b] = await Promise.all([dalil.followups.run(), second.followups.run()]);
      expect(a.sent + b.sent).toBe(1);
      expect(sent).toHaveLength(1);
    } finally {
      await second.close();
    }
  });
});
