/**
 * After scripted conversations, no table but `conversation` and the ticket tables holds anything that identifies a
 * person or repeats what they wrote: user ids, chat ids, phone numbers, free texts, or the keyed hash that stands
 * for them.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Dalil } from "../../src/app/dalil.js";
import type { Inbound } from "../../src/engine/messages.js";
import { startTestDalil, tempDir } from "../helpers/store.js";

const press = (id: string): Inbound => ({ kind: "choice", id });

const PEOPLE: { channel: "telegram" | "whatsapp" | "web"; userId: string; script: (Inbound | string)[] }[] = [
  // The need and the town are given again: the model reads the greeting, the name and the place of this message as a
  // message with no need, so the engine asks for both (the closing note of 2026-11-28 lists it).
  { channel: "whatsapp", userId: "212612345678@c.us", script: ["Bonjour, ma fille Aminata est malade, on est à Inezgane", press("language.fr"), press("privacy.continue"), press("need.health"), "à inzgane svp", press("sex.female"), press("age_band.18-59"), press("status.migrant")] },
  { channel: "telegram", userId: "987654321", script: ["hello, my employer Mr Karimi took my passport", press("language.en"), press("privacy.continue"), "Aït-Melloul stp", press("sex.male"), press("age_band.18-59"), press("status.refugee_asylum")] },
  { channel: "web", userId: "k3J9x_web-session-0001", script: ["السلام عليكم، سميتي فاطمة وبغيت نخدم فالناظور", press("language.ar"), press("privacy.continue"), press("sex.female"), press("age_band.undisclosed"), press("status.mre_returnee")] },
  { channel: "telegram", userId: "111222333", script: ["je veux parler à quelqu'un de mon problème avec Youssef", press("language.fr"), press("privacy.continue"), "je veux parler à quelqu'un"] },
];

let dalil: Dalil;
const dir = tempDir();

beforeAll(async () => {
  dalil = await startTestDalil(dir.path);
  for (const person of PEOPLE) {
    for (const message of person.script) {
      await dalil.conversations.handle(person.channel, person.userId, typeof message === "string" ? { kind: "text", text: message } : message);
    }
  }
});
afterAll(async () => {
  await dalil.close();
  dir.cleanup();
});

async function tablesBut(excluded: string[]): Promise<Map<string, string>> {
  const tables = await dalil.db.prisma.$queryRawUnsafe<{ name: string }[]>(
    dalil.db.dialect === "sqlite"
      ? `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`
      : `SELECT table_name::text AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`,
  );
  // Every table of the schema is looked at, whichever the database.
  expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(["conversation", "request", "person_month", "followup", "job_lease"]));
  const dump = new Map<string, string>();
  for (const { name } of tables) {
    if (excluded.includes(name)) continue;
    const rows = await dalil.db.prisma.$queryRawUnsafe<unknown[]>(`SELECT * FROM "${name}"`);
    dump.set(name, JSON.stringify(rows, (_k, v) => (typeof v === "bigint" ? String(v) : v)));
  }
  return dump;
}

describe("privacy of stored data", () => {
  it("the conversations completed and logged requests", async () => {
    expect(await dalil.db.prisma.request.count()).toBe(4);
  });

  it("no table but conversation and the ticket tables holds a user id, a free text, a name or the person's hash", async () => {
    const conversations = await dalil.db.prisma.conversation.findMany();
    const secrets = [
      ...PEOPLE.map((p) => p.userId),
      "212612345678",
      ...PEOPLE.flatMap((p) => p.script.filter((m): m is string => typeof m === "string")),
      "Aminata", "Karimi", "فاطمة", "Youssef",
      ...conversations.map((c) => c.userHash),
      ...conversations.map((c) => c.id),
    ];
    const found: string[] = [];
    // Tickets hold what a facilitator needs (the transcript), until retention or "delete my data" removes them.
    for (const [table, text] of await tablesBut(["conversation", "ticket", "ticket_message"])) {
      for (const secret of secrets) if (text.includes(secret)) found.push(`${table} holds ${JSON.stringify(secret)}`);
    }
    expect(found).toEqual([]);
  });

  it("request rows hold codes only", async () => {
    const rows = await dalil.db.prisma.request.findMany({ include: { categories: true, referrals: true } });
    for (const row of rows) {
      expect(Object.keys(row).sort()).toEqual(["ageBand", "categories", "channel", "commune", "date", "handoffOutcome", "id", "language", "outcome", "referrals", "region", "sex", "status", "urgent"]);
      expect(row.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(row.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });
});
