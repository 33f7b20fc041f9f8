import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { CATEGORIES, DETECTED_LANGUAGES } from "../codes.js";
import { raisesAlarm, type Triage } from "./triage.js";

/** One line of `tests/triage/labelled/*.jsonl`: a message as people write it, labelled by hand. */
export const labelledMessageSchema = z
  .object({
    id: z.string().min(1),
    text: z.string(),
    lang: z.enum(DETECTED_LANGUAGES),
    /** Ranked, the main need first. */
    categories: z.array(z.enum(CATEGORIES)),
    urgent: z.boolean(),
    /** HCP commune code, or null when the message names no place. */
    place: z.string().nullable(),
  })
  .strict();
export type LabelledMessage = z.infer<typeof labelledMessageSchema>;

/** The split nobody tunes on or trains on: only its aggregate figures are ever printed. */
export const HELD_OUT_SPLIT = "heldout";
/**
 * Messages by writers the need model never learns from and the lexicon never takes words from: what its thresholds
 * are chosen on (the model reads the writers it learned from far too well to choose them there). Its figures and
 * the urgency curve are printed, never its messages.
 */
export const CALIBRATION_SPLIT = "calibration";
/** The splits that are not tuning splits, in the order they are printed after the tuning ones. */
const UNTUNED_SPLITS = [CALIBRATION_SPLIT, HELD_OUT_SPLIT];

/** The labelled splits of a folder by name (`dev` for `dev.jsonl`): the tuning ones sorted, then calibration, then held-out. */
export function labelledSplits(folder: string): string[] {
  const names = readdirSync(folder)
    .filter((f) => f.endsWith(".jsonl"))
    .map((f) => f.slice(0, -".jsonl".length))
    // Numbers in names compare as numbers: blind-tuning-10 comes after blind-tuning-9, not after blind-tuning.
    .sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
  return [...names.filter((s) => !UNTUNED_SPLITS.includes(s)), ...UNTUNED_SPLITS.filter((s) => names.includes(s))];
}

/** Whether a split's messages and errors may be printed and tuned on: not the calibration or held-out split. */
export const isTuningSplit = (split: string): boolean => !UNTUNED_SPLITS.includes(split);

/** Every tuning split's file, as text: what the need model is trained on, never the calibration or held-out split. */
export function trainingFiles(folder: string): { name: string; text: string }[] {
  return labelledSplits(folder)
    .filter(isTuningSplit)
    .map((name) => ({ name, text: readFileSync(join(folder, `${name}.jsonl`), "utf8") }));
}

/** Reads a labelled JSON-lines file; a bad line throws with its line number (a broken file must not skew figures). */
export function readLabelled(path: string, text = readFileSync(path, "utf8")): LabelledMessage[] {
  return readLines(path, text, labelledMessageSchema);
}

function readLines<S extends z.ZodType>(path: string, text: string, schema: S): z.infer<S>[] {
  const messages: z.infer<S>[] = [];
  text
    .split("\n")
    .forEach((line, i) => {
      if (line.trim() === "") return;
      const parsed = schema.safeParse(JSON.parse(line));
      if (!parsed.success) throw new Error(`${path}:${i + 1}: ${parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ")}`);
      messages.push(parsed.data);
    });
  return messages;
}

/**
 * A second reader's labels for some tuning messages, given without seeing the first labels
 * (`tests/triage/agreement/`): how far two careful readers agree says how much of the triage's gap is its own.
 */
export const secondReadingSchema = z.object({ id: z.string().min(1), categories: z.array(z.enum(CATEGORIES)), urgent: z.boolean() }).strict();
export type SecondReading = z.infer<typeof secondReadingSchema>;

export function readSecondReadings(path: string): SecondReading[] {
  return readLines(path, readFileSync(path, "utf8"), secondReadingSchema);
}

export interface Agreement {
  messages: number;
  /** Same main need. */
  top1: number;
  /** Urgent for both, for the first reader, for the second. */
  urgentBoth: number;
  urgentFirst: number;
  urgentSecond: number;
}

