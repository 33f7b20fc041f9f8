import { createHash } from "node:crypto";
import { z } from "zod";
import { CATEGORIES, type Category } from "../codes.js";
import { skeleton } from "./arabizi.js";
import type { LabelledMessage } from "./evaluate.js";
import { orderNeeds, rankingSchema, rankingSettingsSchema } from "./ranking.js";
import { readWords, type CategoryScore } from "./triage.js";

/**
 * A learned reading of a message, beside the lexicon: a linear model over the message's words, their consonant
 * skeletons, word pairs and letter groups, trained on the labelled tuning messages (`npm run triage:train`). It says
 * how likely each need is to be the main one and how likely the message is to tell a danger now. A small scorer
 * (`ranking.ts`) weighs its probabilities with the lexicon's ranking to put the main need first (which of two needs
 * the person asks for first was most of the lexicon's errors); the danger probability adds alarms the lexicon's words
 * miss. Its weights live in `data/lexicon/need-model.json`, generated, never edited by hand.
 */

/** Bumped whenever `needFeatures` changes: a model trained on other features is stale. */
export const FEATURE_VERSION = 2;

export const trainingSettingsSchema = z.object({
  /** Passes over the training messages. */
  epochs: z.number().int().positive(),
  /** Pull of every weight towards zero, against learning one writer's words by heart. */
  l2: z.number().nonnegative(),
  /** AdaGrad's base step. */
  learningRate: z.number().positive(),
  /** Lengths of the letter groups read inside each word ("^mal", "lade$"). */
  ngrams: z.array(z.number().int().positive()),
  /** A feature seen in fewer messages than this is dropped: too rare to say anything, and it bloats the file. */
  minMessages: z.number().int().positive(),
  /**
   * One training run per seed, each visiting the messages in the order its seed draws; the model is their average,
   * steadier than any one run. The same data and settings always give the same weights.
   */
  seeds: z.array(z.number().int()).min(1),
  /** How the scorer that orders needs is fitted (`ranking.ts`). */
  ranking: rankingSettingsSchema,
});
export type TrainingSettings = z.infer<typeof trainingSettingsSchema>;

/**
 * Chosen by leaving out one writer of the third blind batch at a time, training on everything else and measuring on
 * that writer's messages; the scorer's inputs and settings the same way over the third and fifth batches, and the
 * batches it is fitted on over the third, fifth, sixth and seventh (README, "Understanding requests").
 */
export const TRAINING_SETTINGS: TrainingSettings = {
  epochs: 15,
  l2: 1e-4,
  learningRate: 0.1,
  ngrams: [3, 4, 5],
  minMessages: 3,
  seeds: [7, 8, 9],
  ranking: { splits: ["blind-tuning-3", "blind-tuning-4", "blind-tuning-5"], epochs: 300, learningRate: 0.5, l2: 1e-3 },
};

/** The model's outputs, in the order of its weights: one per need category, then danger now. */
export const MODEL_OUTPUTS = [...CATEGORIES, "urgent"] as const;
const URGENT = CATEGORIES.length;
const BIAS = "bias";

/**
 * What the model needs to know of a message: its words as the triage reads them (normalised, shorthands spelled).
 * Numbers are left out: an age, a duration, a price or a count means something only with its neighbours, which the
 * lexicon's rules read ("16 ans" and "seul"); as letter groups they taught the model that "message 13" is a child in
 * danger.
 */
export function needFeatures(tokens: readonly string[], ngrams: readonly number[] = TRAINING_SETTINGS.ngrams): string[] {
  const features = new Set<string>();
  tokens.forEach((token, i) => {
    if (isNumber(token)) return;
    features.add(`w:${token}`);
    const key = skeleton(token);
    if (key !== "") features.add(`s:${key}`);
    if (i > 0 && !isNumber(tokens[i - 1]!)) features.add(`b:${tokens[i - 1]} ${token}`);
    const padded = `^${token}$`;
    for (const n of ngrams) for (let j = 0; j + n <= padded.length; j++) features.add(`c${n}:${padded.slice(j, j + n)}`);
  });
  return [...features];
}

const isNumber = (token: string) => /^\d+$/.test(token);

