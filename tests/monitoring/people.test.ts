import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Dalil } from "../../src/app/dalil.js";
import type { Inbound } from "../../src/engine/messages.js";
import { TestClock, startTestDalil, tempDir } from "../helpers/store.js";

const press = (id: string): Inbound => ({ kind: "choice", id });
const DAY = 24 * 3_600_000;
let dalil: Dalil;
const clock = new TestClock(new Date("2026-03-30T10:00:00Z"));
const dir = tempDir();
beforeAll(async () => {
  dalil = await startTestDalil(dir.path, { clock });
});
afterAll(async () => {
  await dalil.close();
  dir.cleanup();
});

async function request(userId: string, channel: "web" | "telegram", first: boolean) {
  const script: (Inbound | string)[] = first ? ["bonjour", press("language.fr"), press("privacy.continue")] : ["menu"];
  for (const m of [...script, press("need.health"), "Agadir", ...(first ? [press("sex.female"), press("age_band.18-59"), press("status.migrant")] : [])]) {
    await dalil.conversations.handle(channel, userId, typeof m === "string" ? { kind: "text", text: m } : m);
  }
}

describe("people reached per month", () => {
  it("counts a person once per month and channel, however many requests, with keys that change every month", async () => {
    await request("amal", "web", true);
    await request("amal", "web", false);
    await request("amal", "telegram", true);
    await request("bachir", "web", true);
    clock.advance(3 * DAY); // April
    await request("amal", "web", false);
    const rows = await dalil.db.prisma.personMonth.findMany({ orderBy: [{ month: "asc" }, { channel: "asc" }] });
    expect(rows.map((r) => [r.month, r.channel])).toEqual([["2026-03", "telegram"], ["2026-03", "web"], ["2026-03", "web"], ["2026-04", "web"]]);
    expect(await dalil.db.prisma.request.count()).toBe(5);
    const amalMarch = rows.filter((r) => r.month === "2026-03" && r.channel === "web").map((r) => r.personKey);
    const amalApril = rows.find((r) => r.month === "2026-04")!.personKey;
    expect(amalMarch).not.toContain(amalApril);
    const conversations = await dalil.db.prisma.conversation.findMany();
    for (const row of rows) for (const c of conversations) expect(row.personKey).not.toBe(c.userHash);
  });
});