/** Agreement between the labels of `first` and a second reading of some of them; an id not in `first` throws. */
export function agreement(first: readonly LabelledMessage[], second: readonly SecondReading[]): Agreement {
  const byId = new Map(first.map((m) => [m.id, m]));
  const counts: Agreement = { messages: 0, top1: 0, urgentBoth: 0, urgentFirst: 0, urgentSecond: 0 };
  for (const reading of second) {
    const labelled = byId.get(reading.id);
    if (!labelled) throw new Error(`Second reading of "${reading.id}": no tuning message has this id`);
    counts.messages++;
    if ((labelled.categories[0] ?? "other") === (reading.categories[0] ?? "other")) counts.top1++;
    if (labelled.urgent) counts.urgentFirst++;
    if (reading.urgent) counts.urgentSecond++;
    if (labelled.urgent && reading.urgent) counts.urgentBoth++;
  }
  return counts;
}

/** Counts for one group of messages (a language, or all of them). */
export interface Figures {
  messages: number;
  top1: number;
  anyMatch: number;
  /** Messages whose detected language is the labelled one. */
  language: number;
  urgentExpected: number;
  urgentFound: number;
  urgentCorrect: number;
  place: number;
}

export interface SplitFigures {
  overall: Figures;
  /** By labelled language, in the order of DETECTED_LANGUAGES. */
  byLanguage: Map<string, Figures>;
  /** "expected → predicted" top-1 category pairs that differ, with counts; "none" when nothing was predicted. */
  confusion: Map<string, number>;
}

/** What the triage said about one message, as `dalil triage` prints it. */
export interface Prediction {
  language: string;
  categories: string[];
  urgent: boolean;
  place: string | null;
}

/**
 * The triage of one labelled message, through the engine's entry point. Free sentences, not the answer to "where are
 * you?": typos in place names are not tolerated, as in a first message.
 */
export function predict(triage: Triage, text: string): Prediction {
  const result = triage.analyse(text, { expectingPlace: false });
  return {
    language: result.language,
    categories: result.categories.map((c) => c.code),
    urgent: result.urgent,
    place: result.place?.candidates[0]?.code ?? null,
  };
}

const empty = (): Figures => ({ messages: 0, top1: 0, anyMatch: 0, language: 0, urgentExpected: 0, urgentFound: 0, urgentCorrect: 0, place: 0 });

export function evaluate(triage: Triage, messages: readonly LabelledMessage[]): SplitFigures {
  const overall = empty();
  const byLanguage = new Map<string, Figures>(DETECTED_LANGUAGES.filter((l) => messages.some((m) => m.lang === l)).map((l) => [l, empty()]));
  const confusion = new Map<string, number>();
  for (const message of messages) {
    const p = predict(triage, message.text);
    const top = p.categories[0] ?? "none";
    const expectedTop = message.categories[0] ?? "none";
    for (const f of [overall, byLanguage.get(message.lang)!]) {
      f.messages++;
      if (top === expectedTop) f.top1++;
      if (p.categories.some((c) => (message.categories as string[]).includes(c)) || (message.categories.length === 0 && p.categories.length === 0)) f.anyMatch++;
      if (p.language === message.lang) f.language++;
      if (message.urgent) f.urgentExpected++;
      if (p.urgent) f.urgentFound++;
      if (p.urgent && message.urgent) f.urgentCorrect++;
      if (p.place === message.place) f.place++;
    }
    if (top !== expectedTop) confusion.set(`${expectedTop} → ${top}`, (confusion.get(`${expectedTop} → ${top}`) ?? 0) + 1);
  }
  return { overall, byLanguage, confusion };
}

/** Share in [0, 1]; NaN when there is nothing to count (no urgent message in a group). */
export const share = (part: number, whole: number): number => (whole === 0 ? Number.NaN : part / whole);
export const top1Accuracy = (f: Figures) => share(f.top1, f.messages);
export const anyMatchAccuracy = (f: Figures) => share(f.anyMatch, f.messages);
export const urgentRecall = (f: Figures) => share(f.urgentCorrect, f.urgentExpected);
export const urgentPrecision = (f: Figures) => share(f.urgentCorrect, f.urgentFound);
export const placeAccuracy = (f: Figures) => share(f.place, f.messages);
export const languageAccuracy = (f: Figures) => share(f.language, f.messages);

/** The columns of the table, in order; a test checks the printed header against them. */
export const COLUMNS = ["language", "n", "top-1", "any", "urgent recall", "urgent precision", "place", "lang id"] as const;
const WIDTHS = [9, 4, 7, 7, 18, 18, 7, 7];

const percent = (x: number) => (Number.isNaN(x) ? "—" : `${(x * 100).toFixed(1)}%`);
const ratio = (x: number, part: number, whole: number) => (whole === 0 ? "—" : `${percent(x)} (${part}/${whole})`);

