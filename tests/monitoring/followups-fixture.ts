/**
 * The follow-up fixture shared by tests/monitoring/followups*.test.ts and tests/cli/report-followup.test.ts: request
 * rows with their referrals and follow-up rows written directly, so that every figure can be computed by hand.
 *
 * First quarter 2026, Souss-Massa. Three services of the sample directory:
 * - A `svc-cs-inezgane-soins` (Inezgane), the first referral of 20 requests;
 * - B `svc-sante-solidaire-acces-soins` (Inezgane), the second referral of 6 of A's requests, the first of 3 more;
 * - C `svc-baom-inezgane-orientation`, the first referral of 8 requests from Agadir: few reach it.
 * Only the first referral is followed up. 31 requests, 37 referrals. Plus five requests of October 2025 (outside the
 * quarter and the review's 90 days) where C helped.
 */
import type { PrismaClient } from "../../src/generated/prisma/client.js";

export const A = "svc-cs-inezgane-soins";
export const B = "svc-sante-solidaire-acces-soins";
export const C = "svc-baom-inezgane-orientation";
export const INEZGANE = "09.273.01.15";
export const AGADIR = "09.001.01.01";
export const Q1 = { from: "2026-01-01", to: "2026-03-31", region: "09" };
/** The day of the weekly review: its 90 days start on 2026-01-15. */
export const REVIEW_DAY = new Date("2026-04-15T10:00:00Z");

/** A follow-up as the scheduler and the answers leave it: the state, then the answer and the reason if any. */
type Followup = null | { state: string; answer?: string; reason?: string };
const asked = (answer: string, reason?: string): Followup => ({ state: "closed", answer, ...(reason ? { reason } : {}) });
const open = (state: string): Followup => ({ state });

interface Group {
  sex: string;
  commune: string;
  date: string;
  /** The services offered, rank 1 first. */
  services: string[];
  /** One follow-up per request (of the rank-1 service), in order. */
  followups: Followup[];
}

export const GROUPS: Group[] = [
  // A, 12 women (4 of them also offered B): asked 11 (not the one without a row), answered 10 (not the waiting one),
  // reached 6 + 2 = 8, helped 6.
  { sex: "female", commune: INEZGANE, date: "2026-02-10", services: [A, B], followups: [asked("helped"), asked("helped"), asked("reached_not_helped"), asked("could_not", "too_far")] },
  { sex: "female", commune: INEZGANE, date: "2026-02-11", services: [A], followups: [asked("helped"), asked("helped"), asked("helped"), asked("helped"), asked("reached_not_helped"), asked("not_yet"), open("sent"), null] },
  // A, 7 men (2 also offered B): asked 6 (not the scheduled one), answered 5 (not "stopped"), reached 5, helped 3.
  { sex: "male", commune: INEZGANE, date: "2026-03-02", services: [A, B], followups: [asked("helped"), asked("reached_not_helped")] },
  { sex: "male", commune: INEZGANE, date: "2026-03-03", services: [A], followups: [asked("helped"), asked("helped"), asked("reached_not_helped"), asked("stopped"), open("scheduled")] },
  // A, one person who did not say their sex: helped.
  { sex: "undisclosed", commune: INEZGANE, date: "2026-03-04", services: [A], followups: [asked("helped")] },
  // B first, 3 women: the undelivered question was never asked; asked 2, answered 2, reached 0.
  { sex: "female", commune: INEZGANE, date: "2026-03-10", services: [B], followups: [asked("could_not"), asked("not_yet"), asked("undelivered")] },
  // C, 4 women: the cancelled one was never asked; asked 3, answered 3, reached 1, helped 0.
  { sex: "female", commune: AGADIR, date: "2026-03-12", services: [C], followups: [asked("reached_not_helped"), asked("could_not", "documents"), asked("could_not", "cost"), { state: "cancelled", answer: "stopped" }] },
  // C, 4 men: asked 4, answered 3 (not the expired one), reached 0.
  { sex: "male", commune: AGADIR, date: "2026-03-13", services: [C], followups: [asked("could_not", "documents"), asked("could_not", "documents"), asked("could_not"), asked("no_answer")] },
  // Outside the quarter and the review's 90 days: C helped five women.
  { sex: "female", commune: AGADIR, date: "2025-10-05", services: [C], followups: [asked("helped"), asked("helped"), asked("helped"), asked("helped"), asked("helped")] },
];

/** Writes the fixture's requests, referrals and follow-ups. */
export async function addFollowupFixture(prisma: PrismaClient): Promise<void> {
  let n = 0;
  for (const group of GROUPS) {
    for (const followup of group.followups) {
      const id = `fu-request-${++n}`;
      await prisma.request.create({
        data: {
          id,
          date: group.date,
          channel: "telegram",
          language: "fr",
          region: group.commune.slice(0, 2),
          commune: group.commune,
          urgent: false,
          sex: group.sex,
          ageBand: "18-59",
          status: "migrant",
          outcome: "referred",
          categories: { create: [{ category: "health", rank: 1 }] },
          referrals: { create: group.services.map((serviceId, i) => ({ serviceId, rank: i + 1 })) },
        },
      });
      if (followup) {
        await prisma.followup.create({
          data: { id: `fu-${n}`, requestId: id, serviceId: group.services[0]!, channel: "telegram", state: followup.state, answer: followup.answer ?? null, reason: followup.reason ?? null },
        });
      }
    }
  }
}
