import Fuse from "fuse.js";
import { tokenForms } from "./normalise.js";

/** One entry of an index: a normalised phrase (words separated by one space) and what it stands for. */
export interface PhraseEntry<T> {
  phrase: string;
  value: T;
  weight: number;
  /** Ranks like a need asked for (see `asked` in lexicon-schema.ts). */
  asked?: boolean;
  /** The last word is a stem: "enferm" also matches "enfermee", "enfermes", "enferment". */
  prefix?: boolean;
  /**
   * Also found by this consonant skeleton (see arabizi.ts): the concatenated skeletons of its words. Whoever builds
   * the entry decides which terms deserve one, and how long a key must be to be safe.
   */
  skeleton?: string;
}

/** Where a phrase was found in a message, in token positions [start, end). */
export interface PhraseHit<T> {
  value: T;
  phrase: string;
  start: number;
  end: number;
  weight: number;
  /** 1 for an exact match; below 1 for a stem, skeleton or typo-tolerant match, scaled by how close it was. */
  similarity: number;
  asked?: boolean;
}

export interface PhraseIndexOptions {
  /** Tolerate typos in phrases of at least this many characters (default: no fuzzy matching). */
  fuzzyMinLength?: number;
  /** Longest phrase, in words, that fuzzy matching tries (default 1: single words only). */
  fuzzyMaxWords?: number;
  /** fuse.js threshold for candidates: 0 is exact, 1 matches anything. */
  fuzzyThreshold?: number;
  /** Least similarity (1 − edit distance / longer length) a candidate needs (default 0.75). */
  fuzzyMinSimilarity?: number;
}

export interface FindOptions {
  /** Words never fuzzy-matched: common function words ("pour" must not become "peur"), words known as they are. */
  ignoreForFuzzy?: ReadonlySet<string>;
  /** Only words passing this test are fuzzy-matched (default: all). */
  fuzzyWord?: (word: string) => boolean;
  /** Typo-tolerant matching of the words no exact phrase covered (default true when the index allows it). */
  fuzzy?: boolean;
  /**
   * The skeleton of each token, "" for a token not to be compared that way (a word of French, English, ...), or
   * SKELETON_SKIP for a word that adds nothing to a phrase's key (an article inside a place name). Without it,
   * nothing is matched by skeleton.
   */
  skeletons?: readonly string[];
}

/** Similarity given to a stem match ("enfermés" for "enferm*") and to a skeleton match ("kaytnffsch" for "ma kaytnfsch"). */
export const STEM_SIMILARITY = 0.95;
export const SKELETON_SIMILARITY = 0.9;
/** A token's skeleton that adds nothing to the key of the phrase around it, without ending it. */
export const SKELETON_SKIP = "-";
/** Spans whose typo-tolerant matches are remembered. */
const REMEMBERED_SPANS = 20_000;

type FuzzyMatch<T> = Omit<PhraseHit<T>, "start" | "end">;

/**
 * Finds known phrases inside a tokenised message: exact lookups of every n-gram first (a Map lookup each), stems and
 * consonant skeletons next (Map lookups too), then, only for words none of these covered, a fuzzy search among
 * single-word phrases that share the word's first letter and nearly its length. Bucketing keeps the fuzzy fallback
 * cheap (fuse.js costs about 1.5 µs per item searched) at the price of missing typos in the first letter.
 */
export class PhraseIndex<T> {
  private readonly exact = new Map<string, PhraseEntry<T>[]>();
  private readonly stems = new Map<string, PhraseEntry<T>[]>();
  /** Lengths of the stems' last words, longest first: the only prefix lengths worth looking up. */
  private readonly stemLengths: number[];
  private readonly skeletons = new Map<string, PhraseEntry<T>[]>();
  /** Fuzzy candidates by bucket; a bucket's fuse.js index is built the first time a word falls in it. */
  private readonly fuzzyBuckets = new Map<string, PhraseEntry<T>[] | Fuse<PhraseEntry<T>>>();
  /** Typo-tolerant matches of the spans searched lately (`fuzzyMatches`). */
  private readonly fuzzyMemory = new Map<string, FuzzyMatch<T>[]>();
  private readonly maxWords: number;
  private readonly maxStemWords: number;
  private readonly maxSkeletonWords: number;
  /**
   * The first words of every phrase longer than them ("je", "je vis" of "je vis en France"): a span that is none of
   * these cannot grow into a phrase, so the search from that word stops there.
   */
  private readonly beginnings = new Set<string>();

