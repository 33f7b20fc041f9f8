import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { projectRoot } from "../../src/content/files.js";
import {
  CALIBRATION_SPLIT,
  CURVE_THRESHOLDS,
  HELD_OUT_SPLIT,
  agreement,
  anyMatchAccuracy,
  calibratedThreshold,
  evaluate,
  formatUrgencyCurve,
  placeAccuracy,
  readLabelled,
  readSecondReadings,
  top1Accuracy,
  trainingFiles,
  urgentPrecision,
  urgencyCurve,
  urgentRecall,
} from "../../src/triage/evaluate.js";
import { MODEL_URGENT } from "../../src/triage/triage.js";
import { realContent } from "../helpers/content.js";

const labelled = (split: string) => readLabelled(join(projectRoot(), "tests", "triage", "labelled", `${split}.jsonl`));

/**
 * The triage measured in CI on messages it was never tuned or trained on (`heldout.jsonl`: 5,654 messages by writers
 * who never saw the lexicon: 673 drawn at random from the first two blind batches, and every message of the fourth,
 * eighth and tenth batches, of eight writers of the eleventh to thirteenth and of thirteen writers of the fourteenth
 * to nineteenth, whose thirty-six writers the need model never learned from). Only the aggregate figures are
 * compared here; a failure names them, never a message.
 *
 * The floors are the figures measured when the held-out split was last run (README, "Understanding requests"),
 * rounded down to two decimals, so a change that makes the triage worse fails. The target for urgent recall
 * (≥ 98 %) is NOT met (97.6 %); top-1 (≥ 90 %), urgent precision (≥ 80 %) and place (≥ 95 %) are. The model's danger
 * threshold is chosen on the calibration split by `calibratedThreshold` (0.6, 0.4, 0.25, 0.5 and 0.6 before, 0.25
 * now): precision's floor follows it. Raise a floor only after measuring it.
 */
const FLOOR = { top1: 0.93, urgentRecall: 0.97, urgentPrecision: 0.84, place: 0.98 };
const pct = (floor: number) => `${Math.round(floor * 100)}%`;

describe("triage on the held-out labelled messages", () => {
  const figures = evaluate(realContent().content.triage, labelled("heldout")).overall;
  const report = (value: number) => `${(value * 100).toFixed(1)}% on ${figures.messages} held-out messages`;

  it(`puts the main need first in at least ${pct(FLOOR.top1)} of messages (target 90%, met)`, () => {
    expect(top1Accuracy(figures), report(top1Accuracy(figures))).toBeGreaterThanOrEqual(FLOOR.top1);
  });

  it(`finds at least ${pct(FLOOR.urgentRecall)} of the messages that signal danger now (target 98%, not met yet), with at least ${pct(FLOOR.urgentPrecision)} of its alarms right (target 80%, met)`, () => {
    expect(urgentRecall(figures), `recall ${report(urgentRecall(figures))}`).toBeGreaterThanOrEqual(FLOOR.urgentRecall);
    expect(urgentPrecision(figures), `precision ${report(urgentPrecision(figures))}`).toBeGreaterThanOrEqual(FLOOR.urgentPrecision);
  });

  it(`names the right commune, or none when there is none, in at least ${pct(FLOOR.place)} of messages (target 95%, met)`, () => {
    expect(placeAccuracy(figures), report(placeAccuracy(figures))).toBeGreaterThanOrEqual(FLOOR.place);
  });
});

describe("the danger threshold in use", () => {
  it("is the one the calibration rule chooses on the calibration split", () => {
    const curve = urgencyCurve(realContent().content.triage, labelled(CALIBRATION_SPLIT), CURVE_THRESHOLDS);
    expect(MODEL_URGENT, `calibration curve:\n${formatUrgencyCurve(curve, MODEL_URGENT)}`).toBe(calibratedThreshold(curve));
  });
});

