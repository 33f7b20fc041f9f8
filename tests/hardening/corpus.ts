/**
 * Hostile and odd inputs, as data, shared by the hardening tests of every channel adapter and of the JSON API.
 * Each entry has a short name (used in test titles) and the value sent. Nothing here depends on a channel.
 */

export interface TextCase {
  name: string;
  text: string;
  /**
   * What the reply must be, besides "in the person's language": `empty` means the text is nothing a person could
   * have meant (whitespace, invisible characters) and the reply says the message is empty.
   */
  expect?: "empty";
}

/** A 10,000+ character message of ordinary words. */
const longFrench = "J'ai besoin d'aide pour trouver un médecin à Inezgane. ".repeat(220);
/** 20,000 Arabic letters: the most the JSON API accepts (40 kB of UTF-8), under its body limit. */
const longArabic = "بغيت طبيب ".repeat(2000);

/** Text inputs. Every one must get a sensible reply in the person's language, never an exception or a 5xx. */
export const TEXTS: readonly TextCase[] = [
  // Empty and invisible
  { name: "empty", text: "", expect: "empty" },
  { name: "spaces", text: "     ", expect: "empty" },
  { name: "tabs and newlines", text: " \t\n\r\n\t ", expect: "empty" },
  { name: "unicode spaces (nbsp, em, ideographic)", text: "\u00A0\u2003\u3000\u2028", expect: "empty" },
  { name: "zero-width only", text: "\u200B\u200C\u200D\u2060\uFEFF", expect: "empty" },
  { name: "bidi controls only", text: "\u202E\u202D\u202B\u2066\u2067\u2068\u2069\u200E\u200F", expect: "empty" },
  { name: "soft hyphens and fillers", text: "\u00AD\u034F\u180E\u00AD", expect: "empty" },
  { name: "control characters only", text: "\u0000\u0001\u0007\u001B\u007F", expect: "empty" },
  // Sizes
  { name: "one letter", text: "a" },
  { name: "10,000 times the same letter", text: "a".repeat(10_000) },
  { name: "a 10,000-letter word", text: "bghit".repeat(2_000) },
  { name: "12,000 characters of French", text: longFrench },
  { name: "20,000 Arabic characters", text: longArabic },
  { name: "5,000 newlines around a word", text: `${"\n".repeat(2_500)}médecin${"\n".repeat(2_500)}` },
  { name: "emoji across every cut point (odd offset)", text: `a${"🙂".repeat(2_100)}` },
  { name: "a letter under 3,000 combining marks (zalgo)", text: `m${"\u0301\u0327\u0308".repeat(1_000)}edecin` },
  // Emoji
  { name: "only emoji", text: "😀😀😀" },
  { name: "SOS emoji", text: "🆘🆘" },
  { name: "emoji with skin tone and ZWJ family", text: "👍🏽👨‍👩‍👧‍👦" },
  { name: "flag emoji", text: "🇲🇦🇸🇳🇨🇮" },
  { name: "keycap digits", text: "1️⃣" },
  // Invisible characters inside words
  { name: "zero-width inside a word", text: "mé\u200Bde\u200Dcin" },
  { name: "U+202E right-to-left override", text: "\u202Ej'ai besoin d'un médecin" },
  { name: "U+202E in the middle of a word", text: "txt.\u202Egnp.exe" },
  { name: "Arabic inside an embedding", text: "\u202Bبغيت طبيب\u202C" },
  // Scripts
  { name: "mixed Latin and Arabic", text: "bghit طبيب f Inezgane 3afak" },
  { name: "three scripts", text: "Hello مرحبا Здравствуйте 你好" },
  { name: "Chinese", text: "我需要医生" },
  { name: "Tifinagh", text: "ⴰⵣⵓⵍ ⵖⵔ ⴽⵯⵏ" },
  { name: "Cyrillic homoglyphs in a French word", text: "mеdеcin" },
  { name: "fullwidth letters", text: "ｍéｄｅｃｉｎ" },
  { name: "mathematical bold letters", text: "𝐦𝐞𝐝𝐞𝐜𝐢𝐧" },
  { name: "Arabic with tatweel and harakat", text: "بَغِيـــتْ طَبِيـــبْ" },
  { name: "Arabic-Indic digits", text: "٠١٢٣٤٥٦٧٨٩" },
  { name: "a lone surrogate", text: "ab\uD800cd" },
  { name: "a reversed surrogate pair", text: "\uDC00\uD800" },
  { name: "a NUL byte inside words", text: "bon\u0000jour" },
  { name: "private-use and noncharacters", text: "\uE000\uF8FF\uFFFE\uFFFF" },
  // Markup and code
  { name: "img onerror", text: '<img src=x onerror="window.__pwned=1">' },
  { name: "script tag", text: "<script>window.__pwned=1</script>" },
  { name: "svg onload", text: '<svg onload="window.__pwned=1"></svg>' },
  { name: "javascript: link", text: "javascript:window.__pwned=1" },
  { name: "a link with javascript: href", text: '<a href="javascript:window.__pwned=1">clic</a>' },
  { name: "attribute breakout", text: "\"><iframe src=javascript:window.__pwned=1>" },
  { name: "markdown and Telegram HTML", text: "*gras* _it_ `code` [lien](https://evil.example) <b>b</b>" },
  { name: "SQL injection", text: "'; DROP TABLE request; --" },
  { name: "SQL tautology", text: "' OR '1'='1' /*" },
  { name: "SQL union", text: "1 UNION SELECT name, sql FROM sqlite_master --" },
  { name: "i18next interpolation", text: "{{categories}} $t(common:help) {{- text}}" },
  { name: "template literal", text: "${process.exit(1)} #{7*7} %s%n%x" },
  { name: "JSON text", text: '{"session":"x","__proto__":{"admin":true}}' },
  { name: "prototype words", text: "__proto__ constructor prototype toString hasOwnProperty" },
  { name: "path traversal", text: "../../../../etc/passwd" },
  { name: "a URL", text: "https://evil.example/?q=<script>" },
  // Numbers and commands
  { name: "zero", text: "0" },
  { name: "a big number", text: "99999999999999999999" },
  { name: "a negative number", text: "-1" },
  { name: "NaN", text: "NaN" },
  { name: "a slash command", text: "/start@other_bot payload" },
  { name: "a question mark", text: "?" },
];

