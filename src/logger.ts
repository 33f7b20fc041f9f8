import { pino, type Logger } from "pino";

/**
 * Fields that could carry what people wrote, who they are, or a credential: never written, whatever the level, at the
 * top of a log line and one level down (`{ update: { text } }`).
 */
const SENSITIVE_KEYS = [
  "text",
  "body",
  "payload",
  "message_text",
  "userId",
  "user_id",
  "chatId",
  "chat_id",
  "from",
  "to",
  "phone",
  "number",
  "session",
  "sessionId",
  "userHash",
  "address",
  "login",
  "password",
  "token",
  "secret",
  "cookie",
  "authorization",
  "headers",
];
const REDACT_PATHS = [...SENSITIVE_KEYS, ...SENSITIVE_KEYS.map((key) => `*.${key}`)];

/** Bot API tokens (`123456:AA...`), also inside URLs (`/bot123456:AA.../sendMessage`). */
const BOT_TOKEN = /\d{5,}:[A-Za-z0-9_-]{20,}/g;
/** Phone numbers, chat and user ids: runs of 7 or more digits (WhatsApp ids are `212600000000@c.us`). */
const LONG_NUMBER = /(?<![\w.])\+?\d{7,}(?:@[a-z.]+)?/g;
/** Long hex strings: keyed hashes of people, secrets. */
const LONG_HEX = /\b[0-9a-f]{32,}\b/gi;

const scrub = (text: string) => text.replace(BOT_TOKEN, "[token]").replace(LONG_HEX, "[hex]").replace(LONG_NUMBER, "[number]");

/**
 * Errors as logs may show them. Libraries attach what they were sending (grammy's `payload` holds the chat id and the
 * text; Prisma's messages quote the call's arguments; fetch errors quote URLs with the bot token): only the type, the
 * code, the message's first line and the stack's frames are kept, scrubbed of tokens, long numbers and hashes, and the
 * same for the cause.
 */
export function serializeError(error: unknown, depth = 0): Record<string, unknown> | undefined {
  if (error === undefined || error === null) return undefined;
  if (!(error instanceof Error)) return { type: typeof error, message: scrub(String(error).split("\n")[0]!.slice(0, 200)) };
  const e = error as Error & { code?: unknown; error_code?: unknown; method?: unknown; cause?: unknown };
  const firstLine = scrub((e.message ?? "").split("\n")[0]!.slice(0, 300));
  const frames = (e.stack ?? "")
    .split("\n")
    .filter((line) => /^\s+at /.test(line))
    .slice(0, 15)
    .map(scrub);
  const out: Record<string, unknown> = { type: e.name || e.constructor?.name || "Error", message: firstLine, stack: [`${e.name}: ${firstLine}`, ...frames].join("\n") };
  const code = e.code ?? e.error_code;
  if (typeof code === "string" || typeof code === "number") out.code = typeof code === "string" ? scrub(code) : code;
  if (typeof e.method === "string") out.method = e.method;
  if (e.cause !== undefined && depth < 3) out.cause = serializeError(e.cause, depth + 1);
  return out;
}

/**
 * Structured logs (JSON lines). Message texts, user ids and chat ids are never logged: log codes, counts and the
 * conversation's keyed hash prefix at most. As a second line of defence, fields named like what must not be logged
 * are redacted and errors are reduced to their type, code, first line and frames (see serializeError).
 */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      base: { service: "dalil" },
      redact: { paths: REDACT_PATHS, censor: "[redacted]" },
      serializers: { err: serializeError, error: serializeError },
    },
    destination ?? process.stderr,
  );
}

export type { Logger };
