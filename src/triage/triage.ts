import { CATEGORIES, type Category, type DetectedLanguage, type UrgentSignal } from "../codes.js";
import { MIN_SKELETON, looksArabizi, skeleton } from "./arabizi.js";
import type { Gazetteer, PlaceFound } from "./gazetteer.js";
import {
  GLOBAL_COMMANDS,
  type GlobalCommand,
  type Term,
  type TermsByLanguage,
  type UrgentFeature,
  type categoryLexiconSchema,
  type commandLexiconSchema,
  type languageMarkersSchema,
  type urgentLexiconSchema,
} from "./lexicon-schema.js";
import { arabicShare, normalise, tokenize, tokenizeClauses } from "./normalise.js";
import { PhraseIndex, type PhraseEntry, type PhraseHit } from "./phrase-index.js";
import type { NeedModel } from "./need-model.js";
import { LATIN_FUZZY } from "./real-words.js";
import type { z } from "zod";

type LexiconLanguage = keyof TermsByLanguage;

export interface TriageData {
  categories: z.infer<typeof categoryLexiconSchema>;
  urgent: z.infer<typeof urgentLexiconSchema>;
  languages: z.infer<typeof languageMarkersSchema>;
  commands: z.infer<typeof commandLexiconSchema>;
  /** Real words one typo away from a term without being a form of it (`data/lexicon/real-words.yaml`). */
  realWords?: readonly string[];
  gazetteer: Gazetteer;
  /** The learned reading that orders the needs, offers one the words miss, and adds danger; without it, the lexicon alone. */
  model?: NeedModel;
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
const MAX_TOKENS = 300;

/** Texting shorthands keyed by their normalised spelling, with the words they stand for ("jai" → "j", "ai"). */
export function shorthandTable(shorthands: Readonly<Record<string, string>>): Map<string, string[]> {
  const table = new Map<string, string[]>();
  for (const [word, meaning] of Object.entries(shorthands)) {
    const expanded = tokenize(meaning);
    if (expanded.length > 0) table.set(normalise(word), expanded);
  }
  return table;
}

/**
 * The words of a message as the triage reads them, with their clauses: normalised, texting spellings read as the words
 * they stand for, at most MAX_TOKENS of them; `written`, the words as typed.
 */
export function readWords(text: string, shorthands: ReadonlyMap<string, string[]>): { tokens: string[]; clauses: number[]; written: string[] } {
  const read = tokenizeClauses(text.slice(0, MAX_CHARS));
  const tokens: string[] = [];
  const clauses: number[] = [];
  for (let i = 0; i < read.tokens.length && tokens.length < MAX_TOKENS; i++) {
    for (const word of shorthands.get(read.tokens[i]!) ?? [read.tokens[i]!]) {
      tokens.push(word);
      clauses.push(read.clauses[i]!);
    }
  }
  return { tokens, clauses, written: read.tokens.slice(0, MAX_TOKENS) };
}

/** Words after a denial ("je ne suis pas ...") that it reaches. */
const NEGATION_REACH = 3;
/** Words after a request ("je cherche ...") that it reaches. */
const REQUEST_REACH = 6;
/** How much a request adds to a category's rank (not to its confidence): the thing asked for comes first. */
const REQUEST_BONUS = 0.3;
/** What a need named before "mais" / "but" keeps of its weight, when another need follows. */
const BEFORE_CONTRAST = 0.6;
/** The group number of a combination's `unless` terms. */
const UNLESS = -1;
/** Priority of a category named by words, after those said by a danger signal. */
const NO_PRIORITY = 1_000_000;
/** Confidence of `other` for a message of emoji or punctuation only: general orientation. */
const BARE_MESSAGE = 0.3;
/**
 * The model's probability of danger at or above which a message is urgent even when no danger word was found:
 * chosen on the calibration split's curve (`npm run eval:triage`), whose writers the model never learned from.
 */
export const MODEL_URGENT = 0.25;
/**
 * Fewest words the model knows (besides numbers and a place) for it to raise an alarm of its own. One message in five
 * it learned from is urgent, so on a word or three ("stop", "langue", "oui") it reads little more than that share,
 * close to the threshold; such messages answer a question or give a command. Words it never saw say nothing either:
 * "1 UNION SELECT name, sql FROM sqlite_master" or "<img src=x onerror=alert(1)>" read only through their letters,
 * which put code near the threshold. Danger said that briefly ("au secours", "he is not breathing") is the danger
 * words' to find: when this was set, of the 7,399 messages of the tuning and calibration splits, two urgent ones had
 * three words or fewer, and the model found no danger in any short message that the words had not. Function words
 * ("from", "the", "ana", "في") do not count: they say nothing of danger, and with them the model, trained on 9,593
 * messages, knew four words of that SQL line and read it at 0.32 (on the calibration split leaving them out lost no
 * danger at any threshold and took 4 of its 53 false alarms at 0.25 away).
 */
const MODEL_DANGER_WORDS = 4;

/** What says danger in a message: the danger words' verdict, and the model's probability when it is asked. */
export interface DangerReading {
  words: boolean;
  /** Null when the model is not asked: no model, or fewer than `MODEL_DANGER_WORDS` words it knows besides function words, numbers and a place. */
  model: number | null;
}

/** Danger now: the words say it, or the model's probability reaches `threshold` (another one only to draw the curve). */
export function raisesAlarm(danger: DangerReading, threshold: number = MODEL_URGENT): boolean {
  return danger.words || (danger.model !== null && danger.model >= threshold);
}

interface Tagged<T> {
  value: T;
  language: LexiconLanguage;
}

/** A category found in the message, with what the words around it say. */
interface CategoryHit {
  code: Category;
  weight: number;
  start: number;
  /** One past the last word; -1 with `start` for a need said by a danger signal. */
  end: number;
  /** Named after a request ("je cherche", "bghit"), or said by a danger signal. */
  asked: boolean;
  /** Ties between equal scores: lower first (a medical emergency before the violence that caused it). */
  priority: number;
}

interface Combination {
  signal: UrgentSignal;
  groups: number;
  window: number;
  features: Map<UrgentFeature, number[]>;
}

/**
 * Reads one message: language, need categories with a confidence, danger signals, the place named, and a command.
 * Pure and synchronous over data loaded once; every call costs a few Map lookups per word, plus a fuzzy search
 * for words no exact term covered.
 */
export class Triage {
  private readonly categoryIndex: PhraseIndex<Tagged<Category>>;
  private readonly urgentIndex: PhraseIndex<UrgentSignal>;
  private readonly callIndex: PhraseIndex<true>;
  private readonly commandIndex: PhraseIndex<GlobalCommand>;
  private readonly negationIndex: PhraseIndex<true>;
  private readonly requestIndex: PhraseIndex<true>;
  private readonly contrastIndex: PhraseIndex<true>;
  private readonly thanksIndex: PhraseIndex<true>;
  private readonly pastIndex: PhraseIndex<true>;
  private readonly nowIndex: PhraseIndex<true>;
  private readonly combinationIndex: PhraseIndex<{ combination: number; group: number }>;
  private readonly combinations: Combination[] = [];
  private readonly pastCanEnd: ReadonlySet<UrgentSignal>;
  private readonly signalCategories: { signal: UrgentSignal; category: Category; weight: number; priority: number }[] = [];
  private readonly markers = new Map<string, DetectedLanguage[]>();
  private readonly shorthands: ReadonlyMap<string, string[]>;
  private readonly darijaMarkers = new Set<string>();
  /** Words of French, English, Spanish and Portuguese the lexicon knows: never read as Darija skeletons. */
  private readonly latinWords = new Set<string>();
  /** Common function words: never fuzzy-matched, or "pour" would become "peur". */
  readonly functionWords: ReadonlySet<string>;
  /** Function words and every single word the lexicon knows: a known word is not a typo for another one. */
  private readonly noFuzzy: ReadonlySet<string>;

