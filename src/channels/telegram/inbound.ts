import type { Update } from "grammy/types";
import type { Command, Inbound, MediaKind } from "../../engine/messages.js";
import { communeFromPayload } from "./deep-link.js";

/** What an update means for the conversation engine. */
export type TelegramInbound =
  | { kind: "message"; userId: string; chatId: number; inbound: Inbound; callbackQueryId?: string }
  /** Not for a private conversation (groups, channels, bots): stay silent. */
  | { kind: "ignore"; reason: string };

const COMMANDS: Record<string, Command> = { start: "start", menu: "menu", language: "language", langue: "language", help: "help", aide: "help", human: "human", delete: "delete" };

/** Choice ids are short and plain; anything else is forged (or from another bot) and is answered as expired. */
const CALLBACK_DATA = /^[A-Za-z0-9_.+-]{1,64}$/;

/**
 * Turns a Telegram update into a channel-neutral message. Only private chats with people are served; every kind of
 * message a person can send maps to something the engine answers (voice notes and stickers included).
 */
export function fromUpdate(update: Update): TelegramInbound {
  if (update.callback_query) {
    const q = update.callback_query;
    const chat = q.message?.chat;
    if (!chat || chat.type !== "private" || q.from.is_bot) return { kind: "ignore", reason: "callback outside a private chat" };
    const data = q.data ?? "";
    // Forged or oversized data becomes an id no step offered: the engine says the button expired.
    const id = CALLBACK_DATA.test(data) && Buffer.byteLength(data) <= 64 ? data : "invalid";
    return { kind: "message", userId: String(q.from.id), chatId: chat.id, inbound: { kind: "choice", id }, callbackQueryId: q.id };
  }
  if (update.edited_message) {
    const m = update.edited_message;
    if (m.chat.type !== "private" || !m.from || m.from.is_bot) return { kind: "ignore", reason: "edit outside a private chat" };
    return { kind: "message", userId: String(m.from.id), chatId: m.chat.id, inbound: { kind: "edited" } };
  }
  const m = update.message;
  if (!m) return { kind: "ignore", reason: "not a message" };
  if (m.chat.type !== "private") return { kind: "ignore", reason: `${m.chat.type} chat` };
  if (!m.from || m.from.is_bot) return { kind: "ignore", reason: "from a bot" };
  const base = { kind: "message" as const, userId: String(m.from.id), chatId: m.chat.id };
  if (m.location) return { ...base, inbound: { kind: "location", lat: m.location.latitude, lon: m.location.longitude } };
  if (m.text !== undefined) {
    const command = /^\/([A-Za-z_]+)(?:@\w+)?(?:\s+(.*))?$/s.exec(m.text.trim());
    const known = command ? COMMANDS[command[1]!.toLowerCase()] : undefined;
    if (command && known) {
      const commune = known === "start" && command[2] ? communeFromPayload(command[2]) : undefined;
      return { ...base, inbound: { kind: "command", command: known, ...(commune ? { commune } : {}) } };
    }
    return { ...base, inbound: { kind: "text", text: m.text } };
  }
  return { ...base, inbound: { kind: "media", media: mediaKind(m) } };
}

function mediaKind(m: NonNullable<Update["message"]>): MediaKind {
  if (m.voice) return "voice";
  if (m.audio) return "audio";
  if (m.photo || m.animation) return "image";
  if (m.video || m.video_note) return "video";
  if (m.sticker) return "sticker";
  if (m.document) return "document";
  if (m.contact) return "contact";
  return "other";
}
