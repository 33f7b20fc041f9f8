/**
 * Report figures checked against hand-computed expectations on a fixture of request rows written directly, and the
 * CSV export (with and without HXL tags) parsed back.
 */
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Dalil } from "../../src/app/dalil.js";
import { createLabeler } from "../../src/monitoring/labels.js";
import { toCsv } from "../../src/monitoring/export.js";
import { breakdown, peopleByMonth, totals } from "../../src/monitoring/report.js";
import { reportTable } from "../../src/monitoring/tables.js";
import { startTestDalil, tempDir } from "../helpers/store.js";

let dalil: Dalil;
const dir = tempDir();
let n = 0;

interface Fixture {
  date: string;
  region?: string | null;
  commune?: string | null;
  sex: string;
  age?: string;
  status?: string;
  channel?: string;
  outcome?: string;
  urgent?: boolean;
  categories: string[];
  referrals?: number;
  handoffOutcome?: string | null;
}

async function add(f: Fixture, times = 1) {
  for (let i = 0; i < times; i++) {
    const id = `fixture-${++n}`;
    await dalil.db.prisma.request.create({
      data: {
        id,
        date: f.date,
        channel: f.channel ?? "web",
        language: "fr",
        region: f.region === undefined ? "09" : f.region,
        commune: f.commune === undefined ? "09.273.01.15" : f.commune,
        urgent: f.urgent ?? false,
        sex: f.sex,
        ageBand: f.age ?? "18-59",
        status: f.status ?? "migrant",
        outcome: f.outcome ?? "referred",
        handoffOutcome: f.handoffOutcome ?? null,
        categories: { create: f.categories.map((category, rank) => ({ category, rank: rank + 1 })) },
        referrals: { create: Array.from({ length: f.referrals ?? 1 }, (_, rank) => ({ serviceId: `svc-${rank}`, rank: rank + 1 })) },
      },
    });
  }
}

beforeAll(async () => {
  dalil = await startTestDalil(dir.path);
  // First quarter 2026, Souss-Massa (09) unless said otherwise.
  await add({ date: "2026-01-10", sex: "female", categories: ["health"] }, 7);
  await add({ date: "2026-01-20", sex: "male", categories: ["health"] }, 3);
  await add({ date: "2026-02-03", sex: "female", categories: ["legal", "protection"], referrals: 2 }, 4);
  await add({ date: "2026-02-14", sex: "male", categories: ["employment"], channel: "telegram" }, 9);
  await add({ date: "2026-03-01", sex: "undisclosed", categories: ["shelter"], outcome: "no_match", referrals: 0 }, 2);
  await add({ date: "2026-03-05", sex: "not_asked", categories: ["other"], outcome: "handoff_requested", referrals: 0, urgent: true, handoffOutcome: "resolved" }, 1);
  await add({ date: "2026-03-30", sex: "female", categories: ["health"], commune: "09.273.01.05" }, 6);
  // Outside the period or the region.
  await add({ date: "2026-04-02", sex: "female", categories: ["health"] }, 5);
  await add({ date: "2026-02-02", sex: "male", categories: ["health"], region: "02", commune: "02.411.01.23" }, 8);
  // People reached per month (distinct keys, unrelated to the rows above).
  for (const [month, channel, people] of [["2026-01", "web", 9], ["2026-02", "web", 3], ["2026-02", "telegram", 6], ["2026-04", "web", 2]] as const) {
    for (let i = 0; i < people; i++) await dalil.db.prisma.personMonth.create({ data: { month, channel, personKey: `${month}-${channel}-${i}` } });
  }
});
afterAll(async () => {
  await dalil.close();
  dir.cleanup();
});

const Q1_SOUSS = { from: "2026-01-01", to: "2026-03-31", region: "09" };

