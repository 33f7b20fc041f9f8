/**
 * Follow-up figures checked against hand-computed expectations (tests/monitoring/followups-fixture.ts), unsuppressed
 * (k = 1, internal) and suppressed (k = 5); the report dimensions service, followup and reason; the low-reach list of
 * the directory review.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Dalil } from "../../src/app/dalil.js";
import { directoryReview } from "../../src/monitoring/directory-review.js";
import { followupTable, reasonTable, type Figures, type FollowupTable } from "../../src/monitoring/followups.js";
import { createLabeler } from "../../src/monitoring/labels.js";
import { breakdown } from "../../src/monitoring/report.js";
import { reportTable } from "../../src/monitoring/tables.js";
import { startTestDalil, tempDir } from "../helpers/store.js";
import { A, AGADIR, B, C, INEZGANE, Q1, REVIEW_DAY, addFollowupFixture } from "./followups-fixture.js";

let dalil: Dalil;
const dir = tempDir();
beforeAll(async () => {
  dalil = await startTestDalil(dir.path);
  await addFollowupFixture(dalil.db.prisma);
});
afterAll(async () => {
  await dalil.close();
  dir.cleanup();
});

/** The figures of a group and sex ("total" for the group's total; group "total" for the sex totals). */
function at(table: FollowupTable, group: string | null, sex: string): Figures {
  if (group === "total") return sex === "total" ? table.total : table.sexTotals[table.sexes.indexOf(sex)]!;
  const i = table.groups.indexOf(group);
  expect(i, `group ${group}`).toBeGreaterThanOrEqual(0);
  return sex === "total" ? table.groupTotals[i]! : table.cells[i]![table.sexes.indexOf(sex)]!;
}
const f = (referrals: number | string, asked: number | string, answered: number | string, reached: number | string, helped: number | string, answerRate: number | string, reachedRate: number | string, helpedRate: number | string) => ({ referrals, asked, answered, reached, helped, answerRate, reachedRate, helpedRate });

