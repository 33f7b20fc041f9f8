/**
 * `dalil report --by service,outcome,sex` on the follow-up fixture (tests/monitoring/followups-fixture.ts): the
 * referrals by service, follow-up outcome and sex, then the per-service × sex follow-up table, suppressed (k = 5);
 * the same as JSON; and `dalil review`'s low-reach list.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { projectRoot } from "../../src/content/files.js";
import { startTestDalil, tempDir } from "../helpers/store.js";
import { A, B, C, addFollowupFixture } from "../monitoring/followups-fixture.js";
import { testDatabaseEnv } from "../helpers/postgres.js";

const dir = tempDir();
const env = { ...process.env, ...(await testDatabaseEnv(dir.path)), DALIL_VAR_DIR: dir.path, REPORT_MIN_CELL: "5", FACILITATOR_LANGUAGE: "fr" };
const dalil = (args: string[]) => spawnSync(process.execPath, ["src/bin/dalil.mjs", ...args], { cwd: projectRoot(), env, encoding: "utf8", timeout: 120_000 });
const Q1 = ["--from", "2026-01-01", "--to", "2026-03-31", "--region", "09"];
const NAME_A = "Centre de santé urbain d'Inezgane (exemple) — Consultations de médecine générale et soins de santé primaires";
const NAME_C = "BAOM d'Inezgane (exemple) — Accueil et orientation des migrants";

beforeAll(async () => {
  const app = await startTestDalil(dir.path);
  await addFollowupFixture(app.db.prisma);
  await app.close();
});
afterAll(() => dir.cleanup());

/** The cells of the line that starts with `start`, split on runs of two spaces or more. */
const line = (text: string, start: string) => {
  const found = text.split("\n").find((l) => l.startsWith(start));
  expect(found, `a line starting with "${start}"`).toBeDefined();
  return found!.slice(start.length).trim().split(/\s{2,}/);
};

describe("dalil report --by service,outcome,sex", () => {
  it("counts referrals by service and follow-up outcome, then prints the follow-up rates per service and sex", () => {
    const result = dalil(["report", ...Q1, "--by", "service,outcome,sex"]);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    const out = result.stdout;
    // The long list: outcome is the follow-up's, counts from 1 to 4 hidden.
    expect(out.split("\n")[0]).toMatch(/^service × followup × sex\s+referrals$/);
    expect(line(out, `${A} · helped · female`)).toEqual(["6"]);
    expect(line(out, `${A} · helped · male`)).toEqual(["<5"]);
    expect(line(out, `${B} · not_asked · female`)).toEqual(["<5"]);
    expect(line(out, "total")).toEqual(["37"]);
    expect(out).toContain("Each referral counts: a request referred to three services counts three times.");
    // The follow-up table: referrals, asked, answered, reached, helped, answer rate, reached rate, helped rate.
    // A, women: 12, 11, 10, 8 (hidden: C's 1 would follow from the column), 6; 10/11, 8/10, 6/10 each leave fewer than 5.
    expect(line(out, `${NAME_A} · Femme`)).toEqual(["12", "11", "10", "x", "6", "—", "—", "—"]);
    // A, everyone: helped 10 of 16 answered, 6 not: 63 %.
    expect(line(out, `${NAME_A} · total`)).toEqual(["20", "18", "16", "x", "10", "—", "—", "63 %"]);
    // C: 8 referrals; its 7 asked and 6 answered hidden (B's 2 would follow from the totals); helped 0 of 6: 0 %.
    expect(line(out, `${NAME_C} · total`)).toEqual(["8", "x", "x", "<5", "0", "—", "—", "0 %"]);
    // Women, all services: 15 answered, 9 reached (60 %), 6 helped (40 %).
    expect(line(out, "total · Femme")).toEqual(["23", "16", "15", "9", "6", "—", "60 %", "40 %"]);
    // Everyone: 27 asked, 24 answered (3 not: no answer rate), 15 reached (63 %), 10 helped (42 %).
    expect(out.split("\n").filter((l) => l.startsWith("total  ")).at(-1)!.slice(5).trim().split(/\s{2,}/)).toEqual(["37", "27", "24", "15", "10", "—", "63 %", "42 %"]);
    expect(out).toContain("Counts from 1 to 4 are shown as <5; x marks a count hidden so that a total cannot reveal one; — marks a rate resting on fewer than 5 people");
  });

  it("gives the same as JSON, with the follow-up table in its followup field", () => {
    const result = dalil(["report", ...Q1, "--by", "service,outcome,sex", "--format", "json"]);
    expect(result.status).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json.by).toEqual(["service", "followup", "sex"]);
    expect(json.total).toBe(37);
    expect(json.followup.grouping).toBe("service");
    expect(json.followup.groups).toEqual([C, A, B]);
    expect(json.followup.total).toEqual({ referrals: 37, asked: 27, answered: 24, reached: 15, helped: 10, answerRate: "—", reachedRate: 0.625, helpedRate: 0.4167 });
  });

  it("keeps other reports as they were: no follow-up table without service", () => {
    const result = dalil(["report", ...Q1, "--by", "outcome,sex", "--format", "json"]);
    const json = JSON.parse(result.stdout);
    expect(json.by).toEqual(["outcome", "sex"]);
    expect(json.followup).toBeUndefined();
    expect(json.cells[json.rows.indexOf("referred")]).toEqual([19, "x", "<5", 0]);
  });

  it("explains the follow-up dimensions in its help", () => {
    const result = dalil(["report", "--help"]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('With service, "outcome" means the follow-up outcome');
  });
});

describe("dalil review", () => {
  it("lists the services people could not reach", () => {
    // The fixture's requests are of March 2026 and the review looks 90 days back from today: by then they are too
    // old, so this checks the heading; the list itself is tested in tests/monitoring/followups.test.ts.
    const result = dalil(["review"]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/Reached by fewer than half of those who answered a follow-up, last 90 days \(\d+\):/);
  });
});
