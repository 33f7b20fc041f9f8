import type { Category, Profile, UrgentSignal } from "../codes.js";

/** A line of the current request's conversation, kept for the facilitator who may take it over. */
export interface TranscriptLine {
  from: "person" | "dalil";
  text: string;
}

/** The request being made: filled step by step, logged once, then kept for "talk to a facilitator". */
export interface RequestDraft {
  categories: Category[];
  commune: string | null;
  point: { lat: number; lon: number } | null;
  urgent: boolean;
  signals: UrgentSignal[];
  referrals: string[];
  /** Words the person wrote before the flow asked for them (e.g. with their first "hello"), used by later steps. */
  text: string | null;
  /** The request log id once logged; null while the request is open. */
  loggedId: string | null;
  /** The need question was answered `max_misses` times in words the triage could not place. */
  triageFailed: boolean;
  /** The messages of this request, most recent last (bounded), copied into a ticket if one opens. */
  transcript: TranscriptLine[];
}

/** A question inside a step, waiting for its answer. */
export type Pending =
  | { kind: "confirm_language"; proposed: string }
  | { kind: "confirm_need"; candidates: Category[] }
  | { kind: "pick_place"; candidates: string[] }
  | { kind: "confirm_delete" };

/** A follow-up question sent to the person and waiting for its answer (the id of the `followup` row). */
export interface FollowupAsked {
  id: string;
  serviceId: string;
  /** The request's commune, to show the service's card again from the right place. */
  commune: string | null;
  /** `answer`: "did you reach the service?"; `reason`: "what stopped you?" after "no, I could not". */
  stage: "answer" | "reason";
}

/** The person's word on follow-ups, kept with the conversation (never in the monitoring log). */
export interface FollowupState {
  /** Whether Dalil may check back after a referral; null until asked. "Stop asking" sets it to false. */
  consent: boolean | null;
  asked: FollowupAsked | null;
}

/**
 * Everything the engine remembers about one conversation. Only ids and answers, never copies of content, so a
 * flow or translation can change between two messages. Versioned: `v` changes when the shape does.
 */
export interface ConversationState {
  v: 1;
  flow: string;
  /** Null before the first message. */
  step: string | null;
  language: string | null;
  /** The person writing, asked once per conversation, each answer skippable. */
  profile: Profile;
  request: RequestDraft;
  pending: Pending | null;
  /** Choice ids of the last prompt, so that "2" or "٢" means the second one. */
  offered: string[];
  /** Their labels, for the transcript a facilitator reads. */
  offeredLabels: string[];
  /** Where to go back to after changing language mid-conversation. */
  returnTo: string | null;
  /** Answers not understood in a row at the current step. */
  misses: number;
  /** Set while a facilitator has the conversation: the person's messages go to them, not to the flow. */
  handoff: { since: string; urgent: boolean } | null;
  followup: FollowupState;
}

export const STATE_VERSION = 1;

export function emptyRequest(): RequestDraft {
  return { categories: [], commune: null, point: null, urgent: false, signals: [], referrals: [], text: null, loggedId: null, triageFailed: false, transcript: [] };
}

export function initialState(flow: string): ConversationState {
  return { v: STATE_VERSION, flow, step: null, language: null, profile: {}, request: emptyRequest(), pending: null, offered: [], offeredLabels: [], returnTo: null, misses: 0, handoff: null, followup: { consent: null, asked: null } };
}
