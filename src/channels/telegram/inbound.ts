import type { Update } from "grammy/types";
import { z } from "zod";
import type { Command, Inbound, MediaKind } from "../../engine/messages.js";
import { communeFromPayload } from "./deep-link.js";

/** What an update means for the conversation engine. */
export type TelegramInbound =
  | { kind: "message"; userId: string; chatId: number; inbound: Inbound; callbackQueryId?: string }
  /** Not for a private conversation (groups, channels, bots), or not readable: stay silent. */
  | { kind: "ignore"; reason: string };

const COMMANDS: Record<string, Command> = { start: "start", menu: "menu", language: "language", langue: "language", help: "help", aide: "help", human: "human", delete: "delete" };

/** Choice ids are short and plain (Telegram allows 1–64 bytes); anything else is forged, or from another bot. */
export const callbackDataSchema = z
  .string()
  .regex(/^[A-Za-z0-9_.+-]{1,64}$/)
  .refine((data) => Buffer.byteLength(data) <= 64);

/**
 * The parts of an update the channel reads, checked before use: the Bot API's JSON comes from the network (a
 * webhook, a self-hosted Bot API server), so a field of the wrong type is refused here rather than met deeper in.
 * Fields not listed are kept as they are (`loose`) and not read.
 */
const id = z.number().int();
const userSchema = z.looseObject({ id, is_bot: z.boolean() });
const chatSchema = z.looseObject({ id, type: z.string() });
const locationSchema = z.looseObject({ latitude: z.number(), longitude: z.number() });
const messageSchema = z.looseObject({ chat: chatSchema, from: userSchema.optional() });
const callbackQuerySchema = z.looseObject({
  id: z.string().min(1),
  from: userSchema,
  data: z.unknown().optional(),
  message: z.looseObject({ chat: chatSchema }).optional(),
});

/** A message's sender and chat, when it is a person writing in a private chat. */
function privateSender(raw: unknown): { ok: true; userId: string; chatId: number } | { ok: false; reason: string } {
  const parsed = messageSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, reason: "malformed message" };
  const m = parsed.data;
  if (m.chat.type !== "private") return { ok: false, reason: `${m.chat.type} chat` };
  if (!m.from || m.from.is_bot) return { ok: false, reason: "from a bot" };
  return { ok: true, userId: String(m.from.id), chatId: m.chat.id };
}

/**
 * Turns a Telegram update into a channel-neutral message. Only private chats with people are served; every kind of
 * message a person can send maps to something the engine answers (voice notes and stickers included). Parts of the
 * wrong type become something the engine answers politely: an unreadable location is a location it cannot read, an
 * unreadable message one it cannot read; an update without a readable sender is ignored.
 */
export function fromUpdate(update: Update): TelegramInbound {
  if (update.callback_query) {
    const parsed = callbackQuerySchema.safeParse(update.callback_query);
    if (!parsed.success) return { kind: "ignore", reason: "malformed callback" };
    const q = parsed.data;
    if (!q.message || q.message.chat.type !== "private" || q.from.is_bot) return { kind: "ignore", reason: "callback outside a private chat" };
    // Forged or oversized data becomes an id no step offered: the engine says the button expired.
    const data = callbackDataSchema.safeParse(q.data);
    return { kind: "message", userId: String(q.from.id), chatId: q.message.chat.id, inbound: { kind: "choice", id: data.success ? data.data : "invalid" }, callbackQueryId: q.id };
  }
  if (update.edited_message) {
    const sender = privateSender(update.edited_message);
    if (!sender.ok) return { kind: "ignore", reason: `edit: ${sender.reason}` };
    // A live location moves by editing its message every few seconds: nothing to answer each time.
    if (update.edited_message.location !== undefined) return { kind: "ignore", reason: "live location update" };
    return { kind: "message", userId: sender.userId, chatId: sender.chatId, inbound: { kind: "edited" } };
  }
  const m = update.message;
  if (!m) return { kind: "ignore", reason: "not a message" };
  const sender = privateSender(m);
  if (!sender.ok) return { kind: "ignore", reason: sender.reason };
  const base = { kind: "message" as const, userId: sender.userId, chatId: sender.chatId };
  if (m.location !== undefined) {
    const location = locationSchema.safeParse(m.location);
    // Unreadable coordinates: the engine says it could not read the location.
    return { ...base, inbound: { kind: "location", lat: location.success ? location.data.latitude : Number.NaN, lon: location.success ? location.data.longitude : Number.NaN } };
  }
  if (m.text !== undefined) {
    const text = z.string().safeParse(m.text);
    if (!text.success) return { ...base, inbound: { kind: "media", media: "other" } };
    const command = /^\/([A-Za-z_]+)(?:@\w+)?(?:\s+(.*))?$/s.exec(text.data.trim());
    const known = command ? COMMANDS[command[1]!.toLowerCase()] : undefined;
    if (command && known) {
      const commune = known === "start" && command[2] ? communeFromPayload(command[2]) : undefined;
      return { ...base, inbound: { kind: "command", command: known, ...(commune ? { commune } : {}) } };
    }
    return { ...base, inbound: { kind: "text", text: text.data } };
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
