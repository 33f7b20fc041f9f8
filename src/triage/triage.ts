import { CATEGORIES, type Category, type DetectedLanguage, type UrgentSignal } from "../codes.js";
import type { Gazetteer, PlaceFound } from "./gazetteer.js";
import {
  GLOBAL_COMMANDS,
  type GlobalCommand,
  type Term,
  type TermsByLanguage,
  type categoryLexiconSchema,
  type commandLexiconSchema,
  type languageMarkersSchema,
  type urgentLexiconSchema,
} from "./lexicon-schema.js";
import { arabicShare, normalise, tokenize } from "./normalise.js";
import { PhraseIndex, type PhraseEntry } from "./phrase-index.js";
import type { z } from "zod";

type LexiconLanguage = keyof TermsByLanguage;

export interface TriageData {
  categories: z.infer<typeof categoryLexiconSchema>;
  urgent: z.infer<typeof urgentLexiconSchema>;
  languages: z.infer<typeof languageMarkersSchema>;
  commands: z.infer<typeof commandLexiconSchema>;
  gazetteer: Gazetteer;
}

export interface CategoryScore {
  code: Category;
  /** In (0, 1]: 1 for a strong word matched exactly; lower for hints and typo-tolerant matches. */
  confidence: number;
}

export interface TriageResult {
  language: DetectedLanguage;
  /** Ranked, most likely first; empty when nothing in the message points to a need. */
  categories: CategoryScore[];
  urgent: boolean;
  signals: UrgentSignal[];
  place: PlaceFound | null;
  /** A global command typed as the whole message ("menu", "langue", "احذف بياناتي"), or `human` inside a sentence. */
  command: GlobalCommand | null;
}

/** Confidence at or above which a category is taken without asking. */
export const CONFIDENT = 0.6;
/** Longest text the triage reads; the rest of a 10,000-character message adds nothing but cost. */
const MAX_CHARS = 2000;

interface Tagged<T> {
  value: T;
  language: LexiconLanguage;
}

/**
 * Reads one message: language, need categories with a confidence, danger signals, the place named, and a command.
 * Pure and synchronous over data loaded once; every call costs a few Map lookups per word, plus a fuzzy search
 * for words no exact term covered.
 */
export class Triage {
  private readonly categoryIndex: PhraseIndex<Tagged<Category>>;
  private readonly urgentIndex: PhraseIndex<UrgentSignal>;
  private readonly commandIndex: PhraseIndex<GlobalCommand>;
  private readonly markers = new Map<string, DetectedLanguage[]>();
  /** Common function words: never fuzzy-matched, or "pour" would become "peur". */
  readonly functionWords: ReadonlySet<string>;

  constructor(private readonly data: TriageData) {
    this.categoryIndex = new PhraseIndex(
      CATEGORIES.flatMap((code) => entriesOf(data.categories.categories[code], (language) => ({ value: code, language }))),
      { fuzzyMinLength: 5, fuzzyThreshold: 0.35, fuzzyMinSimilarity: 0.75 },
    );
    // Urgent words tolerate only one typo in words of seven letters or more: a false alarm is cheap, but an alarm
    // on "contrat" or "emploi" teaches people to ignore the emergency numbers.
    this.urgentIndex = new PhraseIndex(
      Object.entries(data.urgent.signals).flatMap(([signal, terms]) => entriesOf(terms, () => signal as UrgentSignal)),
      { fuzzyMinLength: 7, fuzzyThreshold: 0.3, fuzzyMinSimilarity: 0.85 },
    );
    this.commandIndex = new PhraseIndex(
      GLOBAL_COMMANDS.flatMap((command) => entriesOf(data.commands.commands[command], () => command)),
    );
    const words = new Set<string>();
    for (const [language, list] of Object.entries(data.languages.markers) as [DetectedLanguage, string[]][]) {
      for (const marker of list) {
        const phrase = normalise(marker);
        words.add(phrase);
        this.markers.set(phrase, [...(this.markers.get(phrase) ?? []), language]);
      }
    }
    this.functionWords = words;
  }

  get gazetteer(): Gazetteer {
    return this.data.gazetteer;
  }

