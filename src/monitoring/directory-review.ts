import type { Directory } from "../directory/directory.js";
import { addDays, localDate } from "../directory/hours.js";
import { Prisma, type PrismaClient } from "../generated/prisma/client.js";
import { ANSWERED_SQL, REACHED_SQL } from "./followups.js";
import { serviceName } from "./labels.js";

/**
 * A service goes on the low-reach list only with at least this many answered follow-ups in the period: below five,
 * one answer moves the rate by 20 points or more, so one unlucky week would flag a good service. It is also the
 * default small-cell threshold (REPORT_MIN_CELL), so no rate on the list rests on fewer people than a report shows.
 */
export const LOW_REACH_MIN_ANSWERS = 5;
/** Below this share of answers saying the person reached the service, the entry needs a look. */
export const LOW_REACH_RATE = 0.5;

export interface DirectoryReview {
  /** Active services nobody verified with the service in `staleDays` (or ever). */
  stale: { id: string; name: string; lastVerified: string | null }[];
  /** Services inactive now that requests of the last `recentDays` were referred to. */
  inactiveReferred: { id: string; name: string; referrals: number }[];
  /**
   * Services that people often could not reach: at least `LOW_REACH_MIN_ANSWERS` follow-ups answered about them for
   * the requests of the last `reachDays`, and fewer than half saying they reached it. Lowest rate first.
   */
  lowReach: { id: string; name: string; answered: number; reached: number; rate: number }[];
}

/** The weekly list for staff: entries to check with the services, referrals that went to services now off, services people do not reach. */
export async function directoryReview(
  prisma: PrismaClient,
  directory: Directory,
  now: Date,
  options: { staleDays?: number; recentDays?: number; reachDays?: number; language?: string } = {},
): Promise<DirectoryReview> {
  const today = localDate(now);
  const staleBefore = addDays(today, -(options.staleDays ?? 183));
  const name = (id: string) => serviceName(directory, id, options.language ?? "fr");
  const stale = directory.services
    .filter((s) => s.active && (s.lastVerified === null || s.lastVerified < staleBefore))
    .map((s) => ({ id: s.id, name: name(s.id), lastVerified: s.lastVerified }))
    .sort((a, b) => (a.lastVerified ?? "").localeCompare(b.lastVerified ?? "") || a.id.localeCompare(b.id));
  const inactive = directory.services.filter((s) => !s.active).map((s) => s.id);
  const rows =
    inactive.length === 0
      ? []
      : await prisma.requestReferral.groupBy({ by: ["serviceId"], where: { serviceId: { in: inactive }, request: { date: { gte: addDays(today, -(options.recentDays ?? 7)) } } }, _count: { _all: true } });
  // Answered follow-ups are closed, and a closed row keeps no send date: the period is the request's date.
  const reach = await prisma.$queryRaw<{ id: string; answered: unknown; reached: unknown }[]>`
    SELECT f.service_id AS id, sum(CASE WHEN ${Prisma.raw(ANSWERED_SQL)} THEN 1 ELSE 0 END) AS answered, sum(CASE WHEN ${Prisma.raw(REACHED_SQL)} THEN 1 ELSE 0 END) AS reached
    FROM followup f JOIN request r ON r.id = f.request_id
    WHERE r.date >= ${addDays(today, -(options.reachDays ?? 90))}
    GROUP BY f.service_id`;
  const lowReach = reach
    .map((r) => ({ id: r.id, answered: Number(r.answered as number | bigint), reached: Number(r.reached as number | bigint) }))
    .filter((r) => r.answered >= LOW_REACH_MIN_ANSWERS && r.reached / r.answered < LOW_REACH_RATE)
    .map((r) => ({ id: r.id, name: name(r.id), answered: r.answered, reached: r.reached, rate: Math.round((r.reached / r.answered) * 10_000) / 10_000 }))
    .sort((a, b) => a.rate - b.rate || b.answered - a.answered || a.id.localeCompare(b.id));
  return { stale, inactiveReferred: rows.map((r) => ({ id: r.serviceId, name: name(r.serviceId), referrals: r._count._all })).sort((a, b) => b.referrals - a.referrals), lowReach };
}
