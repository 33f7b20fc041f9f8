import { z } from "zod";
import type { Inbound, MediaKind } from "../../engine/messages.js";

/** The fields of a whatsapp-web.js Message the channel reads (the library's class has many more). */
export interface WhatsAppMessageLike {
  id: { _serialized: string };
  from: string;
  fromMe: boolean;
  isStatus?: boolean;
  type: string;
  body: string;
  location?: { latitude: number | string; longitude: number | string } | null;
}

export type WhatsAppInbound =
  | { kind: "message"; key: string; userId: string; chatId: string; inbound: Inbound }
  | { kind: "ignore"; reason: string };

const MEDIA: Record<string, MediaKind> = {
  ptt: "voice",
  audio: "audio",
  image: "image",
  album: "image",
  video: "video",
  sticker: "sticker",
  document: "document",
  vcard: "contact",
  multi_vcard: "contact",
};

/** Types that are not a person writing (notifications, reactions, revoked messages, calls, ...). */
const NOT_FROM_A_PERSON = new Set(["revoked", "e2e_notification", "notification", "notification_template", "gp2", "group_notification", "protocol", "reaction", "call_log", "ciphertext", "debug", "broadcast_notification", "poll_creation"]);

/**
 * The fields read, checked before use: the library hands over what WhatsApp Web's page holds, which a change on
 * WhatsApp's side can reshape. Who wrote and the message id must be readable, or the message is ignored (there is
 * nobody to answer); a body or a location that cannot be read becomes something the engine answers politely.
 */
const envelopeSchema = z.looseObject({
  id: z.looseObject({ _serialized: z.string().min(1).max(200) }),
  from: z.string().min(3).max(200),
  fromMe: z.boolean(),
  isStatus: z.boolean().optional(),
  type: z.string().max(64).catch("unknown"),
});
/** A coordinate as WhatsApp Web gives it: a number, or a number written as a string. */
const coordinate = z.union([z.number(), z.string().trim().regex(/^-?\d+(?:\.\d+)?(?:e[+-]?\d+)?$/i).transform(Number)]);
const locationSchema = z.looseObject({ latitude: coordinate, longitude: coordinate });

/**
 * Turns a WhatsApp message into a channel-neutral one. Only one-to-one chats with people are served: status updates,
 * group messages and the bot's own messages are ignored. `edited`: the message was edited after it was sent.
 */
export function fromMessage(m: WhatsAppMessageLike, options: { edited?: boolean } = {}): WhatsAppInbound {
  const parsed = envelopeSchema.safeParse(m);
  if (!parsed.success) return { kind: "ignore", reason: "malformed message" };
  const { id, from, fromMe, isStatus, type } = parsed.data;
  if (fromMe) return { kind: "ignore", reason: "own message" };
  if (isStatus || from === "status@broadcast") return { kind: "ignore", reason: "status broadcast" };
  if (from.endsWith("@g.us")) return { kind: "ignore", reason: "group message" };
  if (from.endsWith("@broadcast") || from.endsWith("@newsletter")) return { kind: "ignore", reason: "broadcast" };
  if (NOT_FROM_A_PERSON.has(type)) return { kind: "ignore", reason: `${type} message` };
  const base = { kind: "message" as const, key: id._serialized, userId: from, chatId: from };
  if (options.edited) return { ...base, inbound: { kind: "edited" } };
  if (type === "location") {
    const location = locationSchema.safeParse(m.location);
    // Unreadable coordinates: the engine says it could not read the location.
    return { ...base, inbound: { kind: "location", lat: location.success ? location.data.latitude : Number.NaN, lon: location.success ? location.data.longitude : Number.NaN } };
  }
  if (type === "chat") {
    const body = z.string().safeParse(m.body);
    return { ...base, inbound: body.success ? { kind: "text", text: body.data } : { kind: "media", media: "other" } };
  }
  return { ...base, inbound: { kind: "media", media: MEDIA[type] ?? "other" } };
}
