import { describe, expect, it } from "vitest";
import { normalise } from "../../src/triage/normalise.js";
import { PhraseIndex, SKELETON_SIMILARITY, STEM_SIMILARITY, editSimilarity } from "../../src/triage/phrase-index.js";

const words = (text: string) => normalise(text).split(" ");

describe("phrase index", () => {
  it("finds exact phrases, longest and shortest, with their positions", () => {
    const index = new PhraseIndex([
      { phrase: "carte de sejour", value: "legal", weight: 1 },
      { phrase: "sejour", value: "legal", weight: 0.6 },
    ]);
    const hits = index.find(words("ma carte de séjour a expiré"));
    expect(hits.map((h) => [h.phrase, h.start, h.end])).toEqual([
      ["carte de sejour", 1, 4],
      ["sejour", 3, 4],
    ]);
  });

  it("matches a stem: the last word of a phrase begins with it", () => {
    const index = new PhraseIndex([{ phrase: "enferm", value: "locked", weight: 1, prefix: true }]);
    expect(index.find(words("ils nous ont enfermés"))).toMatchObject([{ start: 3, similarity: STEM_SIMILARITY }]);
    expect(index.find(words("enferm"))).toMatchObject([{ similarity: 1 }]);
    expect(index.find(words("enfer"))).toEqual([]);
  });

  it("reads an Arabic word as written first: a term with its clitics wins over the bare word", () => {
    const index = new PhraseIndex([
      { phrase: normalise("فالخدمة"), value: "at work", weight: 0.4 },
      { phrase: normalise("خدمة"), value: "a job", weight: 1 },
    ]);
    expect(index.find(words("كيتحرش بيا فالخدمة")).map((h) => h.value)).toEqual(["at work"]);
    expect(index.find(words("بغيت خدمة")).map((h) => h.value)).toEqual(["a job"]);
  });

  it("matches by skeleton only the tokens given one, across word boundaries", () => {
    const index = new PhraseIndex([{ phrase: "makaytnfsch", value: "not breathing", weight: 1, skeleton: "mktnfsC" }]);
    const hit = index.find(["ma", "kaytnffsch"], { skeletons: ["m", "ktnfsC"] });
    expect(hit).toMatchObject([{ start: 0, end: 2, similarity: SKELETON_SIMILARITY }]);
    expect(index.find(["ma", "kaytnffsch"], { skeletons: ["", "ktnfsC"] })).toEqual([]);
  });

  it("lets a skeleton run over more words than its term only when the extra words are leading particles", () => {
    const index = new PhraseIndex([{ phrase: "ندرس", value: "study", weight: 1, skeleton: "ndrs" }]);
    // "ma kaytnfsch" is one word split after its particle; "nador rasso" and "ndir s" are two words that happen to
    // share the consonants of "ندرس".
    expect(index.find(["nador", "rasso"], { skeletons: ["ndr", "rs"] })).toEqual([]);
    expect(index.find(["ndir", "s"], { skeletons: ["ndr", "s"] })).toEqual([]);
    expect(index.find(["n", "drs"], { skeletons: ["n", "drs"] })).toMatchObject([{ value: "study", start: 0, end: 2 }]);
    expect(index.find(["ndrs"], { skeletons: ["ndrs"] })).toMatchObject([{ value: "study", start: 0, end: 1 }]);
  });

  it("tolerates a typo only in words that pass the filter, and never in digits", () => {
    const index = new PhraseIndex([{ phrase: "medecin", value: "health", weight: 1 }], { fuzzyMinLength: 6, fuzzyThreshold: 0.35, fuzzyMinSimilarity: 0.8 });
    expect(index.find(["medcein"])).toMatchObject([{ value: "health" }]);
    expect(index.find(["medcein"], { fuzzyWord: () => false })).toEqual([]);
    expect(index.find(["medcein"], { fuzzy: false })).toEqual([]);
  });

  it("remembers a span's typo matches, each hit keeping its own position", () => {
    const index = new PhraseIndex([{ phrase: "medecin", value: "health", weight: 1 }], { fuzzyMinLength: 6, fuzzyThreshold: 0.35, fuzzyMinSimilarity: 0.8 });
    const first = index.find(["un", "medcein"]);
    expect(first).toMatchObject([{ value: "health", phrase: "medecin", start: 1, end: 2 }]);
    // The same span again, elsewhere and twice: the remembered matches, at the new positions.
    expect(index.find(["medcein", "ou", "medcein"]).map((h) => [h.phrase, h.start, h.end, h.similarity])).toEqual([
      ["medecin", 0, 1, first[0]!.similarity],
      ["medecin", 2, 3, first[0]!.similarity],
    ]);
    expect(index.find(["un", "medcein"])).toEqual(first);
  });

  it("scores edit similarity on whole words, a transposition as one edit", () => {
    expect(editSimilarity("medecin", "medecin")).toBe(1);
    expect(editSimilarity("medcein", "medecin")).toBeCloseTo(1 - 1 / 7);
    expect(editSimilarity("emploi", "empoisonne")).toBe(0);
  });
});