  constructor(private readonly data: TriageData) {
    this.shorthands = shorthandTable(data.languages.shorthands);
    const spell = (phrase: string) => (phrase === "" ? phrase : phrase.split(" ").flatMap((w) => this.shorthands.get(w) ?? [w]).join(" "));
    // Every word of the need and danger lexicons is known: no typo for another; and in Latin-script lists, not Darija.
    const known = new Set<string>();
    // Words of French, English, Spanish and Portuguese, read before any index is built: a Darija spelling variant that
    // would be one of them is not made.
    const ordinary = new Set<string>();
    const lists = [...Object.values(data.categories.categories), ...Object.values(data.urgent.signals), data.urgent.calls];
    for (const terms of lists) {
      for (const [language, list] of Object.entries(terms ?? {}) as [LexiconLanguage, Term[]][]) {
        if (darijaLists(language)) continue;
        for (const term of list) for (const w of tokenize(termText(term).replace(/\*$/, ""))) ordinary.add(w);
      }
    }
    for (const [language, list] of Object.entries(data.languages.markers)) {
      if (language !== "ar-Latn") for (const marker of list) for (const w of tokenize(marker)) ordinary.add(w);
    }
    const plain: EntryOptions = {
      spell,
      variants: (language, phrase) => {
        if (language !== "ar-Latn") return [];
        const variant = arabiziVariant(phrase);
        return variant !== phrase && !variant.split(" ").some((w, i) => w !== phrase.split(" ")[i] && ordinary.has(w)) ? [variant] : [];
      },
      onPhrase: (language, phrase) => {
        for (const w of phrase.split(" ")) {
          known.add(w);
          if (language !== "ar" && language !== "ar-Latn") this.latinWords.add(w);
        }
      },
    };
    this.categoryIndex = new PhraseIndex(
      CATEGORIES.flatMap((code) => entriesOf(data.categories.categories[code], (language) => ({ value: code, language }), plain)),
      { fuzzyMinLength: LATIN_FUZZY.minLength, fuzzyThreshold: 0.35, fuzzyMinSimilarity: LATIN_FUZZY.minSimilarity },
    );
    // Urgent words tolerate only one typo in words of seven letters or more: a false alarm is cheap, but an alarm
    // on "contrat" or "emploi" teaches people to ignore the emergency numbers.
    this.urgentIndex = new PhraseIndex(
      Object.entries(data.urgent.signals).flatMap(([signal, terms]) => entriesOf(terms, () => signal as UrgentSignal, plain)),
      { fuzzyMinLength: 7, fuzzyThreshold: 0.3, fuzzyMinSimilarity: 0.85 },
    );
    this.callIndex = new PhraseIndex(entriesOf(data.urgent.calls, () => true as const, plain));
    this.commandIndex = new PhraseIndex(
      GLOBAL_COMMANDS.flatMap((command) => entriesOf(data.commands.commands[command], () => command, { spell })),
    );
    const cues = (terms: TermsByLanguage) => new PhraseIndex(entriesOf(terms, () => true as const, { spell, bySkeleton: () => false }));
    this.negationIndex = cues(data.categories.negation);
    this.requestIndex = cues(data.categories.request);
    this.contrastIndex = cues(data.categories.contrast);
    this.thanksIndex = cues(data.categories.thanks);
    this.pastIndex = cues(data.urgent.past);
    this.nowIndex = cues(data.urgent.now);
    this.pastCanEnd = new Set(data.urgent.past_can_end);

    const combinationEntries: PhraseEntry<{ combination: number; group: number }>[] = [];
    data.urgent.together.forEach((c, combination) => {
      const features = new Map<UrgentFeature, number[]>();
      c.all.forEach((group, g) => {
        for (const term of group) {
          if (term.startsWith("@")) features.set(term as UrgentFeature, [...(features.get(term as UrgentFeature) ?? []), g]);
          else combinationEntries.push(...entriesOf({ ar: [term] }, () => ({ combination, group: g }), { spell, bySkeleton: anyScriptDarija }));
        }
      });
      for (const term of c.unless) combinationEntries.push(...entriesOf({ ar: [term] }, () => ({ combination, group: UNLESS }), { spell, bySkeleton: anyScriptDarija }));
      this.combinations.push({ signal: c.signal, groups: c.all.length, window: c.window ?? MAX_TOKENS, features });
    });
    this.combinationIndex = new PhraseIndex(combinationEntries);

    let priority = 0;
    for (const [signal, list] of Object.entries(data.urgent.categories) as [UrgentSignal, { category: Category; weight: number }[]][]) {
      for (const { category, weight } of list) this.signalCategories.push({ signal, category, weight, priority });
      priority++;
    }

    const words = new Set<string>();
    for (const [language, list] of Object.entries(data.languages.markers) as [DetectedLanguage, string[]][]) {
      for (const marker of list) {
        const phrase = normalise(marker);
        words.add(phrase);
        this.markers.set(phrase, [...(this.markers.get(phrase) ?? []), language]);
        if (language === "ar-Latn") this.darijaMarkers.add(phrase);
        else for (const w of phrase.split(" ")) this.latinWords.add(w);
      }
    }
    this.functionWords = words;
    for (const w of words) known.add(w);
    for (const w of data.realWords ?? []) known.add(w);
    this.noFuzzy = known;
  }