describe("the evaluation itself", () => {
  it("reads every labelled line and counts each figure against the labels", () => {
    const dev = labelled("dev");
    expect(dev.length).toBeGreaterThan(200);
    const figures = evaluate(realContent().content.triage, dev);
    expect(figures.overall.messages).toBe(dev.length);
    expect([...figures.byLanguage.values()].reduce((n, f) => n + f.messages, 0)).toBe(dev.length);
    expect(figures.overall.urgentExpected).toBe(dev.filter((m) => m.urgent).length);
    expect(anyMatchAccuracy(figures.overall)).toBeGreaterThanOrEqual(top1Accuracy(figures.overall));
  });

  it("counts a message as right only when its first category is the first expected", () => {
    const triage = realContent().content.triage;
    const one = (categories: ("health" | "employment")[]) =>
      evaluate(triage, [{ id: "t", text: "je ne suis pas malade, je cherche du travail", lang: "fr", categories, urgent: false, place: null }]);
    expect(one(["employment"]).overall.top1).toBe(1);
    const wrong = one(["health", "employment"]);
    expect(wrong.overall.top1).toBe(0);
    expect(wrong.overall.anyMatch).toBe(1);
    expect([...wrong.confusion]).toEqual([["health → employment", 1]]);
  });
});

describe("the calibration rule that chooses the danger threshold", () => {
  // 200 danger messages; each point: threshold, alarms raised, alarms right.
  const curve = (...points: [number, number, number][]) => points.map(([threshold, found, correct]) => ({ threshold, expected: 200, found, correct }));

  it.each([
    ["the highest recall whose precision stays at the floor", curve([0.6, 190, 180], [0.4, 205, 185], [0.2, 240, 190]), 0.4],
    ["of equal recalls, the lowest threshold", curve([0.6, 200, 185], [0.5, 201, 185], [0.25, 210, 185], [0.2, 230, 186]), 0.25],
    ["a threshold exactly at the floor", curve([0.5, 90, 80], [0.3, 100, 85]), 0.3],
  ])("takes %s", (_, points, expected) => {
    expect(calibratedThreshold(points)).toBe(expected);
  });

  it("chooses nothing when no threshold keeps the precision, nor one that raised no alarm", () => {
    expect(calibratedThreshold(curve([0.9, 0, 0], [0.5, 100, 70]))).toBeNull();
  });

  it("reads the floor it is given", () => {
    expect(calibratedThreshold(curve([0.6, 100, 90], [0.2, 120, 100]), 0.8)).toBe(0.2);
    expect(calibratedThreshold(curve([0.6, 100, 90], [0.2, 120, 100]), 0.85)).toBe(0.6);
  });
});

describe("the second reader's agreement", () => {
  const first = [
    { id: "a", text: "x", lang: "fr" as const, categories: ["health" as const, "shelter" as const], urgent: true, place: null },
    { id: "b", text: "y", lang: "fr" as const, categories: [], urgent: false, place: null },
  ];

  it("counts the same main need and each reader's alarms", () => {
    const a = agreement(first, [
      { id: "a", categories: ["shelter", "health"], urgent: true },
      { id: "b", categories: ["other"], urgent: true },
    ]);
    expect(a).toEqual({ messages: 2, top1: 1, urgentBoth: 1, urgentFirst: 1, urgentSecond: 2 });
  });

  it("refuses a reading of a message it cannot find", () => {
    expect(() => agreement(first, [{ id: "zz", categories: ["other"], urgent: false }])).toThrow(/"zz"/);
  });

  it("reads only tuning messages, never held-out ones", () => {
    const folder = join(projectRoot(), "tests", "triage", "labelled");
    const tuning = trainingFiles(folder).flatMap((f) => readLabelled(f.name, f.text));
    const second = readSecondReadings(join(projectRoot(), "tests", "triage", "agreement", "second-reader.jsonl"));
    expect(second.length).toBe(300);
    expect(agreement(tuning, second).messages).toBe(300);
    const heldOut = new Set(labelled(HELD_OUT_SPLIT).map((m) => m.id));
    expect(second.filter((r) => heldOut.has(r.id))).toEqual([]);
  });
});
