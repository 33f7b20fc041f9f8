import { isIP } from "node:net";
import { z } from "zod";
import { parseWeeklyHours } from "./handoff/hours-setting.js";

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const nonNegativeInt = (fallback: number) => z.coerce.number().int().min(0).default(fallback);

/** Defaults of the global and per-address limits (used as well where a setting is not passed down). */
export const DEFAULT_IP_PER_MINUTE = 600;
export const DEFAULT_GLOBAL_PER_MINUTE = 6000;

/** `loopback`, an IPv4 or IPv6 address, or a subnet `address/prefix`. */
function isProxyEntry(entry: string): boolean {
  if (entry === "loopback") return true;
  const [address, prefix, extra] = entry.split("/");
  const family = isIP(address ?? "");
  if (family === 0 || extra !== undefined) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/**
 * Every setting of Dalil, read from the environment once (in `main.ts` or the CLI) and passed down. README and
 * `.env.example` list them; a bad value stops start-up with a message naming the variable.
 */
export const configSchema = z.object({
  /** `file:./var/dalil.db` (SQLite, the default) or `postgresql://...`. */
  DATABASE_URL: z
    .string()
    .default("file:./var/dalil.db")
    .refine((url) => url.startsWith("file:") || /^postgres(ql)?:\/\//.test(url), "expected file:<path> (SQLite) or postgresql://... (PostgreSQL)"),
  /** PostgreSQL only: connections each worker keeps open. Workers × this must stay under the server's max_connections. */
  DATABASE_POOL_SIZE: positiveInt(10),
  /** How long a message waits for a briefly unavailable database (locked, restarting) before the channel keeps it for later. */
  DALIL_STORAGE_RETRY_SECONDS: positiveInt(15),
  /** Key of the keyed hashes (person ids). At least 32 characters; generated into var/ on SQLite when unset. */
  DALIL_SECRET: z.string().min(32, "must be at least 32 characters (e.g. `openssl rand -hex 32`)").optional(),
  /** Folder for local state: the SQLite database, the generated secret, channel sessions. */
  DALIL_VAR_DIR: z.string().default("var"),
  /** Conversations (and their transcripts) idle longer than this are deleted. */
  DALIL_RETENTION_DAYS: positiveInt(30),
  /** A request begun but left idle this long is logged as `abandoned`. */
  DALIL_ABANDON_AFTER_HOURS: positiveInt(24),
  /** Messages one person may send per window, on any channel, before being asked to slow down. */
  DALIL_RATE_LIMIT_MESSAGES: positiveInt(30),
  DALIL_RATE_LIMIT_WINDOW_SECONDS: positiveInt(10),
  /** Requests to the JSON API from one client address per minute (0: no limit). Behind a proxy, set TRUSTED_PROXY. */
  DALIL_RATE_LIMIT_IP_PER_MINUTE: nonNegativeInt(DEFAULT_IP_PER_MINUTE),
  /** Everyone together, per minute: requests to the JSON API, and messages on all channels (0: no limit). */
  DALIL_RATE_LIMIT_GLOBAL_PER_MINUTE: nonNegativeInt(DEFAULT_GLOBAL_PER_MINUTE),
  /**
   * Whose X-Forwarded-For / X-Forwarded-Proto are believed (client address for rate limits and sign-in attempts; https
   * for Secure cookies): `loopback`, or a comma list of addresses and subnets (`10.0.0.5, 192.168.1.0/24`). Unset:
   * nobody's, the socket's address is the client's.
   */
  TRUSTED_PROXY: z
    .string()
    .optional()
    .transform((text, ctx) => {
      if (text === undefined) return undefined;
      const entries = text.split(",").map((e) => e.trim().toLowerCase()).filter((e) => e !== "");
      for (const entry of entries) {
        if (!isProxyEntry(entry)) ctx.addIssue({ code: "custom", message: `"${entry}": expected loopback, an IP address or a subnet such as 10.0.0.0/8` });
      }
      return entries.length > 0 ? entries : undefined;
    }),
  /** The web chat, the JSON API and (later) the staff pages. */
  /** 0 picks a free port (tests). */
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** 127.0.0.1 serves this machine only; 0.0.0.0 (behind a reverse proxy with TLS) serves the network. */
  HOST: z.string().min(1).default("127.0.0.1"),
  /** The bot's token from BotFather; without it nothing about Telegram starts. */
  TELEGRAM_BOT_TOKEN: z.string().regex(/^\d+:[A-Za-z0-9_-]{30,}$/, "expected a token such as 123456789:AA... as BotFather gives it").optional(),
  /** A self-hosted Bot API server instead of https://api.telegram.org. */
  TELEGRAM_API_ROOT: z.url().optional(),
  /** Webhook mode: the public https URL that reaches this server's TELEGRAM webhook path (e.g. https://dalil.example.org/telegram/webhook). */
  TELEGRAM_WEBHOOK_URL: z.url().optional(),
  /** Telegram sends it back in X-Telegram-Bot-Api-Secret-Token; requests without it are refused. 1–256 of A-Z a-z 0-9 _ -. */
  TELEGRAM_WEBHOOK_SECRET: z.string().regex(/^[A-Za-z0-9_-]{16,256}$/, "expected 16–256 characters of A-Z a-z 0-9 _ -").optional(),
  /** `1` runs the WhatsApp channel (whatsapp-web.js, a logged-in WhatsApp Web session in Chromium). */
  WHATSAPP_ENABLED: z
    .enum(["0", "1", "true", "false"])
    .default("0")
    .transform((v) => v === "1" || v === "true"),
  /** Where the WhatsApp session is kept, so that a restart needs no new scan. Keep it out of git and backed up. */
  WHATSAPP_SESSION_DIR: z.string().default("var/whatsapp"),
  /** Pair by code instead of QR: the programme's number, international form without + (e.g. 212600000000). */
  WHATSAPP_PAIRING_NUMBER: z.string().regex(/^\d{8,15}$/, "expected the number in international form, digits only (e.g. 212600000000)").optional(),
  /** The browser whatsapp-web.js drives: Debian's Chromium by default. */
  PUPPETEER_EXECUTABLE_PATH: z.string().default("/usr/bin/chromium"),
  /** Opens the administrator's pages (the WhatsApp QR code) until staff accounts exist. At least 24 characters. */
  DALIL_ADMIN_TOKEN: z.string().min(24, "must be at least 24 characters (e.g. `openssl rand -hex 16`)").optional(),
  /** When facilitators answer (Africa/Casablanca): outside these hours people are told when, and given the nearest open service. */
  FACILITATOR_HOURS: z
    .string()
    .default("mon-fri 09:00-17:00")
    .transform((text, ctx) => {
      try {
        return parseWeeklyHours(text);
      } catch (error) {
        ctx.addIssue({ code: "custom", message: (error as Error).message });
        return z.NEVER;
      }
    }),
  /** The language of what facilitators read (ticket cards, notifications). */
  FACILITATOR_LANGUAGE: z.string().regex(/^[a-z]{2}$/).default("fr"),
  /** An unclaimed ticket is announced again after this many minutes (urgent ones after the second value). */
  HANDOFF_REMINDER_MINUTES: positiveInt(30),
  HANDOFF_URGENT_REMINDER_MINUTES: positiveInt(5),
  /** A claimed ticket without a facilitator reply for this many hours is flagged. */
  HANDOFF_NO_REPLY_HOURS: positiveInt(24),
  /** The facilitators' Telegram group (its chat id, e.g. -1001234567890): new tickets are posted there. */
  TELEGRAM_FACILITATOR_CHAT_ID: z.string().regex(/^-?\d+$/, "expected a chat id such as -1001234567890").optional(),
  /** Small-cell suppression: counts from 1 to k−1 leave the database as "<k" (dashboard, CSV, CLI). */
  REPORT_MIN_CELL: z.coerce.number().int().min(2).max(100).default(5),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});
export type Config = z.infer<typeof configSchema>;

/** Settings that only make sense together. */
function checkCombinations(config: Config): string[] {
  const problems: string[] = [];
  if (config.TELEGRAM_WEBHOOK_URL && !config.TELEGRAM_WEBHOOK_SECRET) problems.push("TELEGRAM_WEBHOOK_SECRET: required with TELEGRAM_WEBHOOK_URL (Telegram sends it back, so that forged updates are refused)");
  if (config.TELEGRAM_WEBHOOK_URL && !config.TELEGRAM_BOT_TOKEN) problems.push("TELEGRAM_BOT_TOKEN: required with TELEGRAM_WEBHOOK_URL");
  return problems;
}

/** Parse the environment; throws an Error listing every bad variable, each with what was expected. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const result = configSchema.safeParse(cleaned);
  const lines = result.success ? checkCombinations(result.data).map((p) => `  ✖ ${p}`) : result.error.issues.map((i) => `  ✖ ${i.path.join(".")}: ${i.message}`);
  if (result.success && lines.length === 0) return result.data;
  throw new Error(`Invalid configuration:\n${lines.join("\n")}`);
}
