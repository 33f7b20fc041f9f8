import { z } from "zod";
import { CATEGORIES, URGENT_SIGNALS } from "../codes.js";

/**
 * A term's text: a word or short phrase. A final `*` makes the last word a stem ("enferm*" matches "enfermé",
 * "enfermés", "enferment"); the stem needs four letters at least, or it would match too many words.
 */
const termText = z
  .string()
  .trim()
  .min(1)
  .refine((t) => !t.includes("*") || /[^\s*]{4,}\*$/u.test(t), { message: 'A "*" may only end a term, after a stem of 4 letters or more ("enferm*")' });

/**
 * A term is a word or short phrase, written the way people write it. Matching normalises both sides
 * (case, accents, Arabic letter variants, repeated letters), so one spelling per variant is enough.
 * `weight` (default 1) lowers terms that only hint at a category ("aide", "problème"). `asked: true` marks a term
 * that says who the person is, for a category defined by whom it serves ("MRE" for diaspora): it ranks like a need
 * asked for ("je suis MRE et je veux ouvrir une entreprise" is diaspora first).
 */
export const termSchema = z.union([
  termText,
  z.object({ term: termText, weight: z.number().gt(0).max(1).default(1), asked: z.boolean().optional() }).strict(),
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

/** Words that change what the words after them say, by language: the same shape as a category's terms. */
const cuesSchema = termsByLanguageSchema.default({});

/** `data/lexicon/categories.yaml`: the words that point to each need category, and the words around them. */
export const categoryLexiconSchema = z
  .object({
    categories: z.record(z.enum(CATEGORIES), termsByLanguageSchema),
    /** "je ne suis pas", "machi", "I'm not": a need named in the next few words is denied. */
    negation: cuesSchema,
    /** "je cherche", "bghit", "I need": a need named in the next few words is what the person asks for. */
    request: cuesSchema,
    /** "mais", "walakin", "but": what comes after matters more than what came before. */
    contrast: cuesSchema,
    /** "merci pour hier", "thank you for helping", "الله يخلف عليكم": thanks for help received. */
    thanks: cuesSchema,
  })
  .strict();

/**
 * Facts the triage reads from the words around a number rather than from a list, usable in `together`:
 * `@minor` is a person under 18 ("j'ai 16 ans", "he is 14", "عندها 14 عام", "3ndi 15 3am"); `@minor_self` is the
 * person writing ("j'ai 16 ans", "I'm 15", "عندي 16 عام", "tengo 15 años").
 */
export const URGENT_FEATURES = ["@minor", "@minor_self"] as const;
export type UrgentFeature = (typeof URGENT_FEATURES)[number];

/** Danger shown by words that are harmless alone: every group must be present ("16 ans" and "seul"). */
export const urgentCombinationSchema = z
  .object({
    signal: z.enum(URGENT_SIGNALS),
    /** Each group is a list of terms in any language, or a feature such as `@minor`. */
    all: z.array(z.array(z.union([z.enum(URGENT_FEATURES), termText])).min(1)).min(2),
    /** Most words from the first word of one group to the last word of another; the whole message without it. */
    window: z.number().int().min(1).optional(),
    /** Terms that cancel the combination anywhere in the message: "police" makes "they took my son" an arrest. */
    unless: z.array(termText).default([]),
  })
  .strict();

/**
 * `data/lexicon/urgent.yaml`: danger-now signals. Recall comes first: a false alarm costs a message with
 * emergency numbers, a miss can cost a life.
 */
export const urgentLexiconSchema = z
  .object({
    signals: z.record(z.enum(URGENT_SIGNALS), termsByLanguageSchema),
    /**
     * Calls for help that name no danger ("au secours", "venez vite", "النجدة"): danger now on their own, reported as
     * `violence_now` when nothing else says what the danger is, and saying no need (a medical emergency or the need
     * named next to the call comes first).
     */
    calls: cuesSchema,
    together: z.array(urgentCombinationSchema).default([]),
    /**
     * "last year", "il y a 6 mois", "now I am safe": violence told as past. Signals in `past_can_end` are then not
     * danger now; the others (a threat, a child alone, a medical emergency, suicide) always are.
     */
    past: cuesSchema,
    past_can_end: z.array(z.enum(URGENT_SIGNALS)).default([]),
    /**
     * "ce soir", "tonight", "الليلة", "esta noche": words that date a danger to now. Next to a signal they keep the
     * `past` rule from ending it ("il y a 8 mois je suis arrivée ... ce soir un client vient me chercher"). Not words
     * of a safe present ("maintenant je suis à Oujda", "now I am safe").
     */
    now: cuesSchema,
    /** The need each signal also says: a danger-now message still needs a category for its referral. */
    categories: z.partialRecord(z.enum(URGENT_SIGNALS), z.array(z.object({ category: z.enum(CATEGORIES), weight: z.number().gt(0).max(1) }).strict())).default({}),
  })
  .strict();

/** `data/lexicon/languages.yaml`: frequent words that tell languages written in Latin letters apart. */
export const languageMarkersSchema = z
  .object({
    /**
     * Texting spellings, read as the words they stand for before anything else: "jai" → "j ai", "bcp" → "beaucoup",
     * "pls" → "please". Keys are single normalised words; values are what the lexicon writes.
     */
    shorthands: z.record(z.string().regex(/^[\p{L}\p{N}]+$/u, "a single word, lower case, without accents or punctuation"), z.string().min(1)).default({}),
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
