import type { Outbound } from "../../engine/messages.js";

/** One thing to send: a text, or a place as a WhatsApp location message. */
export type WhatsAppSend = { kind: "text"; text: string } | { kind: "location"; lat: number; lon: number; name: string; address?: string };

/** The lines a channel adds to say how to answer, in the person's language. */
export interface WhatsAppHints {
  replyWithNumber(count: number): string;
  shareLocation(): string;
}

/**
 * Buttons and lists no longer arrive on WhatsApp: choices are numbered lines with "answer 1 to n" below (the engine
 * takes "2", "٢" or the option's words). A referral is its text card followed by a location message.
 */
export function render(messages: readonly Outbound[], hints: WhatsAppHints): WhatsAppSend[] {
  const sends: WhatsAppSend[] = [];
  for (const m of messages) {
    const lines = [m.text];
    if (m.choices && m.choices.length > 0) {
      lines.push("", ...m.choices.map((c, i) => `*${i + 1}.* ${c.label}`), "", hints.replyWithNumber(m.choices.length));
    }
    if (m.askLocation) lines.push("", hints.shareLocation());
    sends.push({ kind: "text", text: lines.join("\n") });
    if (m.role === "referral" && m.location) {
      sends.push({ kind: "location", lat: m.location.lat, lon: m.location.lon, name: m.location.name, ...(m.location.address ? { address: m.location.address } : {}) });
    }
  }
  return sends;
}
