import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Dalil } from "../../src/app/dalil.js";
import { purgeExpiredConversations } from "../../src/app/jobs.js";
import type { Inbound } from "../../src/engine/messages.js";
import type { FacilitatorNotifier } from "../../src/handoff/service.js";
import { HandoffError } from "../../src/handoff/service.js";
import type { TicketView } from "../../src/handoff/tickets.js";
import { TestClock, startTestDalil, tempDir } from "../helpers/store.js";

const press = (id: string): Inbound => ({ kind: "choice", id });
const MINUTE = 60_000;

let dalil: Dalil;
let clock: TestClock;
let cleanup: () => void;
let events: string[];

beforeEach(async () => {
  const dir = tempDir();
  cleanup = dir.cleanup;
  clock = new TestClock();
  dalil = await startTestDalil(dir.path, { clock });
  events = [];
  const recorder: FacilitatorNotifier = {
    ticketOpened: async (t) => void events.push(`opened #${t.id}${t.urgent ? " urgent" : ""}`),
    personWrote: async (t, text) => void events.push(`wrote #${t.id}: ${text}`),
    ticketChanged: async (t, e) => void events.push(`${e} #${t.id}`),
    reminder: async (t, kind) => void events.push(`${kind} #${t.id}`),
  };
  dalil.handoff.registerNotifier(recorder);
});
afterEach(async () => {
  await dalil.close();
  cleanup();
});

async function say(userId: string, ...messages: (Inbound | string)[]) {
  let last;
  for (const m of messages) last = await dalil.conversations.handle("web", userId, typeof m === "string" ? { kind: "text", text: m } : m);
  return last!;
}
const START: (Inbound | string)[] = ["bonjour", press("language.fr"), press("privacy.continue")];
const ana = { key: "web:ana", name: "Ana" };
const bilal = { key: "web:bilal", name: "Bilal" };

describe("every trigger opens exactly one ticket", () => {
  const triggers: [string, (Inbound | string)[]][] = [
    ["the facilitator button after referrals", [...START, press("need.health"), "Inezgane", press("sex.female"), press("age_band.18-59"), press("status.migrant"), press("after.human")]],
    ["the /human command", [...START, { kind: "command", command: "human" }]],
    ["words in French", [...START, "je veux parler à quelqu'un"]],
    ["words in Darija, Latin letters", [...START, "bghit nhder m3a chi wa7ed"]],
    ["words in Darija, Arabic script", [...START, "بغيت نهضر مع شي واحد"]],
    ["the triage failing twice", [...START, "xqzt vvv", "blablabla"]],
    ["a danger signal", [...START, "il me frappe maintenant, aidez moi"]],
  ];
  for (const [name, script] of triggers) {
    it(name, async () => {
      await say(`person-${name}`, ...script);
      // Asking again while the ticket is open adds nothing.
      await say(`person-${name}`, "je veux parler à quelqu'un");
      const tickets = await dalil.db.prisma.ticket.findMany();
      expect(tickets).toHaveLength(1);
      expect(events.filter((e) => e.startsWith("opened"))).toHaveLength(1);
      if (name === "a danger signal") expect(tickets[0]).toMatchObject({ urgent: true, reason: "urgent" });
      if (name === "the triage failing twice") expect(tickets[0]).toMatchObject({ reason: "triage_failed" });
      const card = JSON.parse(tickets[0]!.card);
      expect(JSON.stringify(card)).not.toContain(`person-${name}`);
    });
  }
});

