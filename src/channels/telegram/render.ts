import type { InlineKeyboardButton } from "grammy/types";
import type { Choice, Outbound } from "../../engine/messages.js";
import { clip } from "../../engine/text.js";

/** One Bot API call to make, in order. */
export type TelegramCall =
  | { method: "sendMessage"; payload: { text: string; reply_markup?: unknown; link_preview_options?: { is_disabled: boolean } } }
  | { method: "sendVenue"; payload: { latitude: number; longitude: number; title: string; address: string } };

/** Telegram refuses messages over 4096 characters; ours are short, but a long one is split rather than lost. */
const MAX_TEXT = 4096;
/** Button labels are cut beyond this, so that a keyboard stays readable on a small phone. */
const MAX_LABEL = 40;

/** Two or three buttons a row when labels are short, one a row when they are long. */
export function keyboardRows(choices: readonly Choice[]): InlineKeyboardButton[][] {
  const longest = Math.max(...choices.map((c) => c.label.length));
  const perRow = longest <= 12 ? 3 : longest <= 22 ? 2 : 1;
  const rows: InlineKeyboardButton[][] = [];
  for (let i = 0; i < choices.length; i += perRow) {
    rows.push(choices.slice(i, i + perRow).map((c) => ({ text: c.label.length > MAX_LABEL ? `${clip(c.label, MAX_LABEL - 1)}…` : c.label, callback_data: c.id })));
  }
  return rows;
}

/** Parts of at most MAX_TEXT UTF-16 units, never splitting a character in two (an emoji's surrogate pair). */
function split(text: string): string[] {
  const parts: string[] = [];
  for (let rest = text; rest.length > 0; ) {
    const part = clip(rest, MAX_TEXT);
    parts.push(part);
    rest = rest.slice(part.length);
  }
  return parts.length > 0 ? parts : [" "];
}

/**
 * The Bot API calls for a step's messages: choices as an inline keyboard, a location question with a keyboard button
 * that shares the location, and each referral as its text card followed by a venue (a pin people can open in their
 * map app). Plain text, no parse mode: nothing a message says can be read as markup.
 */
export function render(messages: readonly Outbound[]): TelegramCall[] {
  const calls: TelegramCall[] = [];
  for (const m of messages) {
    const parts = split(m.text);
    parts.forEach((text, i) => {
      const last = i === parts.length - 1;
      let reply_markup: unknown;
      if (last && m.choices && m.choices.length > 0) reply_markup = { inline_keyboard: keyboardRows(m.choices) };
      else if (last && m.askLocation) {
        reply_markup = { keyboard: [[{ text: m.askLocation.label, request_location: true }]], resize_keyboard: true, one_time_keyboard: true, is_persistent: false };
      }
      calls.push({ method: "sendMessage", payload: { text, ...(reply_markup ? { reply_markup } : {}), link_preview_options: { is_disabled: true } } });
    });
    if (m.role === "referral" && m.location) {
      calls.push({ method: "sendVenue", payload: { latitude: m.location.lat, longitude: m.location.lon, title: clip(m.location.name, 100), address: clip(m.location.address ?? m.location.name, 200) } });
    }
  }
  return calls;
}
