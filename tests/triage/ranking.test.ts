import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { projectRoot } from "../../src/content/files.js";
import { CATEGORIES, type Category } from "../../src/codes.js";
import { trainingFiles } from "../../src/triage/evaluate.js";
import { TRAINING_SETTINGS, needModelSchema, trainingDigest } from "../../src/triage/need-model.js";
import { RANKING_INPUTS, fitRanking, orderNeeds, rankingInputs, type RankingExample } from "../../src/triage/ranking.js";
import { trainTriageModel, writerOf } from "../../src/triage/training.js";
import type { CategoryScore } from "../../src/triage/triage.js";
import { realContent } from "../helpers/content.js";

/** Model probabilities: the given ones, the rest of the mass spread over the other needs. */
function probabilities(given: Partial<Record<Category, number>>): Map<Category, number> {
  const rest = 1 - Object.values(given).reduce((a, b) => a + b, 0);
  const others = CATEGORIES.filter((c) => !(c in given));
  return new Map(CATEGORIES.map((c) => [c, given[c] ?? rest / others.length]));
}

const weightsOf = (named: Partial<Record<(typeof RANKING_INPUTS)[number], number>>) => RANKING_INPUTS.map((input) => named[input] ?? 0);
/** Trusts the lexicon's order a lot and the model some: about what fitting gives. */
const balanced = weightsOf({ found: 0.1, first: 1.2, second: 0.4, confidence: 1, logProbability: 0.5, logProbabilityFound: -0.2, other: -0.3 });

describe("orderNeeds", () => {
  const cases: { description: string; lexicon: CategoryScore[]; model: Partial<Record<Category, number>>; weights?: number[]; expected: CategoryScore[] }[] = [
    {
      description: "keeps the lexicon's order when the model agrees",
      lexicon: [{ code: "health", confidence: 1 }, { code: "shelter", confidence: 1 }],
      model: { health: 0.8, shelter: 0.15 },
      expected: [{ code: "health", confidence: 1 }, { code: "shelter", confidence: 1 }],
    },
    {
      description: "puts second the need the lexicon ranked first when the model is sure of the other",
      lexicon: [{ code: "employment", confidence: 1 }, { code: "legal", confidence: 1 }],
      model: { legal: 0.98, employment: 0.01 },
      expected: [{ code: "legal", confidence: 1 }, { code: "employment", confidence: 1 }],
    },
    {
      description: "offers first, under the confidence taken without asking, a need the lexicon missed",
      lexicon: [{ code: "shelter", confidence: 0.4 }],
      model: { protection: 0.99, shelter: 0.001 },
      expected: [{ code: "protection", confidence: 0.599 }, { code: "shelter", confidence: 0.4 }],
    },
    {
      description: "offers a need the model is unsure of with its own probability",
      lexicon: [],
      model: { health: 0.45, basic_needs: 0.3 },
      expected: [{ code: "health", confidence: 0.45 }],
    },
    {
      description: "puts `other` first beside needs found (thanks for help received)",
      lexicon: [{ code: "health", confidence: 0.4 }],
      model: { other: 0.995 },
      expected: [{ code: "other", confidence: 0.599 }, { code: "health", confidence: 0.4 }],
    },
    {
      description: "never offers `other` alone: unknown words stay not understood",
      lexicon: [],
      model: { other: 0.9 },
      expected: [],
    },
    {
      description: "keeps the lexicon's order between needs the scorer cannot tell apart",
      lexicon: [{ code: "legal", confidence: 0.5 }, { code: "return", confidence: 1 }],
      model: { legal: 0.4, return: 0.4 },
      weights: weightsOf({ logProbability: 1 }),
      expected: [{ code: "legal", confidence: 0.5 }, { code: "return", confidence: 1 }],
    },
  ];
  for (const c of cases) {
    it(c.description, () => expect(orderNeeds(c.lexicon, probabilities(c.model), c.weights ?? balanced, 0.6)).toEqual(c.expected));
  }
});