  get gazetteer(): Gazetteer {
    return this.data.gazetteer;
  }

  /** Texting shorthands as `data/lexicon/languages.yaml` lists them: the need model is trained on words read with them. */
  get textingShorthands(): Readonly<Record<string, string>> {
    return this.data.languages.shorthands;
  }

  /**
   * The same triage without the learned model: the lexicon's own reading. Its rules are tested this way, and
   * `npm run eval:triage -- --lexicon-only` measures what the model adds.
   */
  withoutModel(): Triage {
    const { model: _model, ...lexicon } = this.data;
    return new Triage(lexicon);
  }

  /** The danger words' verdict and the model's probability, as `analyse` weighs them (`raisesAlarm`). */
  dangerReading(text: string): DangerReading {
    return this.examine(text, {}).danger;
  }

  analyse(text: string, options: { expectingPlace?: boolean } = {}): TriageResult {
    return this.examine(text, options).result;
  }

  private examine(text: string, options: { expectingPlace?: boolean }): { result: TriageResult; danger: DangerReading } {
    const clipped = text.slice(0, MAX_CHARS);
    const { tokens, clauses, written } = readWords(clipped, this.shorthands);
    const skeletons = this.skeletons(tokens);
    const found = this.categoryIndex.find(tokens, { ignoreForFuzzy: this.noFuzzy, fuzzyWord: latinWord, skeletons });
    // Texting spellings vote as written: "svp" is one French word, not the four of "s'il vous plaît". A word found
    // by several terms of one language votes once.
    const lexiconLanguages = [...new Set(found.map((h) => `${h.start}|${h.value.language}`))].map((k) => k.slice(k.indexOf("|") + 1) as LexiconLanguage);
    let language = this.detectLanguage(clipped, written, lexiconLanguages);
    const place = this.data.gazetteer.find(clipped, { expectingPlace: options.expectingPlace ?? false, language });
    // The words of a place name say no need: "casa" is Casablanca there, not a house; "mlloul" is no typo of "m7loul".
    const placeWords = place === null ? null : spanOf(tokens, place.matched.split(" "));
    const outsidePlace = (hit: Span) => placeWords === null || hit.start < placeWords.start || hit.end > placeWords.end;
    const categoryHits = found.filter(outsidePlace);
    // Nor any danger: "Ait Makhlouf" and "المحبس" hold the letters of danger words, and are only the answer to "where?".
    const { named, ...urgency } = this.urgency(tokens, skeletons, outsidePlace);
    let categories = this.rank(tokens, clauses, categoryHits, named);
    // The model reads only a message with words besides numbers and a place: "3" answers a numbered choice, "Tiznit"
    // the question "where?"; neither says a need or a danger, whatever the model makes of a town's letters.
    const besidesPlace = tokens.filter((_, i) => outsidePlace({ start: i, end: i + 1 }));
    const words = besidesPlace.filter((t) => !/^\d+$/.test(t)).length;
    const danger: DangerReading = { words: urgency.urgent, model: null };
    const model = words > 0 ? this.data.model : undefined;
    if (model) {
      const reading = model.read(tokens);
      // It orders the needs found, and offers one the words did not say (to confirm, never taken as said).
      categories = model.order(categories, reading, CONFIDENT);
      if (besidesPlace.filter((t) => model.knows(t) && !this.functionWords.has(t)).length >= MODEL_DANGER_WORDS) danger.model = reading.urgent;
    }
    // Recall first: the model adds danger the words missed ("he took the door key and my phone"), never removes it.
    urgency.urgent = raisesAlarm(danger);
    // Only emoji or punctuation ("🙏", "?"): general orientation, as a greeting is. Digits alone answer a numbered
    // choice, and a commune's name alone answers "where?" (the need question then asks again, keeping the place):
    // neither says a need. None of them is in a language.
    if (tokens.length === 0 && clipped.trim() !== "") categories = [{ code: "other", confidence: BARE_MESSAGE }];
    if (tokens.length === 0 || besidesPlace.length === 0) language = "und";
    return { result: { language, categories, ...urgency, place, command: this.command(tokens) }, danger };
  }

