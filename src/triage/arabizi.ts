/**
 * Consonant skeletons: one key for the many ways a Darija word is spelled, in Latin letters (Arabizi) and in Arabic
 * script. Darija has no standard spelling: "kaytnffsch", "ma kaytnfsch" and "makatnafsch" differ only by vowels and
 * doubled letters; "sbitar" and "سبيطار" by script. Both scripts map to the same consonant alphabet, vowels (and the
 * Arabic letters that write them, ا و ي inside a word) are dropped, doubled consonants collapse, so an Arabic-script
 * lexicon entry also serves a message in Latin letters and the other way round.
 *
 * A skeleton throws information away, so two unrelated words can share one ("mrd" is "mrid" and "mard"). The triage
 * only compares skeletons of Darija lexicon entries, of at least MIN_SKELETON consonants, with words of messages that
 * are written in Darija, and never with ordinary words of French, English, Spanish or Portuguese.
 */

/**
 * Arabic letters → the skeleton alphabet: lower-case Latin consonants, and capitals for the letters Latin spellings
 * write with digraphs or digits (ع E, ح and ه H, خ X, ش C, غ G, ق Q), so that dropping Latin vowels never drops them.
 * ا ء and the hamza seats carry no consonant a Latin spelling would write.
 */
const ARABIC: Record<string, string> = {
  "ب": "b", "ت": "t", "ث": "t", "ج": "j", "ح": "H", "خ": "X", "د": "d", "ذ": "d", "ر": "r", "ز": "z", "س": "s",
  "ش": "C", "ص": "s", "ض": "d", "ط": "t", "ظ": "d", "ع": "E", "غ": "G", "ف": "f", "ق": "Q", "ك": "k", "ل": "l",
  "م": "m", "ن": "n", "ه": "H", "و": "w", "ي": "y", "ا": "", "ء": "", "ئ": "", "ؤ": "w", "ة": "H", "ى": "",
};

/** Latin digraphs and digits (ع ح ق ء خ غ written 3 7 9 2 5 8) → the skeleton alphabet, in this order. */
const LATIN: readonly [RegExp, string][] = [
  [/^ou/, "w"],
  [/kh|5/g, "X"],
  [/gh|8|g/g, "G"],
  [/ch|sh/g, "C"],
  [/dj/g, "j"],
  [/th/g, "t"],
  [/dh/g, "d"],
  [/ph/g, "f"],
  [/3/g, "E"],
  [/7|h/g, "H"],
  [/9|q/g, "Q"],
  [/2/g, ""],
  [/ck/g, "k"],
  [/x/g, "ks"],
  [/c/g, "k"],
  [/p/g, "b"],
  [/v/g, "f"],
];

/** Fewest consonants a skeleton needs to be compared at all: shorter ones match too many words. */
export const MIN_SKELETON = 4;

/**
 * The skeleton of one normalised word, in either script; "" for a word of another script or with nothing left.
 */
export function skeleton(word: string): string {
  let out: string;
  if (/[\u0600-\u06FF]/.test(word)) {
    // The article, with a conjunction or preposition before it, is left out as Latin spellings often do ("lwra9",
    // "f zen9a" for "فالزنقة").
    // "والدين" (parents) and "والو" (nothing) begin with the letters of "و" + "ال" but are words of their own.
    const letters = [...(/^وال(?:د|و$)/.test(word) ? word : word.replace(/^(?:[وفبك]?ال|لل)(?=...)/, ""))];
    // A final ه is the feminine ending as often as a pronoun: "خدمة" is "khdma".
    if (letters.length > 2 && letters[letters.length - 1] === "ه") letters.pop();
    out = letters.map((ch) => ARABIC[ch] ?? "").join("");
  } else if (/^[a-z0-9]+$/.test(word) && /[a-z]/.test(word)) {
    // The article: "lwra9", "lmakla"; doubled, it assimilated ("ddwa", "ttbib") and collapses below.
    let s = word.replace(/^l(?=[^aeiouy]..)/, "");
    for (const [pattern, replacement] of LATIN) s = s.replace(pattern, replacement);
    out = s.replace(/[aeiou0-9]/g, "");
  } else {
    return "";
  }
  // w and y before the first other consonant are consonants ("wldi", "ولدي", "أولاد"); later they are vowels as often
  // as not ("kayn", "كاين").
  const lead = /^[wy]/.exec(out)?.[0] ?? "";
  return (lead + out.slice(lead.length).replace(/[wy]/g, "")).replace(/(.)\1+/g, "$1");
}

/** A Latin word that writes Arabic letters with digits, as Darija does: "3afak", "m3a", "7na", "t9ra", "2idmaj". */
export function looksArabizi(word: string): boolean {
  if (!/[a-z]/.test(word) || !/[235789]/.test(word)) return false;
  // Numbers with a unit or a label are not words: "15ans", "2eme", "10h", "h24", "b12".
  return !/^\d+(ans?|years?|h|km|kg|dh|mad|e|er|eme|st|nd|rd|th|min|am|pm|k)$/.test(word) && !/^[a-z]{1,2}\d+$/.test(word);
}
