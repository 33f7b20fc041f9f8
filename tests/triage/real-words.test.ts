import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { projectRoot } from "../../src/content/files.js";
import { normalise } from "../../src/triage/normalise.js";
import { editSimilarity } from "../../src/triage/phrase-index.js";
import { LATIN_FUZZY, isFormOf, realWordsSchema } from "../../src/triage/real-words.js";

const lexicon = (name: string) => parse(readFileSync(join(projectRoot(), "data", "lexicon", `${name}.yaml`), "utf8")) as unknown;

/** Every single Latin-script word of the need and danger lists, as the triage reads it. */
function termWords(): Set<string> {
  const words = new Set<string>();
  const visit = (value: unknown): void => {
    if (typeof value === "string") {
      const phrase = normalise(value.replace(/\*$/, ""));
      if (!phrase.includes(" ") && /^[a-z0-9]+$/.test(phrase)) words.add(phrase);
    } else if (Array.isArray(value)) value.forEach(visit);
    else if (value !== null && typeof value === "object") {
      const record = value as Record<string, unknown>;
      if (typeof record.term === "string") visit(record.term);
      else Object.values(record).forEach(visit);
    }
  };
  visit((lexicon("categories") as { categories: unknown }).categories);
  visit((lexicon("urgent") as { signals: unknown }).signals);
  return words;
}

describe("data/lexicon/real-words.yaml", () => {
  const { words } = realWordsSchema.parse(lexicon("real-words"));
  const terms = [...termWords()];

  it("lists only words one typo away from a lexicon term without being a form of it, none a term itself", () => {
    const known = new Set(terms);
    const stray = words.filter(
      (word) => known.has(word) || !terms.some((term) => term[0] === word[0] && editSimilarity(word, term) >= LATIN_FUZZY.minSimilarity && !isFormOf(word, term)),
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
