import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { projectRoot } from "../../src/content/files.js";
import { ContentError, loadContent } from "../../src/content/load.js";
import { CALIBRATION_SPLIT, HELD_OUT_SPLIT, readLabelled, trainingFiles } from "../../src/triage/evaluate.js";
import {
  MODEL_OUTPUTS,
  NeedModel,
  TRAINING_SETTINGS,
  needFeatures,
  needModelSchema,
  quantise,
  trainNeedModel,
  trainingDigest,
  trainingMessage,
  type TrainingMessage,
} from "../../src/triage/need-model.js";
import { RANKING_INPUTS } from "../../src/triage/ranking.js";
import { CONFIDENT, readWords, shorthandTable } from "../../src/triage/triage.js";
import { realContent } from "../helpers/content.js";

const root = projectRoot();
const labelledFolder = join(root, "tests", "triage", "labelled");
const committed = () => needModelSchema.parse(JSON.parse(readFileSync(join(root, "data", "lexicon", "need-model.json"), "utf8")));
const shorthands = realContent().content.triage.textingShorthands;
const table = shorthandTable(shorthands);
const examples = (split: string): TrainingMessage[] => readLabelled(join(labelledFolder, `${split}.jsonl`)).map((m) => trainingMessage(m, table));

describe("data/lexicon/need-model.json", () => {
  it("is trained on today's tuning splits, shorthands and settings (run npm run triage:train when this fails)", () => {
    const model = committed();
    const files = trainingFiles(labelledFolder);
    expect(model.trainedOn.files).toEqual(files.map((f) => f.name));
    expect(model.settings).toEqual(TRAINING_SETTINGS);
    expect(model.trainedOn.digest, "the labelled tuning files, shorthands or settings changed since the model was trained: run npm run triage:train").toBe(
      trainingDigest(files, shorthands, TRAINING_SETTINGS),
    );
  });

  it("is read word by word to the same sums as over the message's features", () => {
    const file = committed();
    const model = new NeedModel(file);
    const bytes = new Int8Array(Buffer.from(file.weights, "base64"));
    const rows = new Map(file.features.map((f, i) => [f, i]));
    const width = MODEL_OUTPUTS.length;
    for (const m of readLabelled(join(labelledFolder, "fresh.jsonl")).slice(0, 60)) {
      const tokens = readWords(m.text, table).tokens;
      const sums = new Array<number>(width).fill(0);
      for (const feature of [...needFeatures(tokens), "bias"]) {
        const row = rows.get(feature);
        if (row !== undefined) for (let k = 0; k < width; k++) sums[k]! += bytes[row * width + k]! * file.scale;
      }
      const reading = model.read(tokens);
      expect(reading.urgent).toBeCloseTo(1 / (1 + Math.exp(-sums[width - 1]!)), 5);
      const top = Math.max(...sums.slice(0, -1));
      const total = sums.slice(0, -1).reduce((t, x) => t + Math.exp(x - top), 0);
      [...reading.categories.values()].forEach((p, k) => expect(p).toBeCloseTo(Math.exp(sums[k]! - top) / total, 5));
    }
  });

  it("never learns from the held-out or the calibration split", () => {
    for (const split of [HELD_OUT_SPLIT, CALIBRATION_SPLIT]) {
      expect(readLabelled(join(labelledFolder, `${split}.jsonl`)).length, split).toBeGreaterThan(0);
      expect(committed().trainedOn.files).not.toContain(split);
      expect(trainingFiles(labelledFolder).map((f) => f.name)).not.toContain(split);
    }
  });
});

