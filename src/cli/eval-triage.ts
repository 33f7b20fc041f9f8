/**
 * `npm run eval:triage`: how well the triage reads messages as people write them, measured on the labelled files
 * `tests/triage/labelled/{dev,heldout}.jsonl`. Prints, per language and overall, top-1 and any-match category
 * accuracy, urgent recall and precision, place accuracy and language identification; confusion pairs for dev only.
 *
 * The held-out split is read here only to compute aggregate figures: its messages, and the errors made on them, are
 * never printed, so that nobody tunes the lexicon on them. `--errors` lists the dev messages the triage gets wrong;
 * `--split dev` (or `heldout`) prints one split only.
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { projectRoot } from "../content/files.js";
import { loadContent } from "../content/load.js";
import { evaluate, formatSplit, predict, readLabelled } from "../triage/evaluate.js";

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: { errors: { type: "boolean", default: false }, split: { type: "string", default: "both" } },
});
if (!["dev", "heldout", "both"].includes(values.split ?? "")) {
  console.error(`--split: expected dev, heldout or both, received "${values.split}"`);
  process.exit(2);
}
const folder = join(projectRoot(), "tests", "triage", "labelled");
const { content } = loadContent();
const triage = content.triage;

const dev = readLabelled(join(folder, "dev.jsonl"));
if (values.split !== "heldout") console.log(formatSplit("dev", evaluate(triage, dev), { confusion: true }));
if (values.split === "both") console.log("");
if (values.split !== "dev") console.log(formatSplit("heldout", evaluate(triage, readLabelled(join(folder, "heldout.jsonl"))), { confusion: false }));

if (values.errors) {
  console.log("\n## dev errors (expected | predicted)");
  for (const m of dev) {
    const p = predict(triage, m.text);
    const wrong: string[] = [];
    if ((p.categories[0] ?? "none") !== (m.categories[0] ?? "none")) wrong.push(`categories ${m.categories.join(",")} | ${p.categories.join(",") || "none"}`);
    if (p.urgent !== m.urgent) wrong.push(`urgent ${m.urgent} | ${p.urgent}`);
    if (p.place !== m.place) wrong.push(`place ${m.place} | ${p.place}`);
    if (p.language !== m.lang) wrong.push(`language ${m.lang} | ${p.language}`);
    if (wrong.length > 0) console.log(`${m.id}  ${JSON.stringify(m.text)}\n    ${wrong.join("\n    ")}`);
  }
}