  constructor(
    entries: readonly PhraseEntry<T>[],
    private readonly options: PhraseIndexOptions = {},
  ) {
    let maxWords = 1;
    let maxStemWords = 0;
    let maxSkeletonWords = 0;
    const stemLengths = new Set<number>();
    const fuzzyMaxWords = options.fuzzyMaxWords ?? 1;
    const buckets = new Map<string, PhraseEntry<T>[]>();
    const push = (map: Map<string, PhraseEntry<T>[]>, key: string, entry: PhraseEntry<T>) => {
      const list = map.get(key);
      if (list) list.push(entry);
      else map.set(key, [entry]);
    };
    for (const entry of entries) {
      if (entry.phrase === "") continue;
      const words = entry.phrase.split(" ");
      for (let n = 1; n < words.length; n++) this.beginnings.add(words.slice(0, n).join(" "));
      if (entry.prefix) {
        push(this.stems, entry.phrase, entry);
        stemLengths.add(words[words.length - 1]!.length);
        maxStemWords = Math.max(maxStemWords, words.length);
        continue;
      }
      push(this.exact, entry.phrase, entry);
      maxWords = Math.max(maxWords, words.length);
      if (entry.skeleton) {
        push(this.skeletons, entry.skeleton, entry);
        // A phrase may be written in one word more or less ("ma khlsnich", "makhlsnich").
        maxSkeletonWords = Math.max(maxSkeletonWords, words.length + 1);
      }
      if (words.length <= fuzzyMaxWords && options.fuzzyMinLength !== undefined && entry.phrase.length >= options.fuzzyMinLength - 1) {
        push(buckets, bucketKey(entry.phrase, words.length), entry);
      }
    }
    this.maxWords = maxWords;
    this.maxStemWords = maxStemWords;
    this.maxSkeletonWords = maxSkeletonWords;
    this.stemLengths = [...stemLengths].sort((a, b) => b - a);
    for (const [key, bucket] of buckets) this.fuzzyBuckets.set(key, bucket);
  }

  private fuzzyBucket(key: string): Fuse<PhraseEntry<T>> | undefined {
    const bucket = this.fuzzyBuckets.get(key);
    if (!Array.isArray(bucket)) return bucket;
    const fuse = new Fuse(bucket, { keys: ["phrase"], includeScore: true, threshold: this.options.fuzzyThreshold ?? 0.25, ignoreLocation: true, isCaseSensitive: true });
    this.fuzzyBuckets.set(key, fuse);
    return fuse;
  }

  /** Entries for a whole normalised phrase, or an empty list. */
  lookup(phrase: string): readonly PhraseEntry<T>[] {
    return this.exact.get(phrase) ?? [];
  }

  /**
   * Every exact occurrence of a known phrase (an Arabic first word is also tried without its clitics), stems and
   * skeletons, then fuzzy matches for the words left uncovered.
   */
  find(tokens: readonly string[], options: FindOptions = {}): PhraseHit<T>[] {
    const hits: PhraseHit<T>[] = [];
    const covered = new Array<boolean>(tokens.length).fill(false);
    const cover = (start: number, end: number) => {
      for (let i = start; i < end; i++) covered[i] = true;
    };
    for (let start = 0; start < tokens.length; start++) {
      const firstForms = tokenForms(tokens[start]!);
      const longest = Math.min(Math.max(this.maxWords, this.maxStemWords), tokens.length - start);
      let rest = "";
      for (let words = 1; words <= longest; words++) {
        if (words > 1) rest = rest === "" ? tokens[start + words - 1]! : `${rest} ${tokens[start + words - 1]!}`;
        // The word as written first: when the lexicon knows it with its clitics ("فالخدمة", at work), that reading
        // is the one meant, not the bare word's ("خدمة", a job).
        let found = false;
        let grows = false;
        for (const first of firstForms) {
          const phrase = rest === "" ? first : `${first} ${rest}`;
          if (!grows && this.beginnings.has(phrase)) grows = true;
          if (found) continue;
          if (words <= this.maxWords) {
            for (const entry of this.exact.get(phrase) ?? []) {
              hits.push({ value: entry.value, phrase, start, end: start + words, weight: entry.weight, similarity: 1, ...asked(entry) });
              cover(start, start + words);
              found = true;
            }
          }
          if (words <= this.maxStemWords && this.findStems(phrase, start, words, hits, cover)) found = true;
        }
        if (!grows) break;
      }
    }
    if (options.skeletons && this.skeletons.size > 0) this.findSkeletons(tokens, options.skeletons, hits, cover, covered);
    const minLength = this.options.fuzzyMinLength;
    if (minLength === undefined || options.fuzzy === false) return hits;
    const ignore = options.ignoreForFuzzy ?? new Set<string>();
    const fuzzyMaxWords = this.options.fuzzyMaxWords ?? 1;
    for (let start = 0; start < tokens.length; start++) {
      for (let words = Math.min(fuzzyMaxWords, tokens.length - start); words >= 1; words--) {
        const span = tokens.slice(start, start + words);
        if (span.some((t, k) => covered[start + k] || ignore.has(t) || /\d/.test(t) || (options.fuzzyWord && !options.fuzzyWord(t)))) continue;
        const phrase = span.join(" ");
        if (phrase.length < minLength) continue;
        for (const match of this.fuzzyMatches(phrase, words)) hits.push({ ...match, start, end: start + words });
      }
    }
    return hits;
  }

