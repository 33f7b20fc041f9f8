import Fuse from "fuse.js";
import { tokenForms } from "./normalise.js";

/** One entry of an index: a normalised phrase (words separated by one space) and what it stands for. */
export interface PhraseEntry<T> {
  phrase: string;
  value: T;
  weight: number;
}

/** Where a phrase was found in a message, in token positions [start, end). */
export interface PhraseHit<T> {
  value: T;
  phrase: string;
  start: number;
  end: number;
  weight: number;
  /** 1 for an exact match; below 1 for a typo-tolerant match, scaled by how close it was. */
  similarity: number;
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

/**
 * Finds known phrases inside a tokenised message: exact lookups of every n-gram first (a Map lookup each), then,
 * only for words no exact phrase covered, a fuzzy search among single-word phrases that share the word's first
 * letter. Bucketing by first letter keeps the fuzzy fallback cheap (fuse.js costs about 1.5 µs per item searched)
 * at the price of missing typos in the first letter.
 */
export class PhraseIndex<T> {
  private readonly exact = new Map<string, PhraseEntry<T>[]>();
  private readonly fuzzyBuckets = new Map<string, Fuse<PhraseEntry<T>>>();
  private readonly maxWords: number;

  constructor(
    entries: readonly PhraseEntry<T>[],
    private readonly options: PhraseIndexOptions = {},
  ) {
    let maxWords = 1;
    const fuzzyMaxWords = options.fuzzyMaxWords ?? 1;
    const buckets = new Map<string, PhraseEntry<T>[]>();
    for (const entry of entries) {
      if (entry.phrase === "") continue;
      const list = this.exact.get(entry.phrase) ?? [];
      list.push(entry);
      this.exact.set(entry.phrase, list);
      const words = entry.phrase.split(" ").length;
      maxWords = Math.max(maxWords, words);
      if (words <= fuzzyMaxWords && options.fuzzyMinLength !== undefined && entry.phrase.length >= options.fuzzyMinLength - 1) {
        const key = bucketKey(entry.phrase, words);
        const bucket = buckets.get(key) ?? [];
        bucket.push(entry);
        buckets.set(key, bucket);
      }
    }
    this.maxWords = maxWords;
    for (const [key, bucket] of buckets) {
      this.fuzzyBuckets.set(
        key,
        new Fuse(bucket, { keys: ["phrase"], includeScore: true, threshold: options.fuzzyThreshold ?? 0.25, ignoreLocation: true, isCaseSensitive: true }),
      );
    }
  }

  /** Entries for a whole normalised phrase, or an empty list. */
  lookup(phrase: string): readonly PhraseEntry<T>[] {
    return this.exact.get(phrase) ?? [];
  }

  /**
   * Every exact occurrence of a known phrase (an Arabic first word is also tried without its clitics), then
   * fuzzy matches for the words left uncovered, skipping the words in `ignoreForFuzzy` (common function words).
   */
  find(tokens: readonly string[], ignoreForFuzzy: ReadonlySet<string> = new Set()): PhraseHit<T>[] {
    const hits: PhraseHit<T>[] = [];
    const covered = new Array<boolean>(tokens.length).fill(false);
    for (let start = 0; start < tokens.length; start++) {
      const firstForms = tokenForms(tokens[start]!);
      for (let words = Math.min(this.maxWords, tokens.length - start); words >= 1; words--) {
        const rest = tokens.slice(start + 1, start + words).join(" ");
        for (const first of firstForms) {
          const phrase = rest === "" ? first : `${first} ${rest}`;
          for (const entry of this.exact.get(phrase) ?? []) {
            hits.push({ value: entry.value, phrase, start, end: start + words, weight: entry.weight, similarity: 1 });
            for (let i = start; i < start + words; i++) covered[i] = true;
          }
        }
      }
    }
    const minLength = this.options.fuzzyMinLength;
    if (minLength === undefined) return hits;
    const fuzzyMaxWords = this.options.fuzzyMaxWords ?? 1;
    for (let start = 0; start < tokens.length; start++) {
      for (let words = Math.min(fuzzyMaxWords, tokens.length - start); words >= 1; words--) {
        const span = tokens.slice(start, start + words);
        if (span.some((t, k) => covered[start + k] || ignoreForFuzzy.has(t) || /\d/.test(t))) continue;
        const phrase = span.join(" ");
        if (phrase.length < minLength) continue;
        const bucket = this.fuzzyBuckets.get(bucketKey(phrase, words));
        if (!bucket) continue;
        const best = new Map<T, PhraseHit<T>>();
        for (const result of bucket.search(phrase, { limit: 5 })) {
          const entry = result.item;
          // fuse.js finds candidates; an edit distance on whole words decides, so that "emploi" never becomes
          // "empoisonné" because one contains most of the other.
          const similarity = editSimilarity(phrase, entry.phrase);
          if (similarity < (this.options.fuzzyMinSimilarity ?? 0.75)) continue;
          const previous = best.get(entry.value);
          if (!previous || previous.similarity < similarity) {
            best.set(entry.value, { value: entry.value, phrase: entry.phrase, start, end: start + words, weight: entry.weight, similarity });
          }
        }
        hits.push(...best.values());
      }
    }
    return hits;
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

function bucketKey(phrase: string, words: number): string {
  return `${words}:${phrase[0]}`;
}