export const needModelSchema = z
  .object({
    about: z.string(),
    trainedOn: z.object({
      /** sha256 of the feature version, the settings, the texting shorthands and every training file. */
      digest: z.string().regex(/^[0-9a-f]{64}$/),
      files: z.array(z.string()),
      messages: z.number().int().nonnegative(),
    }),
    settings: trainingSettingsSchema,
    outputs: z.array(z.string()),
    /** A stored weight is `scale × byte` (a signed byte): a quarter of the size of 32-bit floats. */
    scale: z.number().positive(),
    features: z.array(z.string()),
    /** base64 of signed bytes, a row of `outputs.length` per feature. */
    weights: z.string(),
    /** The scorer that orders the needs found (`ranking.ts`). */
    ranking: rankingSchema,
  })
  .strict()
  .superRefine((model, ctx) => {
    const expected = [...MODEL_OUTPUTS];
    if (model.outputs.join() !== expected.join()) {
      ctx.addIssue({ code: "custom", path: ["outputs"], message: `Expected ${expected.join(", ")}: retrain with npm run triage:train` });
    }
    const bytes = Buffer.from(model.weights, "base64").length;
    if (bytes !== model.features.length * model.outputs.length) {
      ctx.addIssue({ code: "custom", path: ["weights"], message: `Expected ${model.features.length} × ${model.outputs.length} weights, found ${bytes}` });
    }
  });
export type NeedModelFile = z.infer<typeof needModelSchema>;

export interface ModelReading {
  /** Probability that each category is the main need; they sum to 1. */
  categories: Map<Category, number>;
  /** Probability that the message tells a danger now. */
  urgent: number;
}

/** Words whose features are remembered: most messages reuse the same few thousand words. */
const REMEMBERED_WORDS = 20_000;

export class NeedModel {
  private readonly rows = new Map<string, number>();
  private readonly weights: Float32Array;
  private readonly width = MODEL_OUTPUTS.length;
  private readonly bias: number | undefined;
  /** The rows of each word's own features (word, skeleton, letter groups): they do not depend on the message. */
  private readonly wordRows = new Map<string, Int32Array>();
  /** Marks rows already counted in the message being read (a feature counts once, as in training). */
  private readonly counted: Uint32Array;
  private reading = 0;

  constructor(readonly file: NeedModelFile) {
    file.features.forEach((feature, row) => this.rows.set(feature, row));
    const bytes = new Int8Array(Buffer.from(file.weights, "base64"));
    this.weights = Float32Array.from(bytes, (b) => b * file.scale);
    this.bias = this.rows.get(BIAS);
    this.counted = new Uint32Array(file.features.length);
  }

  /** The model's reading of a message's words: the same sums as over `needFeatures(tokens)`, computed word by word. */
  read(tokens: readonly string[]): ModelReading {
    const sums = new Float64Array(this.width);
    if (this.reading === 0xffffffff) {
      this.counted.fill(0);
      this.reading = 0;
    }
    const mark = ++this.reading;
    const add = (row: number | undefined) => {
      if (row === undefined || this.counted[row] === mark) return;
      this.counted[row] = mark;
      for (let k = 0, at = row * this.width; k < this.width; k++) sums[k]! += this.weights[at + k]!;
    };
    add(this.bias);
    tokens.forEach((token, i) => {
      if (isNumber(token)) return;
      for (const row of this.rowsOfWord(token)) add(row);
      if (i > 0 && !isNumber(tokens[i - 1]!)) add(this.rows.get(`b:${tokens[i - 1]} ${token}`));
    });
    return outputsOf(sums);
  }

  /** Whether the model learned this word as a word (not only its letters): "sqlite" or "onerror" it never saw. */
  knows(word: string): boolean {
    return this.rows.has(`w:${word}`);
  }

  /**
   * The lexicon's needs in the order the scorer gives them with this reading; the model's own best need first when
   * the lexicon missed it, with a confidence under `askBelow` (offered for the person to confirm).
   */
  order(lexicon: readonly CategoryScore[], reading: ModelReading, askBelow: number): CategoryScore[] {
    return orderNeeds(lexicon, reading.categories, this.file.ranking.weights, askBelow);
  }

  private rowsOfWord(word: string): Int32Array {
    let rows = this.wordRows.get(word);
    if (rows === undefined) {
      const found: number[] = [];
      for (const feature of needFeatures([word], this.file.settings.ngrams)) {
        const row = this.rows.get(feature);
        if (row !== undefined) found.push(row);
      }
      rows = Int32Array.from(found);
      if (this.wordRows.size >= REMEMBERED_WORDS) this.wordRows.clear();
      this.wordRows.set(word, rows);
    }
    return rows;
  }
}

function outputsOf(sums: Float64Array): ModelReading {
  let top = -Infinity;
  for (let k = 0; k < URGENT; k++) top = Math.max(top, sums[k]!);
  let total = 0;
  const exp = CATEGORIES.map((_, k) => {
    const e = Math.exp(sums[k]! - top);
    total += e;
    return e;
  });
  return {
    categories: new Map(CATEGORIES.map((code, k) => [code, exp[k]! / total])),
    urgent: 1 / (1 + Math.exp(-sums[URGENT]!)),
  };
}