describe("report figures", () => {
  it("counts requests by need and sex; a request with two needs counts in both", async () => {
    const rows = await breakdown(dalil.db.prisma, Q1_SOUSS, ["category", "sex"]);
    const get = (category: string, sex: string) => rows.find((r) => r.keys.category === category && r.keys.sex === sex)?.count ?? 0;
    expect(get("health", "female")).toBe(13);
    expect(get("health", "male")).toBe(3);
    expect(get("legal", "female")).toBe(4);
    expect(get("protection", "female")).toBe(4);
    expect(get("employment", "male")).toBe(9);
    expect(get("shelter", "undisclosed")).toBe(2);
    expect(get("other", "not_asked")).toBe(1);
    expect(rows.reduce((a, r) => a + r.count, 0)).toBe(36); // 32 requests, 4 of them with two needs
  });

  it("totals count requests, referrals, handoffs, urgent ones and outcomes", async () => {
    expect(await totals(dalil.db.prisma, Q1_SOUSS)).toEqual({
      requests: 32,
      referredRequests: 29,
      referrals: 7 + 3 + 8 + 9 + 6,
      handoffs: 1,
      urgent: 1,
      byOutcome: { handoff_requested: 1, no_match: 2, referred: 29 },
    });
  });

  it("filters by channel, need, commune and province", async () => {
    expect((await totals(dalil.db.prisma, { ...Q1_SOUSS, channel: "telegram" })).requests).toBe(9);
    expect((await totals(dalil.db.prisma, { ...Q1_SOUSS, category: "protection" })).requests).toBe(4);
    expect((await totals(dalil.db.prisma, { ...Q1_SOUSS, commune: "09.273.01.05" })).requests).toBe(6);
    expect((await totals(dalil.db.prisma, { from: "2026-01-01", to: "2026-03-31", province: "02.411" })).requests).toBe(8);
  });

  it("counts distinct people per month and channel, for the months of the period", async () => {
    expect(await peopleByMonth(dalil.db.prisma, { from: "2026-01-01", to: "2026-03-31" })).toEqual([
      { month: "2026-01", channel: "web", people: 9 },
      { month: "2026-02", channel: "telegram", people: 6 },
      { month: "2026-02", channel: "web", people: 3 },
    ]);
  });

  it("builds the headline table with suppression: need × sex, totals counting requests", async () => {
    const table = await reportTable(dalil.db.prisma, Q1_SOUSS, ["category", "sex"], { k: 5 });
    expect(table.columns).toEqual(["female", "male", "undisclosed", "not_asked"]);
    const row = (category: string) => table.cells[table.rows.indexOf(category)];
    // 3 men asked about health: hidden, and with it the 13 women (the row total, 16, would give the 3 away).
    expect(row("health")).toEqual(["x", "<5", 0, 0]);
    // The 9 men asking for work then hide the 3 in the men's column total; their row total goes too.
    expect(row("employment")).toEqual([0, "x", 0, 0]);
    expect(table.rowTotals[table.rows.indexOf("employment")]).toBe("x");
    expect(row("shelter")![2]).toBe("<5");
    expect(row("other")![3]).toBe("<5");
    const truth = await reportTable(dalil.db.prisma, Q1_SOUSS, ["category", "sex"], { k: 5, internal: true });
    table.cells.forEach((line, i) => {
      line.forEach((cell, j) => {
        if (typeof cell === "number") {
          expect(cell, "a shown cell is the true count").toBe(truth.cells[i]![j]);
          expect(cell === 0 || cell >= 5, "no small count is shown").toBe(true);
        } else {
          expect(cell === "<5" ? (truth.cells[i]![j] as number) < 5 : (truth.cells[i]![j] as number) >= 5, "<5 marks small counts, x the others").toBe(true);
        }
      });
      // A row with a shown total never has exactly one hidden cell.
      if (typeof table.rowTotals[i] === "number") expect(line.filter((c) => typeof c !== "number").length).not.toBe(1);
    });
    // Requests, not rows: 17 women made 21 category rows.
    expect(table.columnTotals).toEqual([17, 12, "<5", "<5"]);
    expect(table.total).toBe(32);
    const internal = await reportTable(dalil.db.prisma, Q1_SOUSS, ["category", "sex"], { k: 5, internal: true });
    expect(internal.k).toBeNull();
    expect(internal.cells[internal.rows.indexOf("health")]).toEqual([13, 3, 0, 0]);
  });

  it("exports CSV that parses back, with an HXL row when asked", async () => {
    const table = await reportTable(dalil.db.prisma, Q1_SOUSS, ["category", "sex"], { k: 5 });
    const label = createLabeler(dalil.loaded.content, "fr");
    const plain = parse(toCsv(table, label, { hxl: false })) as string[][];
    expect(plain[0]).toEqual(["category", "female", "male", "undisclosed", "not_asked", "total"]);
    expect(plain.find((r) => r[0] === "health")).toEqual(["health", "x", "<5", "0", "0", "16"]);
    expect(plain.find((r) => r[0] === "employment")).toEqual(["employment", "0", "x", "0", "0", "x"]);
    expect(plain.at(-1)).toEqual(["total", "17", "12", "<5", "<5", "32"]);
    const hxl = parse(toCsv(table, label, { hxl: true })) as string[][];
    expect(hxl[1]).toEqual(["#sector", "#reached+ind+f", "#reached+ind+m", "#reached+ind+sex_undisclosed", "#reached+ind+sex_not_asked", "#reached+ind"]);
    expect(hxl.slice(2)).toEqual(plain.slice(1));

    const byCommune = await reportTable(dalil.db.prisma, Q1_SOUSS, ["commune", "age_band"], { k: 5 });
    const communes = parse(toCsv(byCommune, label, { hxl: true })) as string[][];
    expect(communes[0]!.slice(0, 2)).toEqual(["commune", "commune_name"]);
    expect(communes[1]!.slice(0, 2)).toEqual(["#adm3+code", "#adm3+name"]);
    expect(communes[1]).toContain("#reached+ind+age18_59");
    expect(communes.find((r) => r[0] === "09.273.01.15")![1]).toBe("Inezgane");
  });
});
