/**
 * `npm run eval:triage`: how well the triage reads messages as people write them, measured on the labelled files
 * `tests/triage/labelled/*.jsonl`. Prints, per language and overall, top-1 and any-match category accuracy, urgent
 * recall and precision, place accuracy and language identification; confusion pairs for the tuning splits only.
 *
 * `heldout.jsonl` is read here only to compute aggregate figures: its messages, and the errors made on them, are
 * never printed, so that nobody tunes the lexicon on them. `calibration.jsonl` is printed the same way, followed by
 * the urgent recall and precision each model-urgency threshold would give on it: the threshold in use is chosen there.
 * Every other file is a tuning split (README says where each came from). `--errors` lists the tuning messages the
 * triage gets wrong; `--split dev` (or any file's name) prints one split only; `all` (the default) prints every
 * split, the calibration and held-out ones last. `--lexicon-only` reads the messages without the learned need model.
 * The model is trained on the tuning splits: their figures with it say how well it fits what it learned from, not
 * how it does on new writers.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { projectRoot } from "../content/files.js";
import { loadContent } from "../content/load.js";
import {
  CALIBRATION_SPLIT,
  CURVE_THRESHOLDS,
  DANGER_PRECISION_FLOOR,
  agreement,
  calibratedThreshold,
  evaluate,
  formatSplit,
  formatUrgencyCurve,
  isTuningSplit,
  labelledSplits,
  predict,
  readLabelled,
  readSecondReadings,
  urgencyCurve,
  type LabelledMessage,
} from "../triage/evaluate.js";
import { MODEL_URGENT, type Triage } from "../triage/triage.js";

const folder = join(projectRoot(), "tests", "triage", "labelled");
const available = labelledSplits(folder);

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: {
    errors: { type: "boolean", default: false },
    split: { type: "string", default: "all" },
    "lexicon-only": { type: "boolean", default: false },
  },
});
const chosen = values.split ?? "all";
if (chosen !== "all" && !available.includes(chosen)) {
  console.error(`--split: expected ${available.join(", ")} or all, received "${chosen}"`);
  process.exit(2);
}
const splits = chosen === "all" ? available : [chosen];
// The threshold in use is drawn too, should it ever be off the grid the rule chooses from.
const THRESHOLDS = [...new Set([...CURVE_THRESHOLDS, MODEL_URGENT])].sort((a, b) => b - a);
const { content } = loadContent();
// `--lexicon-only`: the triage without its learned model, to see what the model adds.
const triage = values["lexicon-only"] ? content.triage.withoutModel() : content.triage;

const tunable = new Map<string, LabelledMessage[]>();
splits.forEach((split, i) => {
  if (i > 0) console.log("");
  const messages = readLabelled(join(folder, `${split}.jsonl`));
  // Calibration and held-out: aggregate figures only, never a message nor a confusion pair.
  if (isTuningSplit(split)) tunable.set(split, messages);
  console.log(formatSplit(split, evaluate(triage, messages), { confusion: isTuningSplit(split) }));
  if (split === CALIBRATION_SPLIT && !values["lexicon-only"]) {
    const curve = urgencyCurve(triage, messages, THRESHOLDS);
    console.log(`\n## urgency threshold (${split}: the danger words, or the model's probability of danger at or above the threshold)`);
    console.log(formatUrgencyCurve(curve, MODEL_URGENT));
    const chosen = calibratedThreshold(curve.filter((p) => CURVE_THRESHOLDS.includes(p.threshold)));
    console.log(
      `calibration rule (highest recall with precision ≥ ${DANGER_PRECISION_FLOOR * 100} %, ties to the lowest threshold): ${chosen ?? "no threshold"}` +
        (chosen === MODEL_URGENT ? " (in use)" : `; in use: ${MODEL_URGENT}`),
    );
  }
});

// How far two careful readers agree on the same tuning messages: the ceiling the triage's figures can be read against.
const secondReader = join(projectRoot(), "tests", "triage", "agreement", "second-reader.jsonl");
if (chosen === "all" && existsSync(secondReader)) {
  const a = agreement([...tunable.values()].flat(), readSecondReadings(secondReader));
  const pc = (part: number, whole: number) => `${((part / whole) * 100).toFixed(1)} %`;
  console.log(
    `\n## second reader (${a.messages} tuning messages labelled again without seeing the labels)\n` +
      `same main need: ${pc(a.top1, a.messages)}; urgent for both: ${a.urgentBoth}, for the writer: ${a.urgentFirst}, for the second reader: ${a.urgentSecond}`,
  );
}

if (values.errors) for (const [split, messages] of tunable) printErrors(split, messages, triage);

/** The messages of a tunable split whose top-1 need, urgency, place or language is wrong. */
function printErrors(split: string, messages: readonly LabelledMessage[], triage: Triage): void {
  console.log(`\n## ${split} errors (expected | predicted)`);
  for (const m of messages) {
    const p = predict(triage, m.text);
    const wrong: string[] = [];
    if ((p.categories[0] ?? "none") !== (m.categories[0] ?? "none")) wrong.push(`categories ${m.categories.join(",")} | ${p.categories.join(",") || "none"}`);
    if (p.urgent !== m.urgent) wrong.push(`urgent ${m.urgent} | ${p.urgent}`);
    if (p.place !== m.place) wrong.push(`place ${m.place} | ${p.place}`);
    if (p.language !== m.lang) wrong.push(`language ${m.lang} | ${p.language}`);
    if (wrong.length > 0) console.log(`${m.id}  ${JSON.stringify(m.text)}\n    ${wrong.join("\n    ")}`);
  }
}
