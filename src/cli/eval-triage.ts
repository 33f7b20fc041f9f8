/**
 * `npm run eval:triage`: how well the triage reads messages as people write them, measured on the labelled files
 * `tests/triage/labelled/{dev,heldout,fresh}.jsonl`. Prints, per language and overall, top-1 and any-match category
 * accuracy, urgent recall and precision, place accuracy and language identification; confusion pairs for dev and
 * fresh only.
 *
 * The held-out split is read here only to compute aggregate figures: its messages, and the errors made on them, are
 * never printed, so that nobody tunes the lexicon on them. `fresh` is a second set written later, independently of
 * the lexicon, and used for tuning like dev. `--errors` lists the dev and fresh messages the triage gets wrong;
 * `--split dev` (or `heldout`, `fresh`) prints one split only; `both` (the default) prints all three.
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { projectRoot } from "../content/files.js";
import { loadContent } from "../content/load.js";
import { evaluate, formatSplit, predict, readLabelled, type LabelledMessage } from "../triage/evaluate.js";
import type { Triage } from "../triage/triage.js";

const SPLITS = ["dev", "heldout", "fresh"] as const;
type Split = (typeof SPLITS)[number];

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: { errors: { type: "boolean", default: false }, split: { type: "string", default: "both" } },
});
const chosen = values.split ?? "both";
if (chosen !== "both" && !(SPLITS as readonly string[]).includes(chosen)) {
  console.error(`--split: expected dev, heldout, fresh or both, received "${chosen}"`);
  process.exit(2);
}
const splits: Split[] = chosen === "both" ? [...SPLITS] : [chosen as Split];
const folder = join(projectRoot(), "tests", "triage", "labelled");
const { content } = loadContent();
const triage = content.triage;

const tunable = new Map<Split, LabelledMessage[]>();
splits.forEach((split, i) => {
  if (i > 0) console.log("");
  const messages = readLabelled(join(folder, `${split}.jsonl`));
  // Held-out: aggregate figures only, never a message nor a confusion pair.
  if (split !== "heldout") tunable.set(split, messages);
  console.log(formatSplit(split, evaluate(triage, messages), { confusion: split !== "heldout" }));
});

if (values.errors) for (const [split, messages] of tunable) printErrors(split, messages, triage);

/** The messages of a tunable split whose top-1 need, urgency, place or language is wrong. */
function printErrors(split: Split, messages: readonly LabelledMessage[], triage: Triage): void {
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
