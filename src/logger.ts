import { pino, type Logger } from "pino";

/**
 * Structured logs (JSON lines). Message texts, user ids and chat ids are never logged: log codes, counts and the
 * conversation's keyed hash prefix at most.
 */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino({ level, base: { service: "dalil" } }, destination ?? process.stderr);
}

export type { Logger };
