import { createHash, randomInt } from "node:crypto";
import type { PrismaClient } from "../generated/prisma/client.js";
import { prepared, sqliteConnectionOf } from "./sqlite.js";

export interface RateCheck {
  /** Messages counted in the current window, this one included. */
  count: number;
  allowed: boolean;
  /** Over the limit for the first time in this window: the moment to tell the person, once. */
  firstRefusal: boolean;
  /** When the current window ends, from `nowMs`: how long a refused caller should wait. */
  retryAfterMs: number;
}

export interface RateOptions {
  limit: number;
  windowMs: number;
  nowMs: number;
}

/** A shared counter (everyone's requests) is split over this many rows once its limit is large, so that parallel requests do not all wait for one row. */
const MAX_SHARDS = 8;
/** Each shard keeps at least this much of the limit: small limits stay exact (one row). */
const MIN_PER_SHARD = 100;

/**
 * Fixed-window counters in the database, so that every process shares them. Keys are derived with SHA-256 from the
 * caller's key (a person's hash, a client address), so the table never repeats an id found elsewhere.
 */
export class RateLimits {
  constructor(private readonly prisma: PrismaClient) {}

  async hit(key: string, options: RateOptions): Promise<RateCheck> {
    const id = rowKey(key);
    const start = BigInt(options.nowMs - options.windowMs);
    const now = BigInt(options.nowMs);
    // One statement: counts from parallel requests in several processes add up instead of overwriting each other.
    // On SQLite through the driver directly (see sqliteConnectionOf): a few microseconds instead of a Prisma round trip.
    const sqlite = sqliteConnectionOf(this.prisma);
    const rows = sqlite ? [prepared(sqlite, `INSERT INTO rate_limit (key, window_start, count, noticed) VALUES (@id, @now, 1, false)
      ON CONFLICT (key) DO UPDATE SET
        count = CASE WHEN rate_limit.window_start <= @start THEN 1 ELSE rate_limit.count + 1 END,
        noticed = CASE WHEN rate_limit.window_start <= @start THEN false ELSE rate_limit.noticed END,
        window_start = CASE WHEN rate_limit.window_start <= @start THEN @now ELSE rate_limit.window_start END
      RETURNING count, noticed, window_start`).get({ id, start, now }) as { count: number; noticed: number; window_start: number }] : await this.prisma.$queryRaw<{ count: number | bigint; noticed: boolean | number | bigint; window_start: number | bigint }[]>`
      INSERT INTO rate_limit (key, window_start, count, noticed) VALUES (${id}, ${now}, 1, false)
      ON CONFLICT (key) DO UPDATE SET
        count = CASE WHEN rate_limit.window_start <= ${start} THEN 1 ELSE rate_limit.count + 1 END,
        noticed = CASE WHEN rate_limit.window_start <= ${start} THEN false ELSE rate_limit.noticed END,
        window_start = CASE WHEN rate_limit.window_start <= ${start} THEN ${now} ELSE rate_limit.window_start END
      RETURNING count, noticed, window_start`;
    const count = Number(rows[0]!.count);
    const retryAfterMs = Math.max(0, Number(rows[0]!.window_start) + options.windowMs - options.nowMs);
    if (count <= options.limit) return { count, allowed: true, firstRefusal: false, retryAfterMs };
    const claimed = await this.prisma.rateLimit.updateMany({ where: { key: id, noticed: false }, data: { noticed: true } });
    return { count, allowed: false, firstRefusal: claimed.count === 1, retryAfterMs };
  }

  /**
   * A counter everyone shares (all requests, all messages): above a few hundred per window it is spread over several
   * rows, each holding its share of the limit, picked at random per hit. The total allowed stays the limit, give or
   * take the rounding of the shares.
   */
  async hitShared(key: string, options: RateOptions): Promise<RateCheck> {
    const shards = Math.max(1, Math.min(MAX_SHARDS, Math.floor(options.limit / MIN_PER_SHARD)));
    if (shards === 1) return this.hit(key, options);
    return this.hit(`${key}#${randomInt(shards)}`, { ...options, limit: Math.ceil(options.limit / shards) });
  }

  /** Takes back one hit of the current window (a sign-in that succeeded does not count as a failed attempt). */
  async undo(key: string): Promise<void> {
    await this.prisma.rateLimit.updateMany({ where: { key: rowKey(key), count: { gt: 0 } }, data: { count: { decrement: 1 } } });
  }

  /** Drops counters whose window ended before `beforeMs`. */
  async purge(beforeMs: number): Promise<number> {
    const { count } = await this.prisma.rateLimit.deleteMany({ where: { windowStart: { lt: BigInt(beforeMs) } } });
    return count;
  }
}

const rowKey = (key: string) => createHash("sha256").update(`rate:${key}`).digest("hex").slice(0, 32);