describe("fitRanking", () => {
  const settings = TRAINING_SETTINGS.ranking;
  // Two needs found with the same confidence; the labelled main need is the one the model prefers in 9 of 10.
  const examples: RankingExample[] = Array.from({ length: 40 }, (_, i) => {
    const modelRight = i % 10 !== 0;
    return {
      lexicon: [{ code: "employment", confidence: 1 }, { code: "legal", confidence: 1 }],
      probabilities: probabilities({ legal: 0.9, employment: 0.05 }),
      main: modelRight ? "legal" : "employment",
    };
  });

  it("learns to follow the model where it is right, against the lexicon's order", () => {
    const weights = fitRanking(examples, settings);
    expect(orderNeeds(examples[0]!.lexicon, examples[0]!.probabilities, weights, 0.6)[0]?.code).toBe("legal");
    expect(weights[RANKING_INPUTS.indexOf("logProbability")]! + weights[RANKING_INPUTS.indexOf("logProbabilityFound")]!).toBeGreaterThan(0);
  });

  it("learns to follow the lexicon where the model is wrong", () => {
    const wrong = examples.map((e) => ({ ...e, main: "employment" as const }));
    const weights = fitRanking(wrong, settings);
    expect(orderNeeds(wrong[0]!.lexicon, wrong[0]!.probabilities, weights, 0.6)[0]?.code).toBe("employment");
  });

  it("is deterministic", () => {
    expect(fitRanking(examples, settings)).toEqual(fitRanking(examples, settings));
  });

  it("reads one row of inputs per need, in the order of its weights", () => {
    const rows = rankingInputs([{ code: "legal", confidence: 0.5 }], probabilities({ legal: 0.2 }));
    expect(rows).toHaveLength(CATEGORIES.length);
    expect(rows[CATEGORIES.indexOf("legal")]).toEqual([1, 1, 0, 0.5, Math.log(0.2 + 1e-4), Math.log(0.2 + 1e-4), 0]);
    expect(rows[CATEGORIES.indexOf("other")]!.slice(0, 4)).toEqual([0, 0, 0, 0]);
    expect(rows[CATEGORIES.indexOf("other")]!.at(-1)).toBe(1);
  });
});

describe("trainTriageModel", () => {
  const folder = join(projectRoot(), "tests", "triage", "labelled");
  const files = trainingFiles(folder).filter((f) => f.name === "dev" || f.name === "blind-tuning");

  it("reads the writer of a message from its id", () => {
    expect(writerOf("w13-001")).toBe("w13");
    expect(writerOf("fresh-017")).toBeNull();
    expect(writerOf("ar-3")).toBeNull();
  });

  it("fits the scorer on the named splits' writers left out in turn, and trains the model on every split", { timeout: 60_000 }, () => {
    const settings = { ...TRAINING_SETTINGS, epochs: 3, seeds: [7], ranking: { ...TRAINING_SETTINGS.ranking, splits: ["blind-tuning"], epochs: 50 } };
    const lexicon = realContent().content.triage.withoutModel();
    const model = trainTriageModel({ files, lexicon, settings });
    expect(needModelSchema.safeParse(model).success).toBe(true);
    expect(model.trainedOn.files).toEqual(["blind-tuning", "dev"]);
    expect(model.trainedOn.digest).toBe(trainingDigest(files, lexicon.textingShorthands, settings));
    const blind = files.find((f) => f.name === "blind-tuning")!.text.trim().split("\n").length;
    const dev = files.find((f) => f.name === "dev")!.text.trim().split("\n").length;
    expect(model.trainedOn.messages).toBe(blind + dev);
    expect(model.ranking.messages).toBeGreaterThan(blind * 0.95);
    expect(model.ranking.messages).toBeLessThanOrEqual(blind);
    expect(model.ranking.weights.some((w) => w !== 0)).toBe(true);
  });

  it("refuses to fit the scorer on a split without writers in its ids, naming a message", () => {
    const settings = { ...TRAINING_SETTINGS, ranking: { ...TRAINING_SETTINGS.ranking, splits: ["dev"] } };
    expect(() => trainTriageModel({ files, lexicon: realContent().content.triage.withoutModel(), settings })).toThrow(/writer in every id/);
  });

  it("refuses a scorer split that is not a tuning split", () => {
    const settings = { ...TRAINING_SETTINGS, ranking: { ...TRAINING_SETTINGS.ranking, splits: ["heldout"] } };
    expect(() => trainTriageModel({ files, lexicon: realContent().content.triage.withoutModel(), settings })).toThrow(/no tuning split named heldout/);
  });
});
