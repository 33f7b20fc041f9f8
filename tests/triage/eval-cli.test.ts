import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { projectRoot } from "../../src/content/files.js";
import { COLUMNS, readLabelled } from "../../src/triage/evaluate.js";

const LANGUAGES = ["fr", "en", "ar", "ar-Latn", "es", "pt", "und"];
/** Every labelled file but the held-out one (README, "Understanding requests", says where each came from). */
const TUNING = ["blind-tuning", "blind-tuning-2", "blind-tuning-3", "blind-tuning-4", "blind-tuning-5", "blind-tuning-6", "blind-tuning-7", "dev", "fresh", "retired-heldout"];

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
    for (const name of [...TUNING, "heldout"]) {
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

  it("prints confusion pairs for the tuning splits only: the held-out split shows figures, never its messages", () => {
    for (const name of TUNING) {
      const table = section(name);
      const confusion = table.findIndex((l) => l.startsWith(`Confusion pairs (${name}, expected → predicted top-1):`));
      expect(confusion, name).toBeGreaterThan(0);
      for (const line of table.slice(confusion + 1).filter((l) => l.trim() !== "")) expect(line).toMatch(/^ {2}([a-z_]+ → [a-z_]+\s+\d+|\(none\))$/);
    }
    expect(lines.filter((l) => l.startsWith("## ")).map((l) => l.split(" ")[1])).toEqual([...TUNING, "heldout", "second"]);
    const heldout = section("heldout");
    expect(heldout.join("\n")).not.toMatch(/Confusion|"|→/);
    const heldoutLanguages = new Set(readLabelled(join(projectRoot(), "tests", "triage", "labelled", "heldout.jsonl")).map((m) => m.lang));
    expect(heldout.filter((l) => l.trim() !== "")).toHaveLength(2 + heldoutLanguages.size + 1);
  });

  it("ends with how far a second reader agrees with the writers' labels", () => {
    const second = section("second reader");
    expect(second[0]).toMatch(/^## second reader \(300 tuning messages/);
    expect(second[1]).toMatch(/^same main need: \d+\.\d %; urgent for both: \d+, for the writer: \d+, for the second reader: \d+$/);
  });
});