describe("a ticket's life", () => {
  async function openTicket(userId = "someone"): Promise<TicketView> {
    await say(userId, ...START, press("need.legal"), "Agadir", press("sex.female"), press("age_band.18-59"), press("status.migrant"), press("after.human"));
    return (await dalil.tickets.queue())[0]!;
  }

  it("carries the card and the messages of the request", async () => {
    const ticket = await openTicket();
    expect(ticket.card).toMatchObject({ language: "fr", categories: ["legal"], commune: "09.001.01.01", urgent: false, profile: { sex: "female", ageBand: "18-59", status: "migrant" } });
    expect(ticket.card.referrals.length).toBeGreaterThan(0);
    const lines = await dalil.tickets.thread(ticket.id);
    expect(lines.filter((l) => l.author === "person").map((l) => l.text)).toEqual(expect.arrayContaining(["Agadir", "[Papiers et droits]"]));
  });

  it("relays what the person writes while it is open", async () => {
    const ticket = await openTicket();
    const result = await say("someone", "Bonjour, j'ai besoin d'aide pour ma carte de séjour");
    expect(result.outbound).toEqual([]);
    const lines = await dalil.tickets.thread(ticket.id);
    expect(lines.at(-1)).toMatchObject({ author: "person", text: "Bonjour, j'ai besoin d'aide pour ma carte de séjour" });
    expect(events).toContain(`wrote #${ticket.id}: Bonjour, j'ai besoin d'aide pour ma carte de séjour`);
  });

  it("lets one facilitator claim it when several try at once, and tells the others who has it", async () => {
    const ticket = await openTicket();
    const results = await Promise.all(["A", "B", "C", "D", "E"].map((n) => dalil.handoff.claim(ticket.id, { key: `web:${n}`, name: n })));
    const winners = results.filter((r) => r.ok);
    expect(winners).toHaveLength(1);
    const holder = (await dalil.tickets.get(ticket.id))!.claimedByName;
    for (const r of results.filter((r) => !r.ok)) expect(r).toMatchObject({ ok: false, holder });
  });

  it("replies reach the person (web: through the events outbox); only the holder may reply", async () => {
    const ticket = await openTicket("web-person");
    await expect(dalil.handoff.reply(ticket.id, ana, "bonjour")).rejects.toMatchObject({ code: "not_claimed" });
    await dalil.handoff.claim(ticket.id, ana);
    await expect(dalil.handoff.reply(ticket.id, bilal, "bonjour")).rejects.toBeInstanceOf(HandoffError);
    await dalil.handoff.reply(ticket.id, ana, "Bonjour, je m'appelle Ana. Où êtes-vous exactement ?");
    const waiting = await dalil.conversations.collect("web", "web-person");
    expect(waiting).toEqual([{ text: "Ana (animateur·rice) : Bonjour, je m'appelle Ana. Où êtes-vous exactement ?", role: "info" }]);
  });

  it("sends a referral card picked from the directory, in the person's language", async () => {
    const ticket = await openTicket("card-person");
    await dalil.handoff.claim(ticket.id, ana);
    const [service] = await dalil.handoff.searchServices({ text: "inezgane", category: "health" });
    expect(service).toBeDefined();
    await dalil.handoff.sendReferral(ticket.id, ana, service!.id);
    const [card] = await dalil.conversations.collect("web", "card-person");
    expect(card!.role).toBe("referral");
    expect(card!.text).toContain(service!.organisation.name);
    expect(card!.text).toContain("openstreetmap.org");
  });

  it("transfers to another facilitator, who then holds it", async () => {
    const ticket = await openTicket();
    await dalil.handoff.claim(ticket.id, ana);
    await dalil.handoff.transfer(ticket.id, ana, bilal);
    await expect(dalil.handoff.reply(ticket.id, ana, "encore moi")).rejects.toMatchObject({ code: "not_yours" });
    await dalil.handoff.reply(ticket.id, bilal, "Bonjour, c'est Bilal.");
    expect(events).toContain(`transferred #${ticket.id}`);
  });

  it("closing writes the outcome to the request row and gives the conversation back to the bot", async () => {
    const ticket = await openTicket("closing-person");
    await dalil.handoff.claim(ticket.id, ana);
    await dalil.handoff.close(ticket.id, ana, "referred_by_facilitator");
    const request = await dalil.db.prisma.request.findUniqueOrThrow({ where: { id: ticket.requestId! } });
    expect(request.handoffOutcome).toBe("referred_by_facilitator");
    const [closing] = await dalil.conversations.collect("web", "closing-person");
    expect(closing!.text).toBe(dalil.loaded.content.i18n.t("fr", "common:handoff_closed"));
    const next = await say("closing-person", "j'ai besoin d'un logement à Agadir");
    expect(next.outbound.map((m) => m.text).join("\n")).toContain("Logement");
    await expect(dalil.handoff.close(ticket.id, ana, "resolved")).rejects.toMatchObject({ code: "closed" });
  });

  it("announces an unclaimed ticket again after 30 minutes, an urgent one after 5, and flags a claimed one left 24 hours", async () => {
    const delays = { normalMs: 30 * MINUTE, urgentMs: 5 * MINUTE, noReplyMs: 24 * 60 * MINUTE };
    const normal = await openTicket("normal");
    await say("urgent", ...START, "ils m'ont enfermé et pris mon passeport");
    const urgent = (await dalil.tickets.queue()).find((t) => t.urgent)!;
    clock.advance(6 * MINUTE);
    expect(await dalil.handoff.remind(delays)).toEqual({ reminded: 1, flagged: 0 });
    expect(events).toContain(`unclaimed #${urgent.id}`);
    clock.advance(25 * MINUTE);
    expect(await dalil.handoff.remind(delays)).toEqual({ reminded: 2, flagged: 0 });
    expect(events).toContain(`unclaimed #${normal.id}`);
    await dalil.handoff.claim(normal.id, ana);
    clock.advance(24 * 60 * MINUTE + MINUTE);
    const result = await dalil.handoff.remind(delays);
    expect(result.flagged).toBe(1);
    expect(events).toContain(`no_reply #${normal.id}`);
    expect(await dalil.handoff.remind(delays)).toMatchObject({ flagged: 0 });
  });
});

describe("privacy of tickets", () => {
  it("delete my data deletes the person's tickets at once; the request row keeps its codes", async () => {
    await say("leaver", ...START, "je veux parler à quelqu'un");
    expect(await dalil.db.prisma.ticket.count()).toBe(1);
    await say("leaver", "supprimer mes données", press("g.delete.yes"));
    expect(await dalil.db.prisma.ticket.count()).toBe(0);
    expect(await dalil.db.prisma.ticketMessage.count()).toBe(0);
    expect(await dalil.db.prisma.request.count({ where: { outcome: "handoff_requested" } })).toBe(1);
  });

  it("the retention job deletes transcripts older than the setting; codes remain", async () => {
    await say("old", ...START, "je veux parler à quelqu'un", "mon histoire, très personnelle");
    const ticket = (await dalil.tickets.queue())[0]!;
    await dalil.handoff.claim(ticket.id, ana);
    await dalil.handoff.close(ticket.id, ana, "resolved");
    clock.advance(31 * 24 * 60 * MINUTE);
    expect(await purgeExpiredConversations(dalil.jobDeps)).toBe(1);
    expect(await dalil.db.prisma.ticket.count()).toBe(0);
    expect(await dalil.db.prisma.ticketMessage.count()).toBe(0);
    const rows = await dalil.db.prisma.request.findMany();
    expect(rows.map((r) => [r.outcome, r.handoffOutcome])).toEqual([["handoff_requested", "resolved"]]);
  });
});