/**
 * Commune names written with Unicode tricks; each must be read as the commune `code` when typed at the place
 * question. Aït Melloul is 09.273.01.05, Inezgane 09.273.01.15, Agadir 09.001.01.01.
 */
export const PLACE_TRICKS: readonly { name: string; text: string; code: string }[] = [
  { name: "decomposed Aït (i + U+0308)", text: "Ai\u0308t Melloul", code: "09.273.01.05" },
  { name: "precomposed Aït", text: "A\u00EFt Melloul", code: "09.273.01.05" },
  { name: "fullwidth letters", text: "Ｉｎｅｚｇａｎｅ", code: "09.273.01.15" },
  { name: "upper case", text: "INEZGANE", code: "09.273.01.15" },
  { name: "Cyrillic а and е (homoglyphs)", text: "Inеzgаnе", code: "09.273.01.15" },
  { name: "Cyrillic А at the start", text: "Аgadir", code: "09.001.01.01" },
  { name: "Greek Α at the start", text: "Αgadir", code: "09.001.01.01" },
  { name: "mathematical bold", text: "𝐀𝐠𝐚𝐝𝐢𝐫", code: "09.001.01.01" },
  { name: "zero-width space inside", text: "Inez\u200Bgane", code: "09.273.01.15" },
  { name: "soft hyphen inside", text: "Inez\u00ADgane", code: "09.273.01.15" },
  { name: "U+202E before", text: "\u202EInezgane", code: "09.273.01.15" },
  { name: "Arabic with tatweel", text: "إنزكـــان", code: "09.273.01.15" },
  { name: "Arabic with harakat", text: "إِنْزِكَان", code: "09.273.01.15" },
  { name: "Arabic with tatweel and harakat", text: "أَكَـــادِير", code: "09.001.01.01" },
  { name: "Arabic presentation forms", text: "\uFE83\uFEDB\uFE8E\uFEA9\uFEF3\uFEAD", code: "09.001.01.01" },
];