describe("training", () => {
  const dev = examples("dev");

  it("gives the same weights for the same messages and settings", () => {
    const a = trainNeedModel(dev, { ...TRAINING_SETTINGS, epochs: 3 });
    const b = trainNeedModel(dev, { ...TRAINING_SETTINGS, epochs: 3 });
    expect(a.features).toEqual(b.features);
    expect(Buffer.from(a.weights.buffer).equals(Buffer.from(b.weights.buffer))).toBe(true);
  });

  it("averages one run per seed, each visiting the messages in its own order", () => {
    const settings = { ...TRAINING_SETTINGS, epochs: 2 };
    const seven = trainNeedModel(dev, { ...settings, seeds: [7] }).weights;
    const eight = trainNeedModel(dev, { ...settings, seeds: [8] }).weights;
    const both = trainNeedModel(dev, { ...settings, seeds: [7, 8] }).weights;
    expect(seven.some((w, i) => Math.abs(w - eight[i]!) > 1e-6)).toBe(true);
    both.forEach((w, i) => expect(w).toBeCloseTo((seven[i]! + eight[i]!) / 2, 12));
  });

  it("learns: the main need and danger of the messages it was trained on come out of the stored (quantised) model", () => {
    const { features, weights } = trainNeedModel(dev, TRAINING_SETTINGS);
    const { scale, base64 } = quantise(weights);
    const model = new NeedModel(
      needModelSchema.parse({
        about: "",
        trainedOn: { digest: "0".repeat(64), files: ["dev"], messages: dev.length },
        settings: TRAINING_SETTINGS,
        outputs: [...MODEL_OUTPUTS],
        scale,
        features,
        weights: base64,
        ranking: { inputs: [...RANKING_INPUTS], weights: RANKING_INPUTS.map(() => 0), messages: 0 },
      }),
    );
    let top = 0;
    let danger = 0;
    for (const [i, m] of readLabelled(join(labelledFolder, "dev.jsonl")).entries()) {
      const reading = model.read(readWords(m.text, table).tokens);
      const best = [...reading.categories].sort((a, b) => b[1] - a[1])[0]![0];
      if (best === dev[i]!.category) top++;
      if (reading.urgent >= 0.5 === m.urgent) danger++;
    }
    expect(top / dev.length).toBeGreaterThan(0.9);
    expect(danger / dev.length).toBeGreaterThan(0.9);
  });

  it("drops features seen in fewer messages than the setting asks", () => {
    const messages: TrainingMessage[] = [
      { features: ["w:tbib", "w:rare"], category: "health", urgent: false },
      { features: ["w:tbib"], category: "health", urgent: false },
      { features: ["w:khedma"], category: "employment", urgent: false },
      { features: ["w:khedma"], category: "employment", urgent: false },
    ];
    const { features } = trainNeedModel(messages, { ...TRAINING_SETTINGS, minMessages: 2 });
    expect(features).toEqual(["bias", "w:khedma", "w:tbib"]);
  });

  it("stores each weight within half a step of its value", () => {
    const weights = Float64Array.from([0.5, -1.27, 0.003, 1.27]);
    const { scale, base64 } = quantise(weights);
    const back = new Int8Array(Buffer.from(base64, "base64"));
    weights.forEach((w, i) => expect(Math.abs(back[i]! * scale - w)).toBeLessThanOrEqual(scale / 2 + 1e-12));
  });
});

