import { z } from "zod";
import { COMMANDS, type Inbound, type Outbound } from "../engine/messages.js";
import type { StepResult } from "../engine/step.js";

/** Session ids are chosen by the page: 16–128 characters of A-Z a-z 0-9 _ - (the page makes 128 random bits). */
export const SESSION_ID = /^[A-Za-z0-9_-]{16,128}$/;

/** The longest text accepted; longer messages are refused with a 400 rather than cut silently. */
export const MAX_TEXT = 20_000;

/** `POST /api/chat`. When both come, `choice` wins over `text`. */
export const chatRequestSchema = z
  .object({
    session: z.string().regex(SESSION_ID, "expected 16–128 characters of A-Z a-z 0-9 _ -"),
    text: z.string().max(MAX_TEXT).optional(),
    choice: z.string().min(1).max(64).optional(),
    location: z.object({ lat: z.number(), lon: z.number() }).strict().optional(),
    command: z.enum(COMMANDS).optional(),
  })
  .strict()
  .refine((r) => r.text !== undefined || r.choice !== undefined || r.location !== undefined || r.command !== undefined, {
    message: "expected at least one of text, choice, location or command",
  });
export type ChatRequest = z.infer<typeof chatRequestSchema>;

/** One message in a JSON answer: text, buttons, a place on a map. */
export interface ChatMessage {
  text: string;
  choices?: { id: string; label: string }[];
  location?: { lat: number; lon: number; name: string };
  /** Offer a "share my location" button with this message. */
  askLocation?: true;
  /** `emergency` messages deserve to stand out. */
  role: Outbound["role"];
}

export interface ChatResponse {
  language: string;
  dir: "ltr" | "rtl";
  messages: ChatMessage[];
}

export function toInbound(request: ChatRequest): Inbound {
  if (request.choice !== undefined) return { kind: "choice", id: request.choice };
  if (request.location !== undefined) return { kind: "location", lat: request.location.lat, lon: request.location.lon };
  if (request.command !== undefined) return { kind: "command", command: request.command };
  return { kind: "text", text: request.text ?? "" };
}

export function toMessage(m: Outbound): ChatMessage {
  return {
    text: m.text,
    ...(m.choices ? { choices: m.choices.map((c) => ({ id: c.id, label: c.label })) } : {}),
    ...(m.location ? { location: { lat: m.location.lat, lon: m.location.lon, name: m.location.name } } : {}),
    ...(m.askLocation ? { askLocation: true as const } : {}),
    role: m.role,
  };
}

export function toResponse(result: Pick<StepResult, "language" | "dir" | "outbound">): ChatResponse {
  return { language: result.language, dir: result.dir, messages: result.outbound.map(toMessage) };
}
