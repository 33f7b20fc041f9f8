import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Dalil } from "../../src/app/dalil.js";
import { TestClock, startTestDalil, tempDir } from "../helpers/store.js";

let dalil: Dalil;
let cleanup: () => void;
const clock = new TestClock();

beforeEach(async () => {
  const dir = tempDir();
  cleanup = dir.cleanup;
  dalil = await startTestDalil(dir.path, { clock });
  await dalil.db.prisma.request.create({ data: { id: "r1", date: "2026-11-25", channel: "telegram", language: "fr", urgent: false, sex: "female", ageBand: "18-59", status: "migrant", outcome: "referred" } });
  await dalil.db.prisma.followup.create({ data: { id: "f1", requestId: "r1", serviceId: "svc", channel: "telegram", state: "scheduled", dueAt: new Date("2026-11-26T10:00:00Z") } });
});
afterEach(async () => {
  await dalil.close();
  cleanup();
});

describe("the follow-up table", () => {
  it("a claim is exclusive: of two claims on one follow-up, one wins", async () => {
    const lease = new Date("2026-11-26T10:10:00Z");
    const results = await Promise.all([dalil.followupStore.claim("f1", "scheduled", lease), dalil.followupStore.claim("f1", "scheduled", lease)]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await dalil.followupStore.claim("f1", "scheduled", lease)).toBe(false);
  });

  it("a lease is recovered only once it has run out, and only once", async () => {
    await dalil.followupStore.claim("f1", "scheduled", new Date("2026-11-26T10:10:00Z"));
    const next = new Date("2026-11-28T10:00:00Z");
    expect(await dalil.followupStore.recoverLease("f1", "sending", new Date("2026-11-26T10:05:00Z"), next)).toBe(false);
    expect(await dalil.followupStore.recoverLease("f1", "sending", new Date("2026-11-26T10:10:00Z"), next)).toBe(true);
    expect(await dalil.followupStore.recoverLease("f1", "sending", new Date("2026-11-26T10:11:00Z"), next)).toBe(false);
    expect(await dalil.followupStore.byId("f1")).toMatchObject({ state: "sent", dueAt: next });
  });

  it("rows go with their request (cascade)", async () => {
    await dalil.db.prisma.request.delete({ where: { id: "r1" } });
    expect(await dalil.db.prisma.followup.count()).toBe(0);
  });
});
