import { z } from "zod";
import { CATEGORIES, URGENT_SIGNALS } from "../codes.js";

/**
 * A term is a word or short phrase, written the way people write it. Matching normalises both sides
 * (case, accents, Arabic letter variants, repeated letters), so one spelling per variant is enough.
 * `weight` (default 1) lowers terms that only hint at a category ("aide", "problème").
 */
export const termSchema = z.union([
  z.string().trim().min(1),
  z.object({ term: z.string().trim().min(1), weight: z.number().gt(0).max(1) }).strict(),
]);
export type Term = z.infer<typeof termSchema>;

/** Term lists by the language they are written in: the detection codes, `ar` covering MSA and Darija in Arabic script. */
export const termsByLanguageSchema = z
  .object({
    fr: z.array(termSchema),
    en: z.array(termSchema),
    ar: z.array(termSchema),
    "ar-Latn": z.array(termSchema),
    es: z.array(termSchema),
    pt: z.array(termSchema),
  })
  .partial()
  .strict();
export type TermsByLanguage = z.infer<typeof termsByLanguageSchema>;

/** `data/lexicon/categories.yaml`: the words that point to each need category. */
export const categoryLexiconSchema = z
  .object({
    categories: z.record(z.enum(CATEGORIES), termsByLanguageSchema),
  })
  .strict();

/**
 * `data/lexicon/urgent.yaml`: danger-now signals. Recall comes first: a false alarm costs a message with
 * emergency numbers, a miss can cost a life.
 */
export const urgentLexiconSchema = z
  .object({
    signals: z.record(z.enum(URGENT_SIGNALS), termsByLanguageSchema),
  })
  .strict();

/** `data/lexicon/languages.yaml`: frequent words that tell languages written in Latin letters apart. */
export const languageMarkersSchema = z
  .object({
    markers: z
      .object({
        fr: z.array(z.string().min(1)),
        en: z.array(z.string().min(1)),
        "ar-Latn": z.array(z.string().min(1)),
        es: z.array(z.string().min(1)),
        pt: z.array(z.string().min(1)),
      })
      .strict(),
  })
  .strict();

/** Commands a person can type at any step, in any language. */
export const GLOBAL_COMMANDS = ["menu", "language", "delete", "help", "human"] as const;
export type GlobalCommand = (typeof GLOBAL_COMMANDS)[number];

/**
 * `data/lexicon/commands.yaml`: what a person types to use a global command. A message is a command only when,
 * once normalised, it is one of these phrases (a whole message, not a word inside a sentence), except `human`,
 * which may also appear inside a sentence ("je veux parler à quelqu'un svp").
 */
export const commandLexiconSchema = z
  .object({
    commands: z.record(z.enum(GLOBAL_COMMANDS), termsByLanguageSchema),
  })
  .strict();
