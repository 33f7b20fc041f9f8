import { z } from "zod";

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