export interface TrainingMessage {
  features: readonly string[];
  category: Category;
  urgent: boolean;
}

/** A labelled message as the model learns from it: its features, its main need (`other` when none), its danger. */
export function trainingMessage(message: LabelledMessage, shorthands: ReadonlyMap<string, string[]>): TrainingMessage {
  return { features: needFeatures(readWords(message.text, shorthands).tokens), category: message.categories[0] ?? "other", urgent: message.urgent };
}

/**
 * Softmax regression for the main need and logistic regression for danger, sharing features, fitted by AdaGrad with
 * an L2 pull, once per seed of `settings.seeds` (each visits the messages in its own order); the weights are the
 * average of those runs. Deterministic.
 */
export function trainNeedModel(messages: readonly TrainingMessage[], settings: TrainingSettings): { features: string[]; weights: Float64Array } {
  const seenIn = new Map<string, number>();
  for (const m of messages) for (const f of m.features) seenIn.set(f, (seenIn.get(f) ?? 0) + 1);
  const features = [BIAS, ...[...seenIn.keys()].filter((f) => f !== BIAS && seenIn.get(f)! >= settings.minMessages).sort()];
  const rows = new Map(features.map((f, i) => [f, i]));
  const examples = messages.map((m) => ({
    rows: [0, ...m.features.map((f) => rows.get(f)).filter((r): r is number => r !== undefined && r !== 0)],
    category: CATEGORIES.indexOf(m.category),
    urgent: m.urgent ? 1 : 0,
  }));
  const weights = new Float64Array(features.length * MODEL_OUTPUTS.length);
  for (const seed of settings.seeds) {
    const run = fitOnce(examples, weights.length, settings, seed);
    for (let i = 0; i < weights.length; i++) weights[i]! += run[i]! / settings.seeds.length;
  }
  return { features, weights };
}

function fitOnce(examples: readonly { rows: number[]; category: number; urgent: number }[], size: number, settings: TrainingSettings, seed: number): Float64Array {
  const width = MODEL_OUTPUTS.length;
  const weights = new Float64Array(size);
  const squares = new Float64Array(size);
  const random = lcg(seed);
  const order = examples.map((_, i) => i);
  const sums = new Float64Array(width);
  const gradient = new Float64Array(width);
  for (let epoch = 0; epoch < settings.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (const index of order) {
      const example = examples[index]!;
      sums.fill(0);
      for (const row of example.rows) for (let k = 0; k < width; k++) sums[k]! += weights[row * width + k]!;
      const reading = outputsOf(sums);
      CATEGORIES.forEach((code, k) => (gradient[k] = reading.categories.get(code)! - (k === example.category ? 1 : 0)));
      gradient[URGENT] = reading.urgent - example.urgent;
      // Long messages have many features: each takes a share of the step, or long stories would dominate.
      const share = 1 / Math.sqrt(example.rows.length);
      for (const row of example.rows) {
        for (let k = 0, at = row * width; k < width; k++, at++) {
          const g = gradient[k]! * share + settings.l2 * weights[at]!;
          squares[at]! += g * g;
          weights[at]! -= (settings.learningRate * g) / (Math.sqrt(squares[at]!) + 1e-8);
        }
      }
    }
  }
  return weights;
}

/** Stores weights as signed bytes with one scale. */
export function quantise(weights: Float64Array): { scale: number; base64: string } {
  let largest = 0;
  for (const w of weights) largest = Math.max(largest, Math.abs(w));
  const scale = largest === 0 ? 1 : largest / 127;
  const bytes = Int8Array.from(weights, (w) => Math.round(w / scale));
  return { scale, base64: Buffer.from(bytes.buffer).toString("base64") };
}

/** What a model was trained from; a model whose digest differs from today's files is stale. */
export function trainingDigest(files: readonly { name: string; text: string }[], shorthands: Readonly<Record<string, string>>, settings: TrainingSettings): string {
  const hash = createHash("sha256");
  hash.update(JSON.stringify({ version: FEATURE_VERSION, settings, shorthands }));
  for (const file of [...files].sort((a, b) => a.name.localeCompare(b.name))) hash.update(`\n${file.name}\n`).update(file.text);
  return hash.digest("hex");
}

/** A small deterministic generator (the numbers of glibc's rand) in [0, 1), enough to shuffle. */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1103515245) + 12345) & 0x7fffffff;
    return state / 0x80000000;
  };
}