  /** The language of a message, by script, then by function words, Darija spellings and lexicon hits. */
  detectLanguage(text: string, tokens: readonly string[] = tokenize(text), lexiconLanguages: readonly LexiconLanguage[] = []): DetectedLanguage {
    if (arabicShare(text) >= 0.5) return "ar";
    const score = new Map<DetectedLanguage, number>();
    const bump = (language: DetectedLanguage, by: number) => score.set(language, (score.get(language) ?? 0) + by);
    for (const token of tokens) {
      for (const language of this.markers.get(token) ?? []) bump(language, 1);
      // Darija in Latin letters writes ع ح ق ء with digits inside words: "3afak", "m3a", "7na", "9ahwa".
      if (looksArabizi(token)) bump("ar-Latn", 1);
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

  /**
   * The consonant skeleton of each word that may be Darija: every Arabic-script word, and in a message with some
   * Darija in Latin letters ("bghit", "3afak"), the Latin words that are not French, English, Spanish or Portuguese.
   */
  private skeletons(tokens: readonly string[]): string[] {
    const darija = tokens.some((t) => looksArabizi(t) || this.darijaMarkers.has(t));
    return tokens.map((t) => {
      if (/^[\u0600-\u06FF]/.test(t)) return skeleton(t);
      // Words of one or two letters are Darija's particles there ("ma" not, "f" in, "l" to), whatever else they are.
      if (!darija || (t.length > 2 && this.latinWords.has(t))) return "";
      return skeleton(t);
    });
  }

  /**
   * Danger now: a signal word, or words that only together signal it ("16 ans" and "seul"). Violence told as past
   * ("last year", "now I am safe") is not danger now, unless something else in the message is. Only the hits that
   * `counts` keeps are read: not those inside a place's name.
   */
  private urgency(
    tokens: readonly string[],
    skeletons: readonly string[],
    counts: (hit: Span) => boolean,
  ): { urgent: boolean; signals: UrgentSignal[]; named: UrgentSignal[] } {
    const signals = new Set<UrgentSignal>();
    // Where the danger is told, so that a word of now next to it ("ce soir", "tonight") can keep it from the past rule.
    const signalSpans: Span[] = [];
    for (const hit of this.urgentIndex.find(tokens, { ignoreForFuzzy: this.noFuzzy, fuzzyWord: latinWord, skeletons })) {
      if (counts(hit)) {
        signals.add(hit.value);
        signalSpans.push(hit);
      }
    }
    const ages = minorAges(tokens);
    const features = new Map<UrgentFeature, Span[]>([
      ["@minor", ages],
      ["@minor_self", ages.filter((a) => a.self)],
    ]);
    const found = this.combinationIndex.find(tokens, { skeletons }).filter(counts);
    this.combinations.forEach((combination, c) => {
      if (found.some((hit) => hit.value.combination === c && hit.value.group === UNLESS)) return;
      const groups: Span[][] = Array.from({ length: combination.groups }, () => []);
      for (const hit of found) if (hit.value.combination === c && hit.value.group !== UNLESS) groups[hit.value.group]!.push(hit);
      for (const [feature, inGroups] of combination.features) for (const g of inGroups) groups[g]!.push(...(features.get(feature) ?? []));
      if (within(groups, combination.window)) {
        signals.add(combination.signal);
        signalSpans.push(...groups.flat());
      }
    });
    // "il y a 8 mois ... ce soir un client vient me chercher": the past the message tells is not the danger it tells.
    if (signals.size > 0 && [...signals].every((s) => this.pastCanEnd.has(s)) && !toldAsNow(this.nowIndex.find(tokens), signalSpans)) {
      if (this.pastIndex.find(tokens).length > 0 || longAgo(tokens)) signals.clear();
    }
    // A call for help names no danger: reported as violence now when nothing else says more, and saying no need.
    const named = [...signals];
    if (signals.size === 0 && this.callIndex.find(tokens, { skeletons }).some(counts)) signals.add("violence_now");
    return { urgent: signals.size > 0, signals: [...signals], named };
  }

  /**
   * Ranks the categories named. A denied need ("je ne suis pas malade") is dropped; a word inside a longer phrase
   * ("travail" in "travail forcé") gives way to it; a need named before "mais" counts less when
   * another follows; a need asked for ("je cherche du travail") or said by a danger signal ranks first.
   */
  private rank(
    tokens: readonly string[],
    clauses: readonly number[],
    found: readonly PhraseHit<Tagged<Category>>[],
    signals: readonly UrgentSignal[],
  ): CategoryScore[] {
    const denials = this.negationIndex.find(tokens);
    // "je peux plus manger", "I can't eat", "il y a deux ans": a request cue followed by a denial or a duration asks
    // for nothing.
    // "ma3ndi fin nskon", "ولا فين نسكن", "nulle part où dormir": "where" after "I have no" says what is lacking.
    const requests = this.requestIndex
      .find(tokens)
      .filter((r) => !NOT_ASKING.has(tokens[r.end] ?? "") && !durationAt(tokens, r.end) && !(clauses[r.start - 1] === clauses[r.start] && lacking(tokens, r.start)));
    const contrasts = this.contrastIndex.find(tokens);
    const reaches = (cue: PhraseHit<true>, hit: PhraseHit<unknown>, words: number) =>
      hit.start >= cue.end && hit.start < cue.end + words && clauses[hit.start] === clauses[cue.end - 1] && !contrasts.some((c) => c.start >= cue.end && c.start <= hit.start);
    // "ماشي للسبيطار" is "going to the hospital": a denial does not reach a word with a preposition attached.
    const attached = (hit: PhraseHit<unknown>) => tokens[hit.start] !== hit.phrase.split(" ")[0] && /^[لفب]/.test(tokens[hit.start]!);
    const kept = found.filter(
      (hit) =>
        !denials.some((d) => reaches(d, hit, NEGATION_REACH) && !attached(hit)) &&
        !found.some((other) => covers(other, hit)),
    );
    const lastContrast = Math.max(-1, ...contrasts.map((c) => c.start));
    const demote = lastContrast >= 0 && kept.some((h) => h.start > lastContrast && h.value.value !== "other");
    const hits: CategoryHit[] = kept.map((h) => {
      const asked = h.asked === true || requests.some((r) => (h.start >= r.start && h.start < r.end) || reaches(r, h, REQUEST_REACH));
      // "bghit nmchi l sbitar walakin ma3ndich flous": what was asked for before "but" stays asked for.
      const before = demote && h.end <= lastContrast && !asked;
      return { code: h.value.value, weight: h.weight * h.similarity * (before ? BEFORE_CONTRAST : 1), start: h.start, end: h.end, asked, priority: NO_PRIORITY };
    });
    for (const s of this.signalCategories) {
      if (signals.includes(s.signal)) hits.push({ code: s.category, weight: s.weight, start: -1, end: -1, asked: true, priority: s.priority });
    }
    const ranked = rankCategories(hits);
    // Thanks for help received, asking for nothing and in no danger ("merci pour hier, la dame m'a donné les
    // médicaments"): the needs it names were met, the message itself says none. They stay ranked after it.
    if (requests.length === 0 && signals.length === 0 && this.thanksIndex.find(tokens).length > 0) {
      return [{ code: "other", confidence: 1 }, ...ranked.filter((c) => c.code !== "other")];
    }
    return ranked;
  }

  private command(tokens: readonly string[]): GlobalCommand | null {
    const whole = tokens.join(" ");
    const exact = this.commandIndex.lookup(whole)[0];
    if (exact) return exact.value;
    return this.commandIndex.find(tokens).some((h) => h.value === "human") ? "human" : null;
  }
}

type Span = { start: number; end: number };

/** Where `words` first appear in a row among `tokens`, or null. */
function spanOf(tokens: readonly string[], words: readonly string[]): Span | null {
  for (let start = 0; start + words.length <= tokens.length; start++) {
    if (words.every((w, i) => tokens[start + i] === w)) return { start, end: start + words.length };
  }
  return null;
}

/**
 * Typos are tolerated in Latin letters only: in Arabic script one letter more or less is often another word
 * ("الجامع" the mosque, "الجامعة" the university), and spelling variants are matched by skeleton instead.
 */
const latinWord = (word: string) => !/[\u0600-\u06FF]/.test(word);

/**
 * A phrase gives way to a longer one containing it ("travail" to "travail forcé", "money" to "money help") and to a
 * stronger one sharing some of its words ("i work" to "work legally"): the words are read once, as the fuller term.
 */
function covers(other: PhraseHit<unknown>, hit: PhraseHit<unknown>): boolean {
  const outer = other.start <= hit.start && other.end >= hit.end;
  if (outer || (hit.start <= other.start && hit.end >= other.end)) return outer && other.end - other.start > hit.end - hit.start;
  const overlap = other.start < hit.end && hit.start < other.end;
  return overlap && other.weight * other.similarity > hit.weight * hit.similarity;
}

const termText = (term: Term) => (typeof term === "string" ? term : term.term);

/** Darija lexicon lists are also matched by consonant skeleton. */
const darijaLists = (language: LexiconLanguage) => language === "ar" || language === "ar-Latn";
/** Lists in no particular language (combinations): Arabic script, or Latin words written with digits. */
const anyScriptDarija = (_language: LexiconLanguage, phrase: string) => /[\u0600-\u06FF]/.test(phrase) || phrase.split(" ").some(looksArabizi);

interface EntryOptions {
  /** Texting spellings in terms read as in messages ("parler à qqn" is "parler à quelqu'un"). */
  spell: (phrase: string) => string;
  /** Which lists are also matched by consonant skeleton: Darija ones. */
  bySkeleton?: (language: LexiconLanguage, phrase: string) => boolean;
  /** Told each normalised phrase and its list's language. */
  onPhrase?: (language: LexiconLanguage, phrase: string) => void;
  /** Other spellings of a phrase, found as it is. */
  variants?: (language: LexiconLanguage, phrase: string) => string[];
}

/**
 * Darija in Latin letters writes ح ق خ with digits or with letters: "7bob" or "hbob", "9ra" or "qra", "5dma" or
 * "khdma". The spelling with letters of a term written with digits; the skeleton finds longer words either way, not
 * short ones.
 */
function arabiziVariant(phrase: string): string {
  return phrase.replace(/7/g, "h").replace(/9/g, "q").replace(/5/g, "kh");
}

function entriesOf<T>(terms: TermsByLanguage | undefined, value: (language: LexiconLanguage) => T, options: EntryOptions): PhraseEntry<T>[] {
  const entries: PhraseEntry<T>[] = [];
  const bySkeleton = options.bySkeleton ?? darijaLists;
  for (const [language, list] of Object.entries(terms ?? {}) as [LexiconLanguage, Term[]][]) {
    for (const term of list) {
      const text = termText(term);
      const prefix = text.endsWith("*");
      const phrase = options.spell(normalise(prefix ? text.slice(0, -1) : text));
      if (phrase === "") continue;
      options.onPhrase?.(language, phrase);
      const entry: PhraseEntry<T> = { phrase, value: value(language), weight: typeof term === "string" ? 1 : term.weight };
      if (typeof term !== "string" && term.asked) entry.asked = true;
      if (prefix) entry.prefix = true;
      else if (bySkeleton(language, phrase)) {
        const key = phrase.split(" ").map(skeleton).join("").replace(/(.)\1+/g, "$1");
        // The longer the key, the rarer a chance collision: a phrase of several words needs one consonant more.
        if (key.length >= MIN_SKELETON + (phrase.includes(" ") ? 1 : 0)) entry.skeleton = key;
      }
      entries.push(entry);
      if (prefix) continue;
      for (const variant of options.variants?.(language, phrase) ?? []) {
        options.onPhrase?.(language, variant);
        const { skeleton: _sameSkeleton, ...spelled } = entry;
        entries.push({ ...spelled, phrase: variant });
      }
    }
  }
  return entries;
}

/**
 * True when each group has a span and, taking one span of the first group, every other group has one that fits with it
 * in `window` words (from the first word of either to the last word of either).
 */
function within(groups: readonly Span[][], window: number): boolean {
  if (groups.some((g) => g.length === 0)) return false;
  const [first, ...others] = groups;
  return first!.some((anchor) => others.every((g) => g.some((s) => Math.max(anchor.end, s.end) - Math.min(anchor.start, s.start) <= window)));
}

/** Units of age in years, in every language the triage reads: "16 ans", "14 years", "15 3am", "عندها 14 عام". */
const YEARS = new Set(["an", "ans", "year", "years", "yrs", "yr", "yo", "ano", "anos", "3am", "l3am", "3em", "l3em", "sna", "snin", "عام", "العام", "سنه", "السنه", "سنين", "سنوات", "اعوام"]);
/** Words that make "2 ans" a duration, not an age: "depuis 2 ans", "for 3 years", "هادي 3 سنين", "il y a 2 ans". */
const DURATION = new Set(["depuis", "pendant", "durant", "apres", "dans", "y", "ya", "since", "for", "after", "during", "in", "hadi", "mn", "men", "mnd", "هادي", "منذ", "من", "بعد", "مدة", "desde", "durante", "hace", "despues", "ha", "faz"]);
/** "he is 14", "my daughter is 15", "i'm 15", "aged 12": an age without a unit. */
const PERSON = new Set(["he", "she", "i", "son", "daughter", "child", "kid", "boy", "girl", "brother", "sister", "cousin", "nephew", "niece", "friend", "neighbour", "neighbor", "grandson", "granddaughter"]);
const BE = new Set(["is", "am", "m", "s"]);
const AGED = new Set(["aged", "age", "agee", "عمرو", "عمره", "عمرها", "عمري"]);

/** Words just before an age that make it the writer's own: "j'ai 16 ans", "I am 15", "عندي 16 عام", "tengo 15 años". */
const SELF = new Set(["j", "je", "moi", "i", "me", "ana", "انا", "عندي", "عمري", "3ndi", "3andi", "3endi", "3mri", "tengo", "tenho", "yo", "eu"]);

/** Where the message gives the age of someone under 18, and whether it is the writer's. */
function minorAges(tokens: readonly string[]): (Span & { self: boolean })[] {
  const spans: (Span & { self: boolean })[] = [];
  tokens.forEach((token, i) => {
    if (!/^\d{1,2}$/.test(token) || Number(token) < 1 || Number(token) >= 18) return;
    const [before, beforeThat] = [tokens[i - 1] ?? "", tokens[i - 2] ?? ""];
    const self = tokens.slice(Math.max(0, i - 3), i).some((w) => SELF.has(w));
    if (YEARS.has(tokens[i + 1] ?? "")) {
      if (!DURATION.has(before) && !DURATION.has(beforeThat)) spans.push({ start: i, end: i + 2, self });
    } else if (AGED.has(before) || (BE.has(before) && PERSON.has(beforeThat))) {
      spans.push({ start: i - 1, end: i + 1, self: self || beforeThat === "i" });
    }
  });
  return spans;
}

/** Below this weight a term only hints at its category ("العربية" for education, "money" for basic needs). */
const HINT = 0.6;

/** Words after a request cue that make it ask for nothing: "je peux plus manger", "I can't eat", "bghit ma". */
const NOT_ASKING = new Set(["pas", "plus", "jamais", "rien", "not", "t", "never", "nao", "nunca", "nada"]);

/** Words just before "where" that make it say what is lacking: "ma3ndi fin", "ولا فين", "nulle part où". */
const LACKING = new Set(["ma3ndi", "ma3ndich", "ma3andi", "ma3andich", "ma3ndna", "ma3ndnach", "ma3ndhom", "wla", "ماعندي", "ماعنديش", "عنديش", "ماعندناش", "عندناش", "ولا", "part", "pas", "nowhere"]);
const HAVE = new Set(["عندي", "عندنا", "عندهم", "3ndi", "3andi", "3ndna", "3ndhom"]);
const NOT = new Set(["ما", "وما", "ma", "wma"]);

function lacking(tokens: readonly string[], i: number): boolean {
  const before = tokens[i - 1] ?? "";
  return LACKING.has(before) || (HAVE.has(before) && NOT.has(tokens[i - 2] ?? ""));
}

/** Counts and units of a duration: "il y a deux ans", "there are 3 weeks", "hace dos meses". */
const COUNT = /^(\d+|un|une|deux|trois|quatre|cinq|six|quelques|plusieurs|a|one|two|three|four|five|few|several|dos|tres|cuatro|unos|unas|dois|duas|alguns|algumas)$/;
const TIME_UNITS = new Set(["an", "ans", "annee", "annees", "mois", "semaine", "semaines", "jour", "jours", "heure", "heures", "year", "years", "month", "months", "week", "weeks", "day", "days", "hour", "hours", "ano", "anos", "mes", "meses", "semana", "semanas", "dia", "dias", "hora", "horas"]);

/** A duration begins at `i`: "deux ans", "quelques mois", "3 weeks". */
function durationAt(tokens: readonly string[], i: number): boolean {
  return COUNT.test(tokens[i] ?? "") && TIME_UNITS.has(tokens[i + 1] ?? "");
}

/** Units of a long-ago event: "il y a 6 mois", "2 years ago", "hadi 3 chhor". */
const LONG_UNITS = new Set(["mois", "month", "months", "ans", "an", "year", "years", "meses", "anos", "chhor", "chhar", "3am", "snin", "شهور", "اشهر", "شهر", "سنين", "سنوات", "عام"]);
const AGO_BEFORE = new Set(["y", "hadi", "هادي", "منذ", "hace", "ha", "faz"]);

/**
 * Most words between a word of now and the danger it dates: "ce soir ils ont dit qu'un client vient" is tonight's
 * danger; "last year ... now I am safe" keeps its "now" away from the violence (and "now" is not a word of now).
 */
const NOW_REACH = 5;

/** A word of danger now ("ce soir", "tonight", "الليلة") sits next to where the danger is told. */
function toldAsNow(nowWords: readonly Span[], signalSpans: readonly Span[]): boolean {
  return nowWords.some((now) => signalSpans.some((s) => Math.max(now.start - s.end, s.start - now.end) <= NOW_REACH));
}

/** "il y a 6 mois", "two years ago", "hace 3 meses": a violent event told as long past. */
function longAgo(tokens: readonly string[]): boolean {
  return tokens.some((token, i) => {
    if (!LONG_UNITS.has(token)) return false;
    const count = tokens[i - 1];
    if (count === undefined || !/^(\d+|un|une|a|one|two|few|several|quelques|plusieurs|deux|trois)$/.test(count)) return false;
    return tokens[i + 1] === "ago" || (tokens[i - 2] === "a" && tokens[i - 3] === "y") || AGO_BEFORE.has(tokens[i - 2] ?? "");
  });
}

/**
 * Combines the evidence for each category as independent hints: 1 − Π(1 − weight × similarity). One strong word
 * gives 1; two hints of 0.4 give 0.64. Categories are ranked by confidence plus a bonus when asked for, then by the
 * priority of the danger signal that said them, then by the sum of their evidence (two needs named with one strong
 * word each: the one named more often), then health before the others (someone sick or hurt is met first), then by
 * where they were first named. `other` (greetings, general orientation)
 * comes after any category taken with confidence; when none is, it ranks by its own score with the others.
 */
function rankCategories(hits: readonly CategoryHit[]): CategoryScore[] {
  // Several terms of one category over the same words ("no money", "money", "money for food") are one piece of
  // evidence: the strongest.
  const strongest = new Map<string, CategoryHit>();
  const pieces: { code: Category; start: number; end: number; weight: number; key: string }[] = [];
  hits.forEach((hit, i) => {
    let key = `${hit.code}|signal${i}`;
    if (hit.start >= 0) {
      // A hint right next to a term of its category says the same thing ("نقرا العربية", learn Arabic; "money for").
      const touches = (p: { start: number; end: number; weight: number }) =>
        (p.start < hit.end && hit.start < p.end) || ((p.end === hit.start || hit.end === p.start) && Math.min(p.weight, hit.weight) < HINT);
      const piece = pieces.find((p) => p.code === hit.code && touches(p));
      if (piece) {
        piece.start = Math.min(piece.start, hit.start);
        piece.end = Math.max(piece.end, hit.end);
        piece.weight = Math.max(piece.weight, hit.weight);
        key = piece.key;
      } else {
        key = `${hit.code}|${hit.start}`;
        pieces.push({ code: hit.code, start: hit.start, end: hit.end, weight: hit.weight, key });
      }
    }
    const previous = strongest.get(key);
    if (!previous || previous.weight < hit.weight || (previous.weight === hit.weight && hit.asked)) {
      strongest.set(key, { ...hit, start: Math.min(hit.start, previous?.start ?? hit.start), asked: hit.asked || previous?.asked === true });
    } else if (hit.asked && !previous.asked) {
      strongest.set(key, { ...previous, asked: true });
    }
  });
  const miss = new Map<Category, number>();
  const first = new Map<Category, number>();
  const mass = new Map<Category, number>();
  const asked = new Set<Category>();
  const priority = new Map<Category, number>();
  for (const hit of strongest.values()) {
    miss.set(hit.code, (miss.get(hit.code) ?? 1) * (1 - Math.min(1, hit.weight)));
    first.set(hit.code, Math.min(first.get(hit.code) ?? Infinity, hit.start));
    mass.set(hit.code, (mass.get(hit.code) ?? 0) + hit.weight);
    priority.set(hit.code, Math.min(priority.get(hit.code) ?? NO_PRIORITY, hit.priority));
    if (hit.asked) asked.add(hit.code);
  }
  const score = (code: Category, confidence: number) => confidence + (asked.has(code) ? REQUEST_BONUS : 0);
  const ranked = [...miss.entries()]
    .map(([code, m]) => ({ code, confidence: Math.round((1 - m) * 1000) / 1000 }))
    .sort((a, b) => {
      const byScore = score(b.code, b.confidence) - score(a.code, a.confidence) || priority.get(a.code)! - priority.get(b.code)!;
      const byMass = mass.get(b.code)! - mass.get(a.code)!;
      // Between needs said equally, health first: someone sick or hurt is the need to meet first.
      const byPrecedence = Number(b.code === "health") - Number(a.code === "health");
      return byScore || (Math.abs(byMass) > 1e-9 ? byMass : 0) || byPrecedence || first.get(a.code)! - first.get(b.code)!;
    });
  const specific = ranked.filter((c) => c.code !== "other");
  return specific.some((c) => c.confidence >= CONFIDENT) ? specific : ranked;
}
