import { createHash } from "node:crypto";
import type { PrismaClient } from "../generated/prisma/client.js";

export interface RateCheck {
  /** Messages counted in the current window, this one included. */
  count: number;
  allowed: boolean;
  /** Over the limit for the first time in this window: the moment to tell the person, once. */
  firstRefusal: boolean;
}

/**
 * Fixed-window counters in the database, so that every process shares them. Keys are derived with SHA-256 from the
 * caller's key (a person's hash, a client address), so the table never repeats an id found elsewhere.
 */
export class RateLimits {
  constructor(private readonly prisma: PrismaClient) {}

  async hit(key: string, options: { limit: number; windowMs: number; nowMs: number }): Promise<RateCheck> {
    const id = createHash("sha256").update(`rate:${key}`).digest("hex").slice(0, 32);
    const start = BigInt(options.nowMs - options.windowMs);
    const now = BigInt(options.nowMs);
    // One statement: counts from parallel requests in several processes add up instead of overwriting each other.
    const rows = await this.prisma.$queryRaw<{ count: number | bigint; noticed: boolean | number | bigint }[]>`
      INSERT INTO rate_limit (key, window_start, count, noticed) VALUES (${id}, ${now}, 1, false)
      ON CONFLICT (key) DO UPDATE SET
        count = CASE WHEN rate_limit.window_start <= ${start} THEN 1 ELSE rate_limit.count + 1 END,
        noticed = CASE WHEN rate_limit.window_start <= ${start} THEN false ELSE rate_limit.noticed END,
        window_start = CASE WHEN rate_limit.window_start <= ${start} THEN ${now} ELSE rate_limit.window_start END
      RETURNING count, noticed`;
    const count = Number(rows[0]!.count);
    if (count <= options.limit) return { count, allowed: true, firstRefusal: false };
    const claimed = await this.prisma.rateLimit.updateMany({ where: { key: id, noticed: false }, data: { noticed: true } });
    return { count, allowed: false, firstRefusal: claimed.count === 1 };
  }

  /** Drops counters whose window ended before `beforeMs`. */
  async purge(beforeMs: number): Promise<number> {
    const { count } = await this.prisma.rateLimit.deleteMany({ where: { windowStart: { lt: BigInt(beforeMs) } } });
    return count;
  }
}