  /**
   * The typo-tolerant matches of one span, wherever it stands: computed once per distinct span (most messages reuse
   * the same few thousand words, and fuse.js is most of a message's cost), then remembered.
   */
  private fuzzyMatches(phrase: string, words: number): FuzzyMatch<T>[] {
    const remembered = this.fuzzyMemory.get(phrase);
    if (remembered) return remembered;
    const best = new Map<T, FuzzyMatch<T>>();
    for (let length = phrase.length - 2; length <= phrase.length + 2; length++) {
      const bucket = this.fuzzyBucket(bucketKey(phrase, words, length));
      if (!bucket) continue;
      for (const result of bucket.search(phrase, { limit: 5 })) {
        const entry = result.item;
        // fuse.js finds candidates; an edit distance on whole words decides, so that "emploi" never becomes
        // "empoisonné" because one contains most of the other.
        const similarity = editSimilarity(phrase, entry.phrase);
        if (similarity < (this.options.fuzzyMinSimilarity ?? 0.75)) continue;
        const previous = best.get(entry.value);
        if (!previous || previous.similarity < similarity) {
          best.set(entry.value, { value: entry.value, phrase: entry.phrase, weight: entry.weight, similarity, ...asked(entry) });
        }
      }
    }
    const matches = [...best.values()];
    if (this.fuzzyMemory.size >= REMEMBERED_SPANS) this.fuzzyMemory.clear();
    this.fuzzyMemory.set(phrase, matches);
    return matches;
  }

  /** Stems whose words before the last equal the phrase's, and whose last word begins the phrase's last word. */
  private findStems(phrase: string, start: number, words: number, hits: PhraseHit<T>[], cover: (start: number, end: number) => void): boolean {
    let found = false;
    const space = phrase.lastIndexOf(" ");
    const last = phrase.length - space - 1;
    for (const length of this.stemLengths) {
      if (length > last) continue;
      const key = phrase.slice(0, space + 1 + length);
      for (const entry of this.stems.get(key) ?? []) {
        hits.push({ value: entry.value, phrase: key, start, end: start + words, weight: entry.weight, similarity: length === last ? 1 : STEM_SIMILARITY, ...asked(entry) });
        cover(start, start + words);
        found = true;
      }
    }
    return found;
  }

  /** Spans whose concatenated skeletons equal a Darija entry's; a span may not begin or end on a skipped token. */
  private findSkeletons(
    tokens: readonly string[],
    skeletons: readonly string[],
    hits: PhraseHit<T>[],
    cover: (start: number, end: number) => void,
    covered: readonly boolean[],
  ): void {
    for (let start = 0; start < tokens.length; start++) {
      if (skeletons[start] === "" || skeletons[start] === SKELETON_SKIP) continue;
      let key = "";
      for (let words = 1; words <= this.maxSkeletonWords && start + words <= tokens.length; words++) {
        const part = skeletons[start + words - 1]!;
        if (part === "") break;
        if (part === SKELETON_SKIP) continue;
        key += part;
        // The exact pass already found what this span says, spelled as the lexicon spells it.
        if (covered.slice(start, start + words).every(Boolean)) continue;
        const collapsed = key.replace(/(.)\1+/g, "$1");
        for (const entry of this.skeletons.get(collapsed) ?? []) {
          if (!spansLike(entry.phrase, tokens, skeletons, start, words)) continue;
          hits.push({ value: entry.value, phrase: entry.phrase, start, end: start + words, weight: entry.weight, similarity: SKELETON_SIMILARITY, ...asked(entry) });
          cover(start, start + words);
        }
      }
    }
  }
}

/**
 * 1 − (Damerau–Levenshtein distance / length of the longer string): 1 for equal strings, 0.8 for one typo in five
 * letters. A transposition ("medcein") counts as one edit.
 */
export function editSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  const longer = Math.max(a.length, b.length);
  if (longer === 0) return 1;
  if (Math.abs(a.length - b.length) > 2) return 0;
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = d;
    }
  }
  return 1 - rows[a.length]![b.length]! / longer;
}

/**
 * A skeleton may run over more words than the term has only when the extra words lead it and are particles of one
 * or two letters ("ma kaytnfsch" for "ماكاتنفسش", "w ma" ...): "nador rasso" or "ndir s" are not "ندرس" (to study).
 */
function spansLike(phrase: string, tokens: readonly string[], skeletons: readonly string[], start: number, words: number): boolean {
  const span = tokens.slice(start, start + words).filter((_, i) => skeletons[start + i] !== SKELETON_SKIP);
  const extra = span.length - phrase.split(" ").length;
  return span.slice(0, Math.max(0, extra)).every((token) => [...token].length <= 2);
}

const asked = (entry: PhraseEntry<unknown>) => (entry.asked ? { asked: true } : {});

/** Fuzzy candidates share the first letter and the word count; the length narrows them further. */
function bucketKey(phrase: string, words: number, length = phrase.length): string {
  return `${words}:${phrase[0]}:${length}`;
}