describe("follow-up figures, unsuppressed (k = 1, internal)", () => {
  it("counts referrals, asked, answered, reached and helped per service and sex, with the three rates", async () => {
    const table = await followupTable(dalil.db.prisma, Q1, "service", { k: 5, internal: true });
    expect(table.k).toBeNull();
    expect(table.groups).toEqual([C, A, B]);
    expect(table.sexes).toEqual(["female", "male", "undisclosed", "not_asked"]);
    // A, women: 12 referrals; asked 11 (one has no follow-up row); answered 10 (one still waiting); reached 6 + 2 = 8;
    // helped 6. Rates 10/11, 8/10, 6/10.
    expect(at(table, A, "female")).toEqual(f(12, 11, 10, 8, 6, 0.9091, 0.8, 0.6));
    // A, men: 7; asked 6 (one only scheduled); answered 5 ("stopped" is not an answer); reached 3 + 2 = 5; helped 3.
    expect(at(table, A, "male")).toEqual(f(7, 6, 5, 5, 3, 0.8333, 1, 0.6));
    expect(at(table, A, "undisclosed")).toEqual(f(1, 1, 1, 1, 1, 1, 1, 1));
    // A, everyone: 20, 18, 16, 14, 10; 16/18, 14/16, 10/16.
    expect(at(table, A, "total")).toEqual(f(20, 18, 16, 14, 10, 0.8889, 0.875, 0.625));
    // B, women: 4 second referrals + 3 first ones = 7; "undelivered" was never asked: asked 2 (could_not, not_yet).
    expect(at(table, B, "female")).toEqual(f(7, 2, 2, 0, 0, 1, 0, 0));
    // B, men: only second referrals, never followed up: no rate.
    expect(at(table, B, "male")).toEqual(f(2, 0, 0, 0, 0, "—", "—", "—"));
    expect(at(table, B, "total")).toEqual(f(9, 2, 2, 0, 0, 1, 0, 0));
    // C, women: the cancelled follow-up was never asked: 4, 3, 3, 1, 0. Men: "no_answer" is asked, not answered.
    expect(at(table, C, "female")).toEqual(f(4, 3, 3, 1, 0, 1, 0.3333, 0));
    expect(at(table, C, "male")).toEqual(f(4, 4, 3, 0, 0, 0.75, 0, 0));
    expect(at(table, C, "total")).toEqual(f(8, 7, 6, 1, 0, 0.8571, 0.1667, 0));
    // Per sex, all services: women 12 + 7 + 4 = 23, 11 + 2 + 3 = 16, 10 + 2 + 3 = 15, 8 + 0 + 1 = 9, 6.
    expect(at(table, "total", "female")).toEqual(f(23, 16, 15, 9, 6, 0.9375, 0.6, 0.4));
    expect(at(table, "total", "male")).toEqual(f(13, 10, 8, 5, 3, 0.8, 0.625, 0.375));
    expect(at(table, "total", "not_asked")).toEqual(f(0, 0, 0, 0, 0, "—", "—", "—"));
    // Everyone: 37 referrals (31 requests, 6 with two), 27 asked, 24 answered, 15 reached, 10 helped.
    expect(table.total).toEqual(f(37, 27, 24, 15, 10, 0.8889, 0.625, 0.4167));
  });

  it("groups by commune the same way", async () => {
    const table = await followupTable(dalil.db.prisma, Q1, "commune", { k: 5, internal: true });
    expect(table.groups).toEqual([AGADIR, INEZGANE]);
    // Agadir is C's figures; Inezgane is A's and B's together: women 12 + 7, 11 + 2, 10 + 2, 8, 6.
    expect(at(table, AGADIR, "total")).toEqual(f(8, 7, 6, 1, 0, 0.8571, 0.1667, 0));
    expect(at(table, INEZGANE, "female")).toEqual(f(19, 13, 12, 8, 6, 0.9231, 0.6667, 0.5));
    expect(at(table, INEZGANE, "total")).toEqual(f(29, 20, 18, 14, 10, 0.9, 0.7778, 0.5556));
    expect(table.total).toEqual(f(37, 27, 24, 15, 10, 0.8889, 0.625, 0.4167));
  });

  it("counts could-not-reach answers by reason and sex; no reason is 'not given'", async () => {
    const table = await reasonTable(dalil.db.prisma, Q1, { k: 5, internal: true });
    expect(table.reasons).toEqual(["closed", "too_far", "cost", "documents", "language", "unwelcome", "other", "not_given"]);
    const row = (reason: string) => [...table.cells[table.reasons.indexOf(reason)]!, table.reasonTotals[table.reasons.indexOf(reason)]];
    expect(row("too_far")).toEqual([1, 0, 0, 0, 1]); // A, a woman
    expect(row("cost")).toEqual([1, 0, 0, 0, 1]); // C, a woman
    expect(row("documents")).toEqual([1, 2, 0, 0, 3]); // C, a woman and two men
    expect(row("not_given")).toEqual([1, 1, 0, 0, 2]); // B, a woman; C, a man
    expect(row("closed")).toEqual([0, 0, 0, 0, 0]);
    expect(table.sexTotals).toEqual([4, 3, 0, 0]);
    expect(table.total).toBe(7);
  });
});