describe("the triage with its model", () => {
  const full = () => realContent().content.triage;
  let lexiconOnly: ReturnType<typeof full> | undefined;
  const lexicon = () => (lexiconOnly ??= full().withoutModel());

  it("orders two needs the lexicon finds as the person means them", () => {
    const text = "je suis malade et en plus jai plus de travail, et le loyer est pas payé";
    expect(lexicon().analyse(text).categories.map((c) => c.code)[0]).toBe("employment");
    expect(full().analyse(text).categories.map((c) => c.code)).toEqual(expect.arrayContaining(["health", "employment", "shelter"]));
    expect(full().analyse(text).categories[0]?.code).toBe("health");
  });

  it("adds danger the lexicon's words miss", () => {
    const text = "my son is very hot since yesterday and now he is shaking and not answering me";
    expect(lexicon().analyse(text).urgent).toBe(false);
    expect(full().analyse(text).urgent).toBe(true);
  });

  it("never removes an alarm the lexicon raises; a need only it finds comes first, to be confirmed, never taken", () => {
    let offered = 0;
    for (const m of readLabelled(join(labelledFolder, "blind-tuning-3.jsonl"))) {
      const withModel = full().analyse(m.text);
      const alone = lexicon().analyse(m.text);
      if (alone.urgent) expect(withModel.urgent, m.text).toBe(true);
      const found = new Set(alone.categories.map((c) => c.code));
      const added = withModel.categories.filter((c) => !found.has(c.code));
      expect(added.length, m.text).toBeLessThanOrEqual(1);
      if (added.length === 1) {
        offered++;
        expect(withModel.categories[0], m.text).toEqual(added[0]);
        expect(added[0]!.confidence, m.text).toBeLessThan(CONFIDENT);
      }
      expect(new Set(withModel.categories.slice(added.length).map((c) => c.code)), m.text).toEqual(found);
    }
    // The lexicon misses the need of some messages of this batch: some must be offered, or this checks nothing.
    expect(offered).toBeGreaterThan(0);
  });

  it("offers the need a message tells without the lexicon's words", () => {
    const text = "mon père ne peut plus uriner depuis deux jours";
    expect(lexicon().analyse(text).categories).toEqual([]);
    expect(full().analyse(text).categories.map((c) => c.code)).toEqual(["health"]);
  });

  it("offers nothing for words it cannot read, a place alone or a number alone", () => {
    for (const text of ["xqzt vvv", "blablabla", "asdf qwer", "Nador", "الناظور", "3", "12"]) {
      expect(full().analyse(text).categories, text).toEqual(lexicon().analyse(text).categories);
    }
  });

  it("adds no alarm to a commune's name alone, the answer to \"where are you?\"", () => {
    const triage = full();
    const names = triage.gazetteer.communes.flatMap((c) => [c.nameFr, c.nameAr]);
    const added = names.filter((name) =>
      [{}, { expectingPlace: true }].some((options) => triage.analyse(name, options).urgent && !lexicon().analyse(name, options).urgent),
    );
    expect(added).toEqual([]);
    // The same words in a sentence are still read: the model is not switched off by a place.
    expect(triage.analyse("he took the door key and my phone, I am in Tiznit").urgent).toBe(true);
  });

  it("adds no alarm to a reply of a word or three: commands and answers are not danger", () => {
    for (const text of ["stop", "langue", "menu", "oui", "non merci", "ok ok", "français", "English please", "3afak", "wakha", "نعم", "retour au menu"]) {
      expect(full().analyse(text).urgent, text).toBe(lexicon().analyse(text).urgent);
    }
  });

  it("adds no alarm to code or markup: its words are ones the model never learned, read only through their letters", () => {
    const model = new NeedModel(committed());
    expect(model.knows("door")).toBe(true);
    expect(model.knows("sqlite")).toBe(false);
    for (const text of ["1 UNION SELECT name, sql FROM sqlite_master --", "<img src=x onerror=alert(1)>", "<script>alert(1)</script>", '{"id":"choice.7","__proto__":{"admin":true}}']) {
      expect(full().analyse(text).urgent, text).toBe(lexicon().analyse(text).urgent);
    }
  });

  it("reads nothing into numbers: an age, a count or a label's number means something only with its neighbours", () => {
    expect(needFeatures(["message", "13"])).toEqual(needFeatures(["message"]));
    for (let i = 0; i < 30; i++) expect(full().analyse(`message ${i}`).urgent, `message ${i}`).toBe(false);
  });

  it("reads nothing into a message without words", () => {
    for (const text of ["", "🙏", "???"]) expect(full().analyse(text).urgent).toBe(false);
  });
});

describe("loading", () => {
  const folders: string[] = [];
  afterAll(() => folders.forEach((f) => rmSync(f, { recursive: true, force: true })));

  /** A copy of the project's content whose data folder can be changed. */
  function contentCopy(): string {
    const copy = mkdtempSync(join(tmpdir(), "dalil-model-"));
    folders.push(copy);
    for (const folder of ["flows", "locales"]) symlinkSync(join(root, folder), join(copy, folder));
    cpSync(join(root, "data"), join(copy, "data"), { recursive: true });
    return copy;
  }

  it("runs on the lexicon alone when the data folder has no model", () => {
    const copy = contentCopy();
    rmSync(join(copy, "data", "lexicon", "need-model.json"));
    const text = "my son is very hot since yesterday and now he is shaking and not answering me";
    expect(loadContent({ root: copy }).content.triage.analyse(text).urgent).toBe(false);
  });

  it("refuses a damaged model, naming the file and the field", () => {
    const copy = contentCopy();
    const path = join(copy, "data", "lexicon", "need-model.json");
    const model = JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
    writeFileSync(path, JSON.stringify({ ...model, weights: "AAAA" }));
    try {
      loadContent({ root: copy });
      expect.unreachable("a damaged model was loaded");
    } catch (error) {
      expect(error).toBeInstanceOf(ContentError);
      expect(String((error as Error).message)).toMatch(/need-model\.json[\s\S]*weights/);
    }
  });
});
