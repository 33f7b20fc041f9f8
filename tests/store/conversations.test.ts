import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Dalil } from "../../src/app/dalil.js";
import { abandonIdleRequests, purgeExpiredConversations } from "../../src/app/jobs.js";
import type { Inbound } from "../../src/engine/messages.js";
import { personHash } from "../../src/store/secret.js";
import { onPostgres } from "../helpers/postgres.js";
import { TestClock, secretOf, startTestDalil, tempDir } from "../helpers/store.js";

const HOUR = 3_600_000;
const open: { dalil?: Dalil; cleanup: () => void }[] = [];
afterEach(async () => {
  for (const o of open.splice(0)) {
    await o.dalil?.close();
    o.cleanup();
  }
});

async function fresh(clock = new TestClock()) {
  const dir = tempDir();
  const dalil = await startTestDalil(dir.path, { clock });
  const entry = { dalil, cleanup: dir.cleanup } as { dalil?: Dalil; cleanup: () => void };
  open.push(entry);
  return { dir: dir.path, dalil, clock, entry };
}

const send = (dalil: Dalil, userId: string, message: Inbound | string) =>
  dalil.conversations.handle("telegram", userId, typeof message === "string" ? { kind: "text", text: message } : message);
const press = (id: string): Inbound => ({ kind: "choice", id });

/** French, need health, place Inezgane, then the three profile questions: a completed request. */
const HEALTH_IN_INEZGANE: (Inbound | string)[] = ["bonjour", press("language.fr"), press("privacy.continue"), "j'ai besoin d'un médecin", "Inezgane", press("sex.female"), press("age_band.18-59"), press("status.migrant")];

