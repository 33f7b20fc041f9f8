import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { projectRoot } from "../../src/content/files.js";
import { COLUMNS, readLabelled } from "../../src/triage/evaluate.js";

const LANGUAGES = ["fr", "en", "ar", "ar-Latn", "es", "pt", "und"];
/** Every labelled file but the calibration and held-out ones (README, "Understanding requests", says where each came from). */
const TUNING = ["blind-tuning", "blind-tuning-2", "blind-tuning-3", "blind-tuning-4", "blind-tuning-5", "blind-tuning-6", "blind-tuning-7", "blind-tuning-8", "blind-tuning-9", "blind-tuning-10", "blind-tuning-11", "blind-tuning-12", "blind-tuning-13", "blind-tuning-14", "dev", "fresh", "retired-heldout"];
/** Printed after the tuning splits, figures only. */
const UNTUNED = ["calibration", "heldout"];

describe("npm run eval:triage", () => {
  const run = spawnSync(process.execPath, ["--import", "tsx", "src/cli/eval-triage.ts"], { cwd: projectRoot(), encoding: "utf8", timeout: 120_000 });
  const lines = run.stdout.split("\n");
  const section = (name: string) => {
    const start = lines.findIndex((l) => l.startsWith(`## ${name} (`));
    const end = lines.findIndex((l, i) => i > start && l.startsWith("## "));
    return lines.slice(start, end === -1 ? undefined : end);
  };

  it("exits 0 and prints a table for each split: a header, one row per language, then overall", () => {
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    for (const name of [...TUNING, ...UNTUNED]) {
      const table = section(name);
      expect(table[0]).toMatch(new RegExp(`^## ${name} \\(\\d+ messages\\)$`));
      expect(table[1]!.split(/\s{2,}/)).toEqual([...COLUMNS]);
      const rows = table.slice(2).filter((l) => /^\S/.test(l) && !l.startsWith("Confusion"));
      // A row for each language the split's messages are labelled with, in the fixed order.
      const labelled = new Set<string>(readLabelled(join(projectRoot(), "tests", "triage", "labelled", `${name}.jsonl`)).map((m) => m.lang));
      expect(rows.map((r) => r.split(/\s+/)[0])).toEqual([...LANGUAGES.filter((l) => labelled.has(l)), "overall"]);
      for (const row of rows) {
        // n, top-1, any, recall (a/b) or —, precision (a/b) or —, place, language identification
        expect(row).toMatch(/^\S+\s+\d+\s+\d+\.\d%\s+\d+\.\d%\s+(\d+\.\d% \(\d+\/\d+\)|—)\s+(\d+\.\d% \(\d+\/\d+\)|—)\s+\d+\.\d%\s+\d+\.\d%$/);
      }
    }
  });

  it("prints confusion pairs for the tuning splits only: the calibration and held-out splits show figures, never their messages", () => {
    for (const name of TUNING) {
      const table = section(name);
      const confusion = table.findIndex((l) => l.startsWith(`Confusion pairs (${name}, expected → predicted top-1):`));
      expect(confusion, name).toBeGreaterThan(0);
      for (const line of table.slice(confusion + 1).filter((l) => l.trim() !== "")) expect(line).toMatch(/^ {2}([a-z_]+ → [a-z_]+\s+\d+|\(none\))$/);
    }
    expect(lines.filter((l) => l.startsWith("## ")).map((l) => l.split(" ")[1])).toEqual([...TUNING, "calibration", "urgency", "heldout", "second"]);
    for (const name of UNTUNED) {
      const table = section(name);
      expect(table.join("\n")).not.toMatch(/Confusion|"|→/);
      const languages = new Set(readLabelled(join(projectRoot(), "tests", "triage", "labelled", `${name}.jsonl`)).map((m) => m.lang));
      expect(table.filter((l) => l.trim() !== "")).toHaveLength(2 + languages.size + 1);
    }
  });

  it("prints, for the calibration split, the urgent recall and precision of each model-urgency threshold, the one in use agreeing with its table", () => {
    const body = section("urgency threshold").slice(1).filter((l) => l.trim() !== "");
    const curve = body.filter((l) => !l.startsWith("calibration rule"));
    // Then the threshold the calibration rule chooses from that curve.
    expect(body.at(-1)).toMatch(/^calibration rule \(highest recall with precision ≥ 85 %, ties to the lowest threshold\): (\d(\.\d+)?|no threshold)( \(in use\)|; in use: \d(\.\d+)?)$/);
    const points = curve.map((line) => {
      const m = /^model ≥ (\d\.\d\d)( \(in use\))?\s+recall \d+\.\d% \((\d+)\/(\d+)\)\s+precision \d+\.\d% \((\d+)\/(\d+)\)$/.exec(line);
      expect(m, line).not.toBeNull();
      return { threshold: Number(m![1]), inUse: m![2] !== undefined, correct: Number(m![3]), expected: Number(m![4]), found: Number(m![6]) };
    });
    expect(points.length).toBeGreaterThanOrEqual(5);
    // Lower thresholds raise every alarm the higher ones raise, and more.
    points.slice(1).forEach((p, i) => {
      expect(p.threshold).toBeLessThan(points[i]!.threshold);
      expect(p.found).toBeGreaterThanOrEqual(points[i]!.found);
      expect(p.correct).toBeGreaterThanOrEqual(points[i]!.correct);
    });
    const inUse = points.filter((p) => p.inUse);
    expect(inUse).toHaveLength(1);
    const overall = section("calibration").find((l) => l.startsWith("overall"))!;
    expect(overall).toContain(`(${inUse[0]!.correct}/${inUse[0]!.expected})`);
    expect(overall).toContain(`(${inUse[0]!.correct}/${inUse[0]!.found})`);
  });

  it("ends with how far a second reader agrees with the writers' labels", () => {
    const second = section("second reader");
    expect(second[0]).toMatch(/^## second reader \(300 tuning messages/);
    expect(second[1]).toMatch(/^same main need: \d+\.\d %; urgent for both: \d+, for the writer: \d+, for the second reader: \d+$/);
  });
});