  analyse(text: string, options: { expectingPlace?: boolean } = {}): TriageResult {
    const clipped = text.slice(0, MAX_CHARS);
    const tokens = tokenize(clipped).slice(0, 300);
    const categoryHits = this.categoryIndex.find(tokens, this.functionWords);
    return {
      language: this.detectLanguage(clipped, tokens, categoryHits.map((h) => h.value.language)),
      categories: rankCategories(categoryHits),
      ...this.urgency(tokens),
      place: this.data.gazetteer.find(clipped, { expectingPlace: options.expectingPlace ?? false }),
      command: this.command(tokens),
    };
  }

  /** The language of a message, by script, then by function words, Darija spellings and lexicon hits. */
  detectLanguage(text: string, tokens: readonly string[] = tokenize(text), lexiconLanguages: readonly LexiconLanguage[] = []): DetectedLanguage {
    if (arabicShare(text) >= 0.5) return "ar";
    const score = new Map<DetectedLanguage, number>();
    const bump = (language: DetectedLanguage, by: number) => score.set(language, (score.get(language) ?? 0) + by);
    for (const token of tokens) {
      for (const language of this.markers.get(token) ?? []) bump(language, 1);
      // Darija in Latin letters writes ع ح ق ء with digits inside words: "3afak", "m3a", "7na", "9ahwa".
      if (/[a-z]/.test(token) && /[2379]/.test(token) && !/^\d+$/.test(token)) bump("ar-Latn", 1);
    }
    for (const language of lexiconLanguages) if (language !== "ar") bump(language, 0.5);
    let best: DetectedLanguage = "und";
    let bestScore = 0;
    for (const language of ["fr", "en", "ar-Latn", "es", "pt"] as const) {
      const s = score.get(language) ?? 0;
      if (s > bestScore) {
        best = language;
        bestScore = s;
      }
    }
    return best;
  }

  private urgency(tokens: readonly string[]): { urgent: boolean; signals: UrgentSignal[] } {
    const signals = new Set<UrgentSignal>();
    for (const hit of this.urgentIndex.find(tokens, this.functionWords)) signals.add(hit.value);
    return { urgent: signals.size > 0, signals: [...signals] };
  }

  private command(tokens: readonly string[]): GlobalCommand | null {
    const whole = tokens.join(" ");
    const exact = this.commandIndex.lookup(whole)[0];
    if (exact) return exact.value;
    return this.commandIndex.find(tokens).some((h) => h.value === "human") ? "human" : null;
  }
}

function entriesOf<T>(terms: TermsByLanguage | undefined, value: (language: LexiconLanguage) => T): PhraseEntry<T>[] {
  const entries: PhraseEntry<T>[] = [];
  for (const [language, list] of Object.entries(terms ?? {}) as [LexiconLanguage, Term[]][]) {
    for (const term of list) {
      const phrase = normalise(typeof term === "string" ? term : term.term);
      if (phrase !== "") entries.push({ phrase, value: value(language), weight: typeof term === "string" ? 1 : term.weight });
    }
  }
  return entries;
}

/**
 * Combines the evidence for each category as independent hints: 1 − Π(1 − weight × similarity). One strong word
 * gives 1; two hints of 0.4 give 0.64. Categories are ranked by confidence, then by where they were first named;
 * `other` comes last.
 */
function rankCategories(hits: readonly { value: Tagged<Category>; weight: number; similarity: number; start: number }[]): CategoryScore[] {
  const miss = new Map<Category, number>();
  const first = new Map<Category, number>();
  const seen = new Set<string>();
  for (const hit of hits) {
    const key = `${hit.value.value}|${hit.start}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const code = hit.value.value;
    miss.set(code, (miss.get(code) ?? 1) * (1 - hit.weight * hit.similarity));
    first.set(code, Math.min(first.get(code) ?? Infinity, hit.start));
  }
  const ranked = [...miss.entries()]
    .map(([code, m]) => ({ code, confidence: Math.round((1 - m) * 1000) / 1000 }))
    .sort((a, b) => b.confidence - a.confidence || first.get(a.code)! - first.get(b.code)!);
  // "other" is greetings and general orientation: it only stands when nothing more specific was said.
  const specific = ranked.filter((c) => c.code !== "other");
  return specific.some((c) => c.confidence >= CONFIDENT) ? specific : [...specific, ...ranked.filter((c) => c.code === "other")];
}