describe("follow-up figures, suppressed (k = 5)", () => {
  it("hides counts from 1 to 4, a second count where a total would give one away, and rates that would reveal one", async () => {
    const table = await followupTable(dalil.db.prisma, Q1, "service", { k: 5 });
    expect(table.k).toBe(5);
    // Referrals, rows C, A, B, totals (women, men, undisclosed, not asked | total):
    //   C  4  4 0 0 | 8    →  <5 <5  0 0 | 8
    //   A 12  7 1 0 | 20   →  12  x <5 0 | 20   (the 1 would follow from 20 − 12 − 7: the 7 goes too)
    //   B  7  2 0 0 | 9    →   x <5  0 0 | 9
    //   T 23 13 1 0 | 37   →  23  x <5 0 | 37
    // Asked: C 3 4 | 7, A 11 6 1 | 18, B 2 | 2, T 16 10 1 | 27: B's total 2 is hidden, so the totals column hides C's 7.
    // Answered: C 3 3 | 6, A 10 5 1 | 16, B 2 | 2, T 15 8 1 | 24: the same pattern.
    // Reached: C 1 | 1, A 8 5 1 | 14, B 0, T 9 5 1 | 15: C's 1 is hidden, so A's 8 (women's column) and A's 14
    // (totals column) go too, and A's 5 (A's row, beside the 1).
    // Helped: A 6 3 1 | 10, T 6 3 1 | 10: two small cells in each line, nothing more to hide.
    // Rates: A's women 10/11, 8/10, 6/10 each leave 1, 2 or 4 people: "—". A's men reached 5 of 5, both counts hidden
    // ("x"): 100 % says nothing more. A's helped 10/16 leaves 6: shown. C's helped 0/6: a zero reveals no one, even
    // beside a hidden denominator.
    expect(at(table, C, "female")).toEqual(f("<5", "<5", "<5", "<5", 0, "—", "—", "—"));
    expect(at(table, C, "male")).toEqual(f("<5", "<5", "<5", 0, 0, "—", "—", "—"));
    expect(at(table, C, "total")).toEqual(f(8, "x", "x", "<5", 0, "—", "—", 0));
    expect(at(table, A, "female")).toEqual(f(12, 11, 10, "x", 6, "—", "—", "—"));
    expect(at(table, A, "male")).toEqual(f("x", "x", "x", "x", "<5", "—", 1, "—"));
    expect(at(table, A, "undisclosed")).toEqual(f("<5", "<5", "<5", "<5", "<5", "—", "—", "—"));
    expect(at(table, A, "total")).toEqual(f(20, 18, 16, "x", 10, "—", "—", 0.625));
    expect(at(table, B, "female")).toEqual(f("x", "<5", "<5", 0, 0, "—", "—", "—"));
    expect(at(table, B, "male")).toEqual(f("<5", 0, 0, 0, 0, "—", "—", "—"));
    expect(at(table, B, "total")).toEqual(f(9, "<5", "<5", 0, 0, "—", "—", "—"));
    // Women, all services: 15 answered, 9 reached, 6 helped: 9/15 and 6/15 leave 6 and 9: shown. 16 asked, 15 answered: not.
    expect(at(table, "total", "female")).toEqual(f(23, 16, 15, 9, 6, "—", 0.6, 0.4));
    expect(at(table, "total", "male")).toEqual(f("x", "x", "x", "x", "<5", "—", "—", "—"));
    expect(at(table, "total", "undisclosed")).toEqual(f("<5", "<5", "<5", "<5", "<5", "—", "—", "—"));
    // 24 of 27 answered leaves 3: hidden; 15/24 and 10/24: shown.
    expect(table.total).toEqual(f(37, 27, 24, 15, 10, "—", 0.625, 0.4167));
  });

  it("never shows a count from 1 to 4, and a shown count is the true one", async () => {
    const shown = await followupTable(dalil.db.prisma, Q1, "commune", { k: 5 });
    const truth = await followupTable(dalil.db.prisma, Q1, "commune", { k: 5, internal: true });
    const all = (t: FollowupTable) => [...t.cells.flat(), ...t.groupTotals, ...t.sexTotals, t.total];
    const measures = ["referrals", "asked", "answered", "reached", "helped"] as const;
    all(shown).forEach((figures, n) => {
      for (const m of measures) {
        const value = figures[m];
        const real = all(truth)[n]![m] as number;
        if (typeof value === "number") expect(value).toBe(real);
        else expect(value === "<5" ? real > 0 && real < 5 : real >= 5).toBe(true);
        if (typeof value === "number") expect(value === 0 || value >= 5).toBe(true);
      }
    });
  });

  it("hides small reasons, and a reason total that the grand total would give away", async () => {
    const table = await reasonTable(dalil.db.prisma, Q1, { k: 5 });
    // 7 could-not answers: every reason and both sexes hold fewer than 5.
    expect(table.cells[table.reasons.indexOf("documents")]).toEqual(["<5", "<5", 0, 0]);
    expect(table.reasonTotals).toEqual([0, "<5", "<5", "<5", 0, 0, 0, "<5"]);
    expect(table.sexTotals).toEqual(["<5", "<5", 0, 0]);
    expect(table.total).toBe(7);
  });
});