/** Choice ids nobody offered. Over 64 characters, the JSON API refuses them with a 400; channels say "expired". */
export const FORGED_CHOICES: readonly { name: string; id: string }[] = [
  { name: "random", id: "zq8.x7k" },
  { name: "an unknown step", id: "nostep.option" },
  { name: "another step's option", id: "sex.female" },
  { name: "a later step's option", id: "after.new" },
  { name: "the current step, an option never offered", id: "need.__proto__" },
  { name: "constructor", id: "constructor" },
  { name: "__proto__", id: "__proto__" },
  { name: "a prototype path", id: "need.constructor.prototype" },
  { name: "path traversal", id: "../../etc/passwd" },
  { name: "delete without the question", id: "g.delete.yes" },
  { name: "a follow-up answer never asked", id: "fu.yes" },
  { name: "a ticket action", id: "t.claim.1" },
  { name: "SQL", id: "need.health'; DROP TABLE request;--" },
  { name: "HTML", id: "<img src=x onerror=alert(1)>" },
  { name: "a dot", id: "." },
  { name: "a prefix only", id: "need." },
  { name: "unicode lookalike of a real id", id: "nееd.health" },
  { name: "64 characters", id: "x".repeat(64) },
  { name: "65 characters", id: "x".repeat(65) },
  { name: "10,000 characters", id: "need.".padEnd(10_000, "h") },
];

/** Locations that are not a point in Morocco. `kind`: out of range (unreadable) or a real point abroad. */
export const BAD_LOCATIONS: readonly { name: string; lat: number; lon: number; kind: "invalid" | "abroad" }[] = [
  { name: "Paris", lat: 48.8566, lon: 2.3522, kind: "abroad" },
  { name: "0,0 (null island)", lat: 0, lon: 0, kind: "abroad" },
  { name: "Madrid", lat: 40.4168, lon: -3.7038, kind: "abroad" },
  { name: "the South Pole", lat: -90, lon: 0, kind: "abroad" },
  { name: "lat 91", lat: 91, lon: -9.5, kind: "invalid" },
  { name: "lat -91", lat: -91, lon: -9.5, kind: "invalid" },
  { name: "lon 181", lat: 30.4, lon: 181, kind: "invalid" },
  { name: "lon -181", lat: 30.4, lon: -181, kind: "invalid" },
  { name: "huge", lat: 1e300, lon: -1e300, kind: "invalid" },
  { name: "NaN", lat: Number.NaN, lon: Number.NaN, kind: "invalid" },
  { name: "Infinity", lat: Number.POSITIVE_INFINITY, lon: Number.NEGATIVE_INFINITY, kind: "invalid" },
];

/** A point in Inezgane, for "the conversation still works afterwards". */
export const INEZGANE = { lat: 30.355077, lon: -9.555138 };

/** Arabic letters (Arabic, Arabic Supplement, presentation forms). */
export const ARABIC_LETTERS = /[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]/;

/**
 * Whether a reply is written in `language`: Arabic replies contain Arabic letters; French and English ones contain
 * none (the language menu, written in every language at once, is the one exception, and callers leave it out).
 */
export function inLanguage(text: string, language: string): boolean {
  return language === "ar" ? ARABIC_LETTERS.test(text) : !ARABIC_LETTERS.test(text) && /\p{Script=Latin}/u.test(text);
}

/** Words of a corpus text long and specific enough to be recognised if they were copied somewhere (logs, rows). */
export function distinctiveWords(text: string): string[] {
  return [...new Set(text.normalize("NFC").split(/[^\p{L}\p{N}_]+/u).filter((w) => w.length >= 6))];
}
