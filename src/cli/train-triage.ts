/**
 * `npm run triage:train`: trains the need model (`src/triage/need-model.ts`) on every labelled tuning split in
 * `tests/triage/labelled/` (never `heldout.jsonl`), fits the scorer that orders needs (`src/triage/ranking.ts`) on
 * readings of writers left out in turn, and writes `data/lexicon/need-model.json`. Run it again after adding or
 * correcting labelled messages or texting shorthands (a test fails while the model is stale), and after changing
 * the lexicon (the scorer weighs the lexicon's ranking as it was when fitted).
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { projectRoot } from "../content/files.js";
import { loadContent } from "../content/load.js";
import { trainingFiles } from "../triage/evaluate.js";
import { TRAINING_SETTINGS } from "../triage/need-model.js";
import { trainTriageModel } from "../triage/training.js";

const root = projectRoot();
const started = performance.now();
// The model being replaced is not read: it may be stale or of an older format.
const { content } = loadContent({ needModel: false });
const model = trainTriageModel({
  files: trainingFiles(join(root, "tests", "triage", "labelled")),
  lexicon: content.triage,
  settings: TRAINING_SETTINGS,
});
const text = `${JSON.stringify(model)}\n`;
writeFileSync(join(root, "data", "lexicon", "need-model.json"), text);
console.log(
  `need-model.json: ${model.trainedOn.messages} messages from ${model.trainedOn.files.length} splits, ${model.features.length} features, ` +
    `scorer fitted on ${model.ranking.messages} readings of writers left out; ${Math.round(text.length / 1024)} KiB, ` +
    `trained in ${((performance.now() - started) / 1000).toFixed(1)} s`,
);
