import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { projectRoot } from "../../src/content/files.js";
import { categoryLexiconSchema, urgentLexiconSchema } from "../../src/triage/lexicon-schema.js";
import { editSimilarity } from "../../src/triage/phrase-index.js";
import { LATIN_FUZZY, isFormOf, lexiconWords, realWordsSchema } from "../../src/triage/real-words.js";

const lexicon = (name: string) => parse(readFileSync(join(projectRoot(), "data", "lexicon", `${name}.yaml`), "utf8")) as unknown;

describe("data/lexicon/real-words.yaml", () => {
  const { words } = realWordsSchema.parse(lexicon("real-words"));
  const { all, fuzzyTargets } = lexiconWords(categoryLexiconSchema.parse(lexicon("categories")), urgentLexiconSchema.parse(lexicon("urgent")));
  const terms = [...fuzzyTargets];

  it("lists only words one typo away from a lexicon term without being a form of it, none a term itself", () => {
    const stray = words.filter(
      (word) => all.has(word) || !terms.some((term) => term[0] === word[0] && editSimilarity(word, term) >= LATIN_FUZZY.minSimilarity && !isFormOf(word, term)),
    );
    // A stray word means the lexicon changed since the list was generated: run `npm run lexicon:real-words`.
    expect(stray).toEqual([]);
    expect(words.length).toBeGreaterThan(1000);
  });

  it("tells a form of a word from another word", () => {
    expect(isFormOf("blesser", "blesse")).toBe(true);
    expect(isFormOf("malades", "malade")).toBe(true);
    expect(isFormOf("facture", "fracture")).toBe(false);
    expect(isFormOf("adresses", "agresses")).toBe(false);
    expect(isFormOf("reviennent", "retiennent")).toBe(false);
  });
});
