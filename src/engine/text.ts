/**
 * What the engine does to a person's words before reading or keeping them. Channels validate the shape of their input
 * (zod, at the boundary); these functions make any string safe to read, store and show, whatever a channel let
 * through: text that is not well-formed UTF-16 cannot be stored (the database driver refuses it), and cutting text to
 * a length must not split a character in two.
 */

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/** Control characters other than tab and line breaks (NUL, ESC, DEL, C1 controls): never part of what a person wrote. */
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;
/**
 * What shows nothing: spaces of every kind, control and format characters (zero-width, bidi controls, soft hyphen,
 * word joiner, BOM), and the fillers used to send "blank" messages (combining grapheme joiner, Hangul fillers,
 * the Braille blank).
 */
const BLANK = /^[\s\p{Cc}\p{Cf}\p{Z}\u034F\u115F\u1160\u3164\uFFA0\u2800]*$/u;

/** The text with lone surrogates replaced by U+FFFD and control characters (but tab and line breaks) removed. */
export function cleanText(text: string): string {
  return text.replace(LONE_SURROGATE, "\uFFFD").replace(CONTROL, "");
}

/** Whether a text shows nothing at all. */
export function isBlank(text: string): boolean {
  return BLANK.test(text);
}

/** At most `max` UTF-16 units of `text`, never ending in the first half of a surrogate pair. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const last = cut.charCodeAt(cut.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? cut.slice(0, -1) : cut;
}
