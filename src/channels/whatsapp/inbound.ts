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
 * Turns a WhatsApp message into a channel-neutral one. Only one-to-one chats with people are served: status updates,
 * group messages and the bot's own messages are ignored.
 */
export function fromMessage(m: WhatsAppMessageLike): WhatsAppInbound {
  if (m.fromMe) return { kind: "ignore", reason: "own message" };
  if (m.isStatus || m.from === "status@broadcast") return { kind: "ignore", reason: "status broadcast" };
  if (m.from.endsWith("@g.us")) return { kind: "ignore", reason: "group message" };
  if (m.from.endsWith("@broadcast") || m.from.endsWith("@newsletter")) return { kind: "ignore", reason: "broadcast" };
  if (NOT_FROM_A_PERSON.has(m.type)) return { kind: "ignore", reason: `${m.type} message` };
  const base = { kind: "message" as const, key: m.id._serialized, userId: m.from, chatId: m.from };
  if (m.type === "location" && m.location) {
    return { ...base, inbound: { kind: "location", lat: Number(m.location.latitude), lon: Number(m.location.longitude) } };
  }
  if (m.type === "chat") return { ...base, inbound: { kind: "text", text: m.body } };
  return { ...base, inbound: { kind: "media", media: MEDIA[m.type] ?? "other" } };
}
