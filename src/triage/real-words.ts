import { z } from "zod";
import type { Term, TermsByLanguage, categoryLexiconSchema, urgentLexiconSchema } from "./lexicon-schema.js";
import { normalise } from "./normalise.js";

/** Where typo-tolerant matching applies to Latin-script words (the category index's settings, the widest). */
export const LATIN_FUZZY = { minLength: 6, minSimilarity: 0.8 } as const;

/**
 * Two words that share most of their beginning are forms of one word ("blesser" and "blessé", "malades" and
 * "malade"): a typo between them costs nothing. Unrelated words differ early ("facture", "fracture").
 */
export function isFormOf(word: string, term: string): boolean {
  let shared = 0;
  while (shared < word.length && word[shared] === term[shared]) shared++;
  return shared >= 0.6 * Math.min(word.length, term.length);
}

/** `data/lexicon/real-words.yaml`: words never read as typos of a lexicon term. */
export const realWordsSchema = z
  .object({ words: z.array(z.string().regex(/^[a-z0-9]+$/, "a single normalised word: lower case, no accents")) })
  .strict();

/**
 * The words of the need and danger lists as the triage reads them: `all`, every word of every term; `fuzzyTargets`,
 * the single Latin-script terms a typo-tolerant match can stand for (no stems, long enough to be fuzzy-matched).
 */
export function lexiconWords(
  categories: z.infer<typeof categoryLexiconSchema>,
  urgent: z.infer<typeof urgentLexiconSchema>,
): { all: Set<string>; fuzzyTargets: Set<string> } {
  const lists: (TermsByLanguage | undefined)[] = [...Object.values(categories.categories), ...Object.values(urgent.signals), urgent.calls];
  const all = new Set<string>();
  const fuzzyTargets = new Set<string>();
  for (const terms of lists) {
    for (const [language, list] of Object.entries(terms ?? {}) as [string, Term[]][]) {
      for (const term of list) {
        const text = typeof term === "string" ? term : term.term;
        const phrase = normalise(text.replace(/\*$/, ""));
        for (const w of phrase.split(" ")) all.add(w);
        if (language === "ar" || text.endsWith("*") || phrase.includes(" ") || /[\u0600-\u06FF]/.test(phrase)) continue;
        if (phrase.length >= LATIN_FUZZY.minLength) fuzzyTargets.add(phrase);
      }
    }
  }
  return { all, fuzzyTargets };
}
