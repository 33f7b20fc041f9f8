/**
 * On SQLite most saves skip Prisma and write through the driver (src/store/conversations.ts, saveOnSqlite). The same
 * conversations saved that way and through Prisma must leave the same rows, value and type, in every table they touch.
 */
import { afterAll, describe, expect, it } from "vitest";
import type { Dalil } from "../../src/app/dalil.js";
import type { Inbound } from "../../src/engine/messages.js";
import { registerSqliteConnection, sqliteConnectionOf } from "../../src/store/sqlite.js";
import { onPostgres } from "../helpers/postgres.js";
import { TestClock, startTestDalil, tempDir } from "../helpers/store.js";

const SECRET = "fast-path-secret-0123456789abcdef0123456789";
const dirs = [tempDir(), tempDir()];
const open: Dalil[] = [];
afterAll(async () => {
  for (const d of open) await d.close();
  for (const d of dirs) d.cleanup();
});

const press = (id: string): Inbound => ({ kind: "choice", id });
const text = (t: string): Inbound => ({ kind: "text", text: t });
const SCRIPT: [string, Inbound, string?][] = [
  ["p1", text("bonjour"), "u1"],
  ["p1", press("language.fr"), "u2"],
  ["p1", press("language.fr"), "u2"], // the same update again
  ["p1", press("privacy.continue"), "u3"],
  ["p1", text("j'ai besoin d'un médecin"), "u4"],
  ["p1", text("Inezgane"), "u5"],
  ["p1", press("sex.female"), "u6"],
  ["p1", press("age_band.18-59"), "u7"],
  ["p1", press("status.migrant"), "u8"],
  ["p2", text("بغيت نخدم فالناظور"), "v1"],
  ["p2", press("language.ar"), "v2"],
  ["p2", press("privacy.continue"), "v3"],
];

/** Every row of the tables a save touches, without the random ids. */
async function rows(dalil: Dalil): Promise<unknown> {
  const p = dalil.db.prisma;
  const strip = <T extends Record<string, unknown>>(list: T[], ...keys: string[]) => list.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !keys.includes(k))));
  const requests = await p.request.findMany({ include: { categories: true, referrals: true }, orderBy: { commune: "asc" } });
  return {
    conversations: strip(await p.conversation.findMany({ orderBy: { userHash: "asc" } }), "id", "createdAt"),
    requests: requests.map((r) => ({ ...strip([r], "id", "categories", "referrals")[0], categories: strip(r.categories, "requestId"), referrals: strip(r.referrals, "requestId") })),
    people: await p.personMonth.findMany({ orderBy: { personKey: "asc" } }),
    updates: await p.processedUpdate.findMany({ orderBy: { key: "asc" } }),
  };
}

describe.skipIf(onPostgres)("the SQLite fast path", () => {
  it("writes exactly what the Prisma path writes", async () => {
    const clock = new TestClock();
    const [fast, slow] = [await startTestDalil(dirs[0]!.path, { clock, env: { DALIL_SECRET: SECRET } }), await startTestDalil(dirs[1]!.path, { clock, env: { DALIL_SECRET: SECRET } })];
    open.push(fast, slow);
    expect(sqliteConnectionOf(fast.db.prisma)).not.toBeNull();
    // The second one without the driver connection: every save goes through Prisma.
    registerSqliteConnection(slow.db.prisma, { current: null });
    expect(sqliteConnectionOf(slow.db.prisma)).toBeNull();
    for (const [person, inbound, update] of SCRIPT) {
      for (const dalil of [fast, slow]) await dalil.conversations.receive("telegram", person, inbound, { dedupeKey: update!, address: person });
      clock.advance(1_000);
    }
    const [a, b] = [await rows(fast), await rows(slow)];
    expect((a as { requests: unknown[] }).requests).toHaveLength(1);
    // Sealed addresses differ (a random nonce each time); whether one is there must not.
    // The request's random id is kept in the state too.
    const unseal = (x: unknown) =>
      JSON.parse(JSON.stringify(x, (k, v) => (k === "address" ? v !== null : k === "state" ? String(v).replace(/"loggedId":"[^"]+"/g, '"loggedId":"…"') : typeof v === "bigint" ? String(v) : v)));
    expect(unseal(a)).toEqual(unseal(b));
  });
});
