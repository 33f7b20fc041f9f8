/**
 * Text normalisation shared by every matcher (categories, urgency, commands, places, language markers).
 * Both the data (lexicon, gazetteer) and the person's message go through the same function, so a term is
 * written once in its usual spelling and still matches "MEDECIN", "médeciiin" or "مستشفي" for "مستشفى".
 */

const ARABIC_FOLD: Record<string, string> = {
  "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا",
  "ة": "ه", "ى": "ي", "ظ": "ض", "ؤ": "و", "ئ": "ي",
  "گ": "ك", "ڭ": "ك", "ݣ": "ك", "ک": "ك", "ی": "ي", "ڤ": "ف", "پ": "ب",
};
const ARABIC_INDIC_ZERO = 0x0660;
const PERSIAN_ZERO = 0x06f0;

const ASCII = /^[\x20-\x7E\t\n\r]*$/;

/**
 * Harakat, tatweel, and every format character (zero-width spaces and joiners, bidi controls such as U+202E, soft
 * hyphen, word joiner, BOM), with the fillers that show nothing: never meaningful for matching. "Inez\u200Bgane" and
 * "Inez\u00ADgane" are "Inezgane".
 */
const INVISIBLE = /[\u064B-\u065F\u0670\u0640\p{Cf}\u034F\u115F\u1160\u3164\uFFA0]/gu;

/**
 * Cyrillic and Greek letters drawn like Latin ones. In a word that also has Latin letters they are Latin letters in
 * disguise ("Inеzgаnе" with Cyrillic е and а, "Αgadir" with a Greek capital alpha): read as the Latin letter. Words
 * written wholly in Cyrillic or Greek are left as they are.
 */
const HOMOGLYPHS: Record<string, string> = {
  // Cyrillic
  "А": "A", "В": "B", "Е": "E", "Ё": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C", "Т": "T", "У": "Y", "Х": "X",
  "Ѕ": "S", "І": "I", "Ї": "I", "Ј": "J", "Ԛ": "Q", "Ԝ": "W", "Һ": "H", "Ү": "Y",
  "а": "a", "е": "e", "ё": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "ѕ": "s", "і": "i", "ї": "i", "ј": "j",
  "ԁ": "d", "һ": "h", "ӏ": "l", "ԛ": "q", "ԝ": "w", "ү": "y", "к": "k", "м": "m", "т": "t", "в": "b", "н": "h", "п": "n", "г": "r",
  // Greek
  "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N", "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
  "α": "a", "ε": "e", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ϲ": "c", "ϳ": "j",
};
const LATIN = /\p{Script=Latin}/u;
const CYRILLIC_OR_GREEK = /[\p{Script=Cyrillic}\p{Script=Greek}]/u;

/** A word of mixed Latin and Cyrillic or Greek letters, with the lookalikes read as Latin. */
function unmask(word: string): string {
  if (!LATIN.test(word) || !CYRILLIC_OR_GREEK.test(word)) return word;
  let out = "";
  for (const ch of word) out += HOMOGLYPHS[ch] ?? ch;
  return out;
}

/**
 * Lower-cases, folds compatibility forms (NFKC: fullwidth "Ｉｎｅｚｇａｎｅ", mathematical "𝐀𝐠𝐚𝐝𝐢𝐫", Arabic presentation
 * forms), drops invisible characters, reads Cyrillic and Greek lookalikes inside Latin words as Latin, strips Latin
 * accents (a decomposed "Ai\u0308t" too), folds Arabic letter variants, converts Arabic-Indic digits, collapses a letter
 * repeated three times or more ("aideeeez" → "aidez", "بزااااف" → "بزاف"), and turns punctuation into spaces.
 * Digits inside Latin words are kept: in Darija written in Latin letters they are letters ("3afak", "m3a").
 */