describe("conversations in the database", () => {
  it.skipIf(onPostgres)("uses WAL mode, and generates a secret into var/ on first start", async () => {
    const { dalil, dir } = await fresh();
    const rows = await dalil.db.prisma.$queryRawUnsafe<{ journal_mode: string }[]>("PRAGMA journal_mode");
    expect(rows[0]!.journal_mode).toBe("wal");
    expect(readFileSync(join(dir, "secret.key"), "utf8").trim()).toMatch(/^[0-9a-f]{64}$/);
  });

  it.runIf(onPostgres)("refuses to start on PostgreSQL without DALIL_SECRET, even with a secret file in var/", async () => {
    const dir = tempDir();
    try {
      writeFileSync(join(dir.path, "secret.key"), "f".repeat(64));
      await expect(startTestDalil(dir.path, { env: { DALIL_SECRET: "" } })).rejects.toThrow(/DALIL_SECRET is not set: with PostgreSQL every worker must share one secret/);
    } finally {
      dir.cleanup();
    }
  });

  it("keeps the conversation under a keyed hash of the user id, never the id itself", async () => {
    const { dalil, dir } = await fresh();
    await send(dalil, "555000111", "bonjour");
    const rows = await dalil.db.prisma.conversation.findMany();
    expect(rows).toHaveLength(1);
    const secret = secretOf(dir);
    expect(rows[0]!.userHash).toBe(personHash(secret, "telegram", "555000111"));
    expect(JSON.stringify(rows)).not.toContain("555000111");
  });

  it("continues at the same step after a restart", async () => {
    const first = await fresh();
    for (const m of HEALTH_IN_INEZGANE.slice(0, 5)) await send(first.dalil, "user-1", m);
    const before = await first.dalil.conversationStore.find("telegram", personHash(readSecret(first.dir), "telegram", "user-1"));
    expect(before!.state.step).toBe("sex");
    await first.dalil.close();
    first.entry.dalil = undefined;

    const second = await startTestDalil(first.dir);
    first.entry.dalil = second;
    const result = await send(second, "user-1", press("sex.female"));
    expect(result.outbound.at(-1)!.text).toBe(second.loaded.content.i18n.t("fr", "intake:profile.age_band"));
    await send(second, "user-1", press("age_band.18-59"));
    await send(second, "user-1", press("status.migrant"));
    expect(await second.db.prisma.request.count()).toBe(1);
  });

  it("writes exactly one request row for a completed request, with its categories and referrals", async () => {
    const { dalil } = await fresh();
    let last;
    for (const m of HEALTH_IN_INEZGANE) last = await send(dalil, "user-2", m);
    const logged = last!.events.find((e) => e.type === "request_logged");
    expect(logged).toBeDefined();
    const rows = await dalil.db.prisma.request.findMany({ include: { categories: true, referrals: { orderBy: { rank: "asc" } } } });
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(row).toMatchObject({ date: "2026-11-25", channel: "telegram", language: "fr", region: "09", commune: "09.273.01.15", urgent: false, sex: "female", ageBand: "18-59", status: "migrant", outcome: "referred", handoffOutcome: null });
    expect(row.categories.map((c) => [c.category, c.rank])).toEqual([["health", 1]]);
    const request = (logged as { request: { referrals: string[] } }).request;
    expect(row.referrals.map((r) => r.serviceId)).toEqual(request.referrals);
    expect(row.referrals.length).toBeGreaterThan(0);
    // Moving on in the conversation does not log the same request again.
    await send(dalil, "user-2", press("after.end"));
    await send(dalil, "user-2", "merci");
    expect(await dalil.db.prisma.request.count()).toBe(1);
  });

  it("reads the directory from the database: an edit there shows at the next referral", async () => {
    const { dalil } = await fresh();
    const first = await dalil.directory.current();
    const nearest = first.services.find((s) => s.id === "svc-cs-inezgane-soins");
    expect(nearest).toBeDefined();
    await dalil.db.prisma.service.update({ where: { id: "svc-cs-inezgane-soins" }, data: { active: false } });
    await dalil.db.prisma.meta.update({ where: { key: "directory_version" }, data: { value: "edited" } });
    let last;
    for (const m of HEALTH_IN_INEZGANE) last = await send(dalil, "user-3", m);
    const request = (last!.events.find((e) => e.type === "request_logged") as { request: { referrals: string[] } }).request;
    expect(request.referrals).not.toContain("svc-cs-inezgane-soins");
  });

  it("applies two messages of one person sent at once one after the other, losing neither", async () => {
    const { dalil } = await fresh();
    await send(dalil, "user-4", "bonjour");
    await Promise.all([send(dalil, "user-4", "aide"), send(dalil, "user-4", "aide"), send(dalil, "user-4", "aide")]);
    const row = await dalil.db.prisma.conversation.findFirstOrThrow();
    expect(row.version).toBe(4);
  });

  it("delete my data removes the conversation, and the request rows stay", async () => {
    const { dalil } = await fresh();
    for (const m of HEALTH_IN_INEZGANE) await send(dalil, "user-5", m);
    await send(dalil, "user-6", "bonjour");
    await send(dalil, "user-5", "supprimer mes données");
    const result = await send(dalil, "user-5", press("g.delete.yes"));
    expect(result.state).toBeNull();
    expect(result.events.map((e) => e.type)).toContain("delete_requested");
    expect(await dalil.db.prisma.conversation.count()).toBe(1);
    expect(await dalil.db.prisma.request.count()).toBe(1);
    // Writing again starts a new conversation from the beginning.
    const again = await send(dalil, "user-5", "bonjour");
    expect(again.outbound.at(-1)!.choices!.map((c) => c.id)).toContain("language.fr");
  });

  it("logs a request left idle as abandoned, once, and starts afresh", async () => {
    const clock = new TestClock();
    const { dalil } = await fresh(clock);
    for (const m of HEALTH_IN_INEZGANE.slice(0, 4)) await send(dalil, "user-7", m); // need given, place not yet
    await send(dalil, "user-8", "bonjour"); // nothing begun: nothing to abandon
    clock.advance(23 * HOUR);
    expect(await abandonIdleRequests(dalil.jobDeps)).toBe(0);
    clock.advance(2 * HOUR);
    expect(await abandonIdleRequests(dalil.jobDeps)).toBe(1);
    expect(await abandonIdleRequests(dalil.jobDeps)).toBe(0);
    const rows = await dalil.db.prisma.request.findMany({ include: { categories: true } });
    expect(rows.map((r) => [r.outcome, r.commune, r.sex, r.categories.map((c) => c.category)])).toEqual([["abandoned", null, "not_asked", ["health"]]]);
    const result = await send(dalil, "user-7", "Inezgane");
    expect(result.outbound.map((m) => m.text).join("\n")).toContain(dalil.loaded.content.i18n.t("fr", "intake:need.prompt"));
  });

  it("deletes conversations idle longer than the retention setting, and keeps the request log", async () => {
    const clock = new TestClock();
    const { dalil } = await fresh(clock);
    for (const m of HEALTH_IN_INEZGANE) await send(dalil, "old", m);
    clock.advance(20 * 24 * HOUR);
    await send(dalil, "recent", "bonjour");
    clock.advance(11 * 24 * HOUR);
    expect(await purgeExpiredConversations(dalil.jobDeps)).toBe(1);
    expect(await dalil.db.prisma.conversation.count()).toBe(1);
    expect(await dalil.db.prisma.request.count()).toBe(1);
  });
});

function readSecret(dir: string): Buffer {
  if (!onPostgres) expect(existsSync(join(dir, "secret.key"))).toBe(true);
  return secretOf(dir);
}