function row(cells: readonly string[]): string {
  return cells.map((c, i) => (i === 0 ? c.padEnd(WIDTHS[i]!) : c.padStart(WIDTHS[i]!))).join("  ").trimEnd();
}

function figuresRow(label: string, f: Figures): string {
  return row([
    label,
    String(f.messages),
    percent(top1Accuracy(f)),
    percent(anyMatchAccuracy(f)),
    ratio(urgentRecall(f), f.urgentCorrect, f.urgentExpected),
    ratio(urgentPrecision(f), f.urgentCorrect, f.urgentFound),
    percent(placeAccuracy(f)),
    percent(languageAccuracy(f)),
  ]);
}

/**
 * The figures of one split as a text table: one row per labelled language, then `overall`. Confusion pairs only when
 * asked (the dev split): they describe individual messages, which the held-out split must not reveal.
 */
export function formatSplit(name: string, figures: SplitFigures, options: { confusion: boolean }): string {
  const lines = [`## ${name} (${figures.overall.messages} messages)`, row(COLUMNS), ...[...figures.byLanguage].map(([l, f]) => figuresRow(l, f)), figuresRow("overall", figures.overall)];
  if (options.confusion) {
    lines.push("", `Confusion pairs (${name}, expected → predicted top-1):`);
    const pairs = [...figures.confusion].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    if (pairs.length === 0) lines.push("  (none)");
    for (const [pair, count] of pairs) lines.push(`  ${pair.padEnd(28)} ${count}`);
  }
  return lines.join("\n");
}

/** Alarms raised at one model-urgency threshold: by the danger words, or by the model at or above the threshold. */
export interface UrgencyPoint {
  threshold: number;
  expected: number;
  found: number;
  correct: number;
}

/**
 * Urgent recall and precision if the model's danger probability raised an alarm from `threshold` on, for each
 * threshold: what `MODEL_URGENT` is chosen from, on the calibration split.
 */
export function urgencyCurve(triage: Triage, messages: readonly LabelledMessage[], thresholds: readonly number[]): UrgencyPoint[] {
  const readings = messages.map((m) => ({ urgent: m.urgent, danger: triage.dangerReading(m.text) }));
  const expected = readings.filter((r) => r.urgent).length;
  return thresholds.map((threshold) => {
    const raised = readings.filter((r) => raisesAlarm(r.danger, threshold));
    return { threshold, expected, found: raised.length, correct: raised.filter((r) => r.urgent).length };
  });
}

/** The thresholds the calibration curve is drawn at, and the rule below chooses from. */
export const CURVE_THRESHOLDS: readonly number[] = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.35, 0.3, 0.25, 0.2, 0.15, 0.1];

/** Fewest alarms in a hundred that must be right at the threshold the calibration rule chooses (the target is 80). */
export const DANGER_PRECISION_FLOOR = 0.85;

/**
 * The calibration rule that sets `MODEL_URGENT`: of the thresholds whose urgent precision on the calibration split is
 * at least `precisionFloor`, those with the highest recall, and of those the lowest. The last clause breaks ties
 * towards recall: thresholds that find the same danger on the calibration split differ on writers it does not hold,
 * and there the lower one can only find more. (Until the stop of 2026-11-28 ties went to the highest threshold,
 * which took the threshold up as the danger words grew; README, "Understanding requests", says how the change was
 * checked before it was used.) Null when no threshold keeps the precision.
 */
export function calibratedThreshold(points: readonly UrgencyPoint[], precisionFloor: number = DANGER_PRECISION_FLOOR): number | null {
  // No alarm raised is no precision: share is NaN there, never at the floor.
  const precise = points.filter((p) => share(p.correct, p.found) >= precisionFloor);
  if (precise.length === 0) return null;
  const best = Math.max(...precise.map((p) => p.correct));
  return Math.min(...precise.filter((p) => p.correct === best).map((p) => p.threshold));
}

export function formatUrgencyCurve(points: readonly UrgencyPoint[], inUse: number): string {
  return points
    .map((p) => {
      const label = `model ≥ ${p.threshold.toFixed(2)}${p.threshold === inUse ? " (in use)" : ""}`;
      return `${label.padEnd(22)}  recall ${ratio(share(p.correct, p.expected), p.correct, p.expected)}  precision ${ratio(share(p.correct, p.found), p.correct, p.found)}`;
    })
    .join("\n");
}