describe("report dimensions service, followup and reason", () => {
  it("counts referrals by service, follow-up outcome and sex; outcome means the follow-up's with service", async () => {
    const rows = await breakdown(dalil.db.prisma, Q1, ["service", "followup", "sex"]);
    const get = (service: string, outcome: string, sex: string) => rows.find((r) => r.keys.service === service && r.keys.followup === outcome && r.keys.sex === sex)?.count ?? 0;
    expect(get(A, "helped", "female")).toBe(6);
    expect(get(A, "waiting", "female")).toBe(1); // question sent, no answer yet
    expect(get(A, "not_asked", "female")).toBe(1); // no follow-up row
    expect(get(A, "waiting", "male")).toBe(1); // scheduled: waiting too
    expect(get(A, "stopped", "male")).toBe(1);
    expect(get(B, "not_asked", "female")).toBe(4); // second referrals: never followed up
    expect(get(B, "undelivered", "female")).toBe(1);
    expect(get(C, "not_asked", "female")).toBe(1); // cancelled, even with an answer "stopped"
    expect(get(C, "could_not", "male")).toBe(3);
    expect(get(C, "no_answer", "male")).toBe(1);
    expect(rows.reduce((a, r) => a + r.count, 0)).toBe(37); // every referral once

    const table = await reportTable(dalil.db.prisma, Q1, ["service", "outcome", "sex"], { k: 5, internal: true });
    expect(table.by).toEqual(["service", "followup", "sex"]);
    expect(table.total).toBe(37);
  });

  it("without service, counts referred requests by their first referral's follow-up; outcome stays the request's", async () => {
    const table = await reportTable(dalil.db.prisma, Q1, ["followup", "sex"], { k: 5, internal: true });
    const row = (code: string) => table.cells[table.rows.indexOf(code)];
    // Women: A 6 helped, B none, C none; reached_not_helped A 2 + C 1; could_not A 1 + B 1 + C 2.
    expect(row("helped")).toEqual([6, 3, 1, 0]);
    expect(row("reached_not_helped")).toEqual([3, 2, 0, 0]);
    expect(row("could_not")).toEqual([4, 3, 0, 0]);
    expect(row("not_asked")).toEqual([2, 0, 0, 0]); // A's woman without a row, C's cancelled one
    expect(table.columnTotals).toEqual([19, 11, 1, 0]); // requests: 12 + 3 + 4 women, 7 + 4 men
    const outcome = await reportTable(dalil.db.prisma, Q1, ["outcome"], { k: 5, internal: true });
    expect(outcome.by).toEqual(["outcome"]);
    expect(outcome.cells[outcome.rows.indexOf("referred")]).toEqual([31]);
    const reasons = await breakdown(dalil.db.prisma, Q1, ["reason"]);
    expect(reasons.find((r) => r.keys.reason === "documents")?.count).toBe(3);
  });

  it("labels services by name, outcomes and reasons in the reader's language", () => {
    const fr = createLabeler(dalil.loaded.content, "fr", dalil.loaded.directory);
    expect(fr("service", B)).toBe("Association Santé Solidaire du Souss (exemple) — Programme d'accès aux soins des migrants");
    expect(fr("service", "svc-unknown")).toBe("svc-unknown");
    expect(fr("followup", "not_asked")).toBe("pas de suivi");
    expect(fr("reason", "not_given")).toBe("non précisée");
    const ar = createLabeler(dalil.loaded.content, "ar", dalil.loaded.directory);
    expect(ar("service", B)).toContain("برنامج ولوج المهاجرين إلى العلاج");
    expect(ar("followup", "helped")).toBe("تلقى المساعدة");
  });
});

describe("the directory review", () => {
  it("lists services that fewer than half of those who answered reached, with at least 5 answers in 90 days", async () => {
    const review = await directoryReview(dalil.db.prisma, await dalil.directory.current(), REVIEW_DAY, { language: "fr" });
    // C: 6 answered, 1 reached (17 %). A: 14 of 16 reached. B: 0 of 2, too few answers to judge.
    expect(review.lowReach).toEqual([{ id: C, name: "BAOM d'Inezgane (exemple) — Accueil et orientation des migrants", answered: 6, reached: 1, rate: 0.1667 }]);
    // Over a year, C's five women helped in October count: 6 of 11 reached, no longer low.
    const year = await directoryReview(dalil.db.prisma, await dalil.directory.current(), REVIEW_DAY, { reachDays: 365 });
    expect(year.lowReach).toEqual([]);
  });
});
