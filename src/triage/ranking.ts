import { z } from "zod";
import { CATEGORIES, type Category } from "../codes.js";
import type { CategoryScore } from "./triage.js";

/**
 * Which need comes first: the lexicon's ranking and the need model's probabilities weighed together by a small
 * learned scorer, one score per need. The lexicon knows what a word says and what was asked for; the model knows
 * how people of other writers told the same need. Neither alone orders needs as well as both (README, "Understanding
 * requests"): the lexicon misses needs told without its words, and the model misreads needs it saw rarely.
 *
 * The scorer is fitted on readings the model gave to messages it was not trained on (each writer of the fitting
 * splits left out in turn), so it learns how far to trust the model on a new writer, not on what it learned by heart.
 */

/** What the scorer knows of one need in one message, in the order of its weights. */
export const RANKING_INPUTS = [
  /** The lexicon found the need. */
  "found",
  /** The lexicon ranked it first. */
  "first",
  /** The lexicon ranked it second. */
  "second",
  /** The lexicon's confidence (0 when not found). */
  "confidence",
  /** log of the model's probability that it is the main need. */
  "logProbability",
  /** The same, for a need the lexicon also found: agreement counts more than either alone. */
  "logProbabilityFound",
  /** The need is `other` (greetings, general orientation). */
  "other",
] as const;

/** Keeps log(probability) finite: a need the model rules out scores low, not minus infinity. */
const PROBABILITY_FLOOR = 1e-4;

export const rankingSettingsSchema = z
  .object({
    /**
     * The labelled splits the scorer is fitted on: batches the lexicon was never tuned on, whose messages carry their
     * writer's id as prefix ("w13-001"), so that the model can be trained without each writer in turn.
     */
    splits: z.array(z.string()).min(1),
    epochs: z.number().int().positive(),
    learningRate: z.number().positive(),
    l2: z.number().nonnegative(),
  })
  .strict();
export type RankingSettings = z.infer<typeof rankingSettingsSchema>;

export const rankingSchema = z
  .object({
    inputs: z.array(z.string()),
    weights: z.array(z.number()),
    /** How many messages the scorer was fitted on. */
    messages: z.number().int().nonnegative(),
  })
  .strict()
  .superRefine((ranking, ctx) => {
    if (ranking.inputs.join() !== RANKING_INPUTS.join()) {
      ctx.addIssue({ code: "custom", path: ["inputs"], message: `Expected ${RANKING_INPUTS.join(", ")}: retrain with npm run triage:train` });
    }
    if (ranking.weights.length !== ranking.inputs.length) {
      ctx.addIssue({ code: "custom", path: ["weights"], message: `Expected ${ranking.inputs.length} weights, found ${ranking.weights.length}` });
    }
  });
export type Ranking = z.infer<typeof rankingSchema>;

/** One fitting example: what the lexicon ranked, what the model read, and the main need a person labelled. */
export interface RankingExample {
  lexicon: readonly CategoryScore[];
  probabilities: ReadonlyMap<Category, number>;
  main: Category;
}

/** The scorer's inputs for every need of one message, in the order of CATEGORIES. */
export function rankingInputs(lexicon: readonly CategoryScore[], probabilities: ReadonlyMap<Category, number>): number[][] {
  return CATEGORIES.map((code) => {
    const rank = lexicon.findIndex((c) => c.code === code);
    const found = rank >= 0;
    const logProbability = Math.log((probabilities.get(code) ?? 0) + PROBABILITY_FLOOR);
    const confidence = found ? lexicon[rank]!.confidence : 0;
    return [Number(found), Number(rank === 0), Number(rank === 1), confidence, logProbability, found ? logProbability : 0, Number(code === "other")];
  });
}

const scoreOf = (inputs: readonly number[], weights: readonly number[]) => inputs.reduce((sum, x, k) => sum + x * weights[k]!, 0);

/**
 * The needs in the scorer's order: the lexicon's needs reordered, and the model's best need put first when the
 * lexicon did not find it (`other` only beside needs the lexicon found). Such a need keeps the model's probability as
 * confidence, capped under `askBelow`: words the lexicon does not know are offered for the person to confirm, never
 * taken as said.
 */
export function orderNeeds(
  lexicon: readonly CategoryScore[],
  probabilities: ReadonlyMap<Category, number>,
  weights: readonly number[],
  askBelow: number,
): CategoryScore[] {
  const inputs = rankingInputs(lexicon, probabilities);
  const score = new Map(CATEGORIES.map((code, i) => [code, scoreOf(inputs[i]!, weights)]));
  // A stable sort: needs the scorer cannot tell apart keep the lexicon's order.
  const ordered = [...lexicon].sort((a, b) => score.get(b.code)! - score.get(a.code)!);
  const best = CATEGORIES.reduce((a, b) => (score.get(b)! > score.get(a)! ? b : a));
  if (ordered.some((c) => c.code === best)) return ordered;
  // `other` first says "nothing of these" ("thank you, the hospital took my wife"); when the lexicon found nothing
  // it is only what the model says of words it does not know ("xqzt"), which must stay "I did not understand".
  if (best === "other" && ordered.length === 0) return ordered;
  const confidence = Math.min(Math.round((probabilities.get(best) ?? 0) * 1000) / 1000, askBelow - 0.001);
  return [{ code: best, confidence }, ...ordered];
}

/**
 * Fits the scorer's weights: softmax over the ten needs of each example, cross-entropy against the labelled main
 * need, full-batch AdaGrad with an L2 pull. Deterministic (no sampling).
 */
export function fitRanking(examples: readonly RankingExample[], settings: RankingSettings): number[] {
  const width = RANKING_INPUTS.length;
  const weights = new Array<number>(width).fill(0);
  const squares = new Float64Array(width);
  const rows = examples.map((e) => ({ inputs: rankingInputs(e.lexicon, e.probabilities), main: CATEGORIES.indexOf(e.main) }));
  for (let epoch = 0; epoch < settings.epochs; epoch++) {
    const gradient = new Float64Array(width);
    for (const { inputs, main } of rows) {
      const scores = inputs.map((x) => scoreOf(x, weights));
      const top = Math.max(...scores);
      const exp = scores.map((s) => Math.exp(s - top));
      const total = exp.reduce((a, b) => a + b, 0);
      inputs.forEach((x, c) => {
        const g = exp[c]! / total - (c === main ? 1 : 0);
        for (let k = 0; k < width; k++) gradient[k]! += g * x[k]!;
      });
    }
    for (let k = 0; k < width; k++) {
      const g = gradient[k]! / Math.max(1, rows.length) + settings.l2 * weights[k]!;
      squares[k]! += g * g;
      weights[k]! -= (settings.learningRate * g) / (Math.sqrt(squares[k]!) + 1e-8);
    }
  }
  return weights;
}