export function normalise(text: string): string {
  // Plain ASCII (most Latin-script messages and terms) needs none of the Unicode passes below.
  if (ASCII.test(text)) return text.toLowerCase().replace(/([a-z])\1{2,}/g, "$1").replace(/[^a-z0-9]+/g, " ").trim();
  let s = text.normalize("NFKC").replace(INVISIBLE, "");
  s = s.replace(/[\p{L}\p{M}]+/gu, unmask).toLowerCase();
  s = s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").normalize("NFC");
  s = s.replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - ARABIC_INDIC_ZERO));
  s = s.replace(/[\u06F0-\u06F9]/g, (d) => String(d.charCodeAt(0) - PERSIAN_ZERO));
  s = s.replace(/[أإآٱةىظؤئگڭݣکیڤپ]/g, (c) => ARABIC_FOLD[c] ?? c);
  s = s.replace(/[\u064B-\u065F\u0670]/g, "");
  s = s.replace(/ß/g, "ss").replace(/œ/g, "oe").replace(/æ/g, "ae");
  s = s.replace(/(\p{L})\1{2,}/gu, "$1");
  // Apostrophes join French elisions to the next word: "l'école" → "l ecole", "qu'il" → "qu il".
  s = s.replace(/[^\p{L}\p{N}]+/gu, " ");
  return s.trim();
}

/** The normalised words of a text. */
export function tokenize(text: string): string[] {
  const n = normalise(text);
  return n === "" ? [] : n.split(" ");
}

/** Punctuation that ends a clause: a denial or a request does not reach past it ("pas malade, je cherche du travail"). */
const CLAUSE_END = /[.,;:!?\n\u060C\u061B\u061F\u06D4\u2026]+/;

/**
 * The normalised words of a text with the clause each belongs to (0, 1, ...), as `tokenize` would give them: the
 * same words, in the same order.
 */
export function tokenizeClauses(text: string): { tokens: string[]; clauses: number[] } {
  const tokens: string[] = [];
  const clauses: number[] = [];
  let clause = 0;
  for (const part of text.split(CLAUSE_END)) {
    const words = tokenize(part);
    if (words.length === 0) continue;
    for (const word of words) {
      tokens.push(word);
      clauses.push(clause);
    }
    clause++;
  }
  return { tokens, clauses };
}

const ARABIC_LETTER = /[\u0600-\u06FF]/;
const LATIN_LETTER = /[a-z\u00C0-\u024F]/i;

/** Share of letters that are Arabic script, in [0, 1]; 0 when the text has no letters. */
export function arabicShare(text: string): number {
  let arabic = 0;
  let latin = 0;
  for (const ch of text) {
    if (ARABIC_LETTER.test(ch)) arabic++;
    else if (LATIN_LETTER.test(ch)) latin++;
  }
  return arabic + latin === 0 ? 0 : arabic / (arabic + latin);
}

/**
 * Arabic clitics written attached to the next word: conjunctions (و ف), prepositions (ب ل ك), the article
 * (ال), and their combinations. Longest first, so "وال" is tried before "و".
 */
const ARABIC_PREFIXES = ["وبال", "وفال", "وال", "بال", "فال", "كال", "لل", "ال", "و", "ف", "ب", "ل", "ك"];

/**
 * The forms of a normalised token a lexicon may hold: the token itself and, for Arabic words, the word without
 * its attached clitics ("فالناضور" → "ناضور", "والطبيب" → "طبيب"). The stem must keep at least two letters.
 */
export function tokenForms(token: string): string[] {
  if (!ARABIC_LETTER.test(token)) return [token];
  const forms = [token];
  for (const prefix of ARABIC_PREFIXES) {
    if (token.startsWith(prefix) && token.length - prefix.length >= 2) {
      const stem = token.slice(prefix.length);
      if (!forms.includes(stem)) forms.push(stem);
    }
  }
  return forms;
}

/** Drops a leading Arabic article from a normalised phrase, so "الناضور" and "ناضور" index the same. */
export function withoutArticle(phrase: string): string {
  return phrase.startsWith("ال") && phrase.length > 3 ? phrase.slice(2) : phrase;
}
