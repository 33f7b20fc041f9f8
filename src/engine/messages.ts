import type { FollowupAnswer } from "./followup-settings.js";
import type { AgeBand, Category, Outcome, Sex, Status, UrgentSignal } from "../codes.js";

/** What kind of non-text message arrived; the engine answers all of them with "please type or press a button". */
export const MEDIA_KINDS = ["voice", "audio", "image", "video", "sticker", "document", "contact", "other"] as const;
export type MediaKind = (typeof MEDIA_KINDS)[number];

/** Commands a channel can send directly (Telegram's /menu, a web button), besides the same words typed as text. */
export const COMMANDS = ["start", "menu", "language", "help", "human", "delete"] as const;
export type Command = (typeof COMMANDS)[number];

/** One message from a person, in channel-neutral form. Channels validate their input before building it. */
export type Inbound =
  | { kind: "text"; text: string }
  | { kind: "choice"; id: string }
  | { kind: "location"; lat: number; lon: number }
  | { kind: "media"; media: MediaKind }
  /** A message the person edited after sending it (Telegram): not read, the person is asked to send a new one. */
  | { kind: "edited" }
  /** `commune`: an HCP code carried by a deep link (a poster's QR code), to skip the place question. */
  | { kind: "command"; command: Command; commune?: string };

export interface Choice {
  id: string;
  label: string;
}

/** One message to the person. Channels render it natively: buttons, numbered text, a venue, a location request. */
export interface Outbound {
  text: string;
  choices?: Choice[];
  /** A place to show on a map (a referral's site). */
  location?: { lat: number; lon: number; name: string; address?: string };
  /** The channel may offer a "share my location" button with this message, with this label. */
  askLocation?: { label: string };
  /** What the message is, for channels that style messages differently. */
  role: "prompt" | "info" | "referral" | "emergency" | "notice";
}

/**
 * A completed request, as the anonymised request log records it: codes only, a random id, no text, no person.
 * `channel` is added by the store, which knows it.
 */
export interface RequestRecord {
  id: string;
  date: string;
  language: string;
  region: string | null;
  commune: string | null;
  urgent: boolean;
  sex: Sex | "not_asked";
  ageBand: AgeBand | "not_asked";
  status: Status | "not_asked";
  outcome: Outcome;
  categories: Category[];
  /** Service ids, in the order they were offered. */
  referrals: string[];
}

/** What a facilitator needs to take over: codes only, plus the transcript. */
export interface HandoffCard {
  language: string;
  categories: Category[];
  commune: string | null;
  urgent: boolean;
  signals: UrgentSignal[];
  profile: { sex: Sex | "not_asked"; ageBand: AgeBand | "not_asked"; status: Status | "not_asked" };
  /** Service ids the bot already referred to. */
  referrals: string[];
}

/** A message from the person while a facilitator has the conversation. */
export type RelayedMessage = { kind: "text"; text: string } | { kind: "media"; media: MediaKind } | { kind: "location"; lat: number; lon: number };

/** What a step produced for storage, monitoring and handoff to act on. */
export type EngineEvent =
  | { type: "request_logged"; request: RequestRecord }
  | {
      type: "handoff_wished";
      requestId: string | null;
      urgent: boolean;
      reason: "asked" | "triage_failed" | "urgent";
      card: HandoffCard;
      transcript: { from: "person" | "dalil"; text: string }[];
    }
  /** The person wrote while a facilitator has the conversation: for the ticket and the facilitators. */
  | { type: "relay"; message: RelayedMessage; urgent: boolean }
  | { type: "delete_requested" }
  /** The person agreed to be asked later whether they reached the first service of the logged request. */
  | { type: "followup_scheduled"; requestId: string; serviceId: string; dueAt: string }
  /** The answer to a follow-up question (`followupId`: the row it was sent for). */
  | { type: "followup_answered"; followupId: string; answer: FollowupAnswer }
  /** Why the person could not reach the service, after answering `could_not`. */
  | { type: "followup_reason"; followupId: string; reason: string }
  /** "Stop asking": this follow-up is answered `stopped`, every other one of the conversation is cancelled. */
  | { type: "followup_stopped"; followupId: string | null }
  | { type: "urgent_detected"; signals: UrgentSignal[] }
  | { type: "language_set"; language: string }
  /** A content problem met during a conversation: the person got a fallback, an operator should look. */
  | { type: "error"; code: string; extra?: Record<string, string | number | boolean | null> };
