import type { PrismaClient } from "./database.js";

/**
 * Leases that make a scheduled job run once per interval across workers. Taking one is a single conditional upsert,
 * so of several workers asking at the same moment exactly one gets it, on SQLite and on PostgreSQL alike.
 */
export class JobLeaseStore {
  constructor(private readonly prisma: PrismaClient) {}

  /** Takes the lease `name` until `nowMs + forMs` if nobody holds it now; true when this holder got it. */
  async take(name: string, holder: string, nowMs: number, forMs: number): Promise<boolean> {
    const now = BigInt(nowMs);
    const until = BigInt(nowMs + forMs);
    const rows = await this.prisma.$queryRaw<{ holder: string }[]>`
      INSERT INTO job_lease (name, holder, until_ms) VALUES (${name}, ${holder}, ${until})
      ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, until_ms = excluded.until_ms
      WHERE job_lease.until_ms <= ${now}
      RETURNING holder`;
    return rows.length === 1;
  }

  /** Gives a lease back early (a job that failed should be retried by any worker at its next tick). */
  async release(name: string, holder: string): Promise<void> {
    await this.prisma.jobLease.deleteMany({ where: { name, holder } });
  }
}
