import type { Channel } from "../codes.js";
import type { EngineEvent } from "../engine/messages.js";
import type { FollowupOutcome } from "../engine/followup-settings.js";
import type { Prisma, PrismaClient } from "../generated/prisma/client.js";

type Tx = Prisma.TransactionClient;

/**
 * Where a follow-up is: `scheduled` (waiting for its day), `sending` (claimed by a worker, the question on its way),
 * `sent` (waiting for an answer or the reminder), `reminding`, `reminded` (waiting for an answer or expiry), then
 * `closed` with an outcome, or `cancelled` when it was never asked (stop, deletion, a conversation gone).
 */
export const FOLLOWUP_STATES = ["scheduled", "sending", "sent", "reminding", "reminded", "closed", "cancelled"] as const;
export type FollowupState = (typeof FOLLOWUP_STATES)[number];

/** States in which the question has gone out (or may have: a send that crashed counts as sent). */
const ASKED: FollowupState[] = ["sending", "sent", "reminding", "reminded"];
const OPEN: FollowupState[] = ["scheduled", ...ASKED];

const DAY_MS = 86_400_000;

/** A follow-up the scheduler has to act on. */
export interface DueFollowup {
  id: string;
  state: FollowupState;
  channel: Channel;
  conversationId: string | null;
  serviceId: string;
  /** The request's commune, to show the service's card from the right place. */
  commune: string | null;
  dueAt: Date;
}

/** Once closed a row keeps codes only: no conversation, no times. */
const CLOSED_CLEARS = { conversationId: null, dueAt: null, sentAt: null } as const;

/** The `followup` table: created by the person's consent, moved on by the scheduler and by the person's answers. */
export class FollowupStore {
  constructor(private readonly prisma: PrismaClient) {}

  /** A step's follow-up events, inside the transaction that saves the conversation. */
  async applyInTx(tx: Tx, conversationId: string, channel: Channel, event: EngineEvent, now: Date, newId: () => string): Promise<void> {
    switch (event.type) {
      case "followup_scheduled": {
        // One follow-up per request: a repeated event (a retried step) must not schedule a second one.
        const existing = await tx.followup.findFirst({ where: { requestId: event.requestId }, select: { id: true } });
        if (existing) return;
        await tx.followup.create({
          data: { id: newId(), requestId: event.requestId, serviceId: event.serviceId, channel, conversationId, state: "scheduled", dueAt: new Date(event.dueAt) },
        });
        return;
      }
      case "followup_answered": {
        const row = await tx.followup.findUnique({ where: { id: event.followupId }, select: { state: true, sentAt: true } });
        if (!row || !ASKED.includes(row.state as FollowupState)) return;
        await tx.followup.update({ where: { id: event.followupId }, data: { state: "closed", answer: event.answer, daysToAnswer: daysBetween(row.sentAt ?? now, now), ...CLOSED_CLEARS } });
        return;
      }
      case "followup_reason":
        await tx.followup.updateMany({ where: { id: event.followupId, answer: "could_not", reason: null }, data: { reason: event.reason } });
        return;
      case "followup_stopped": {
        if (event.followupId !== null) {
          const row = await tx.followup.findUnique({ where: { id: event.followupId }, select: { state: true, sentAt: true } });
          if (row && ASKED.includes(row.state as FollowupState)) {
            await tx.followup.update({ where: { id: event.followupId }, data: { state: "closed", answer: "stopped", daysToAnswer: daysBetween(row.sentAt ?? now, now), ...CLOSED_CLEARS } });
          }
        }
        await this.endForConversationInTx(tx, conversationId, "stopped");
        return;
      }
      default:
        return;
    }
  }

  /**
   * The person said stop or deleted their data: nothing more is sent. Follow-ups not yet asked are cancelled; those
   * asked and unanswered close with `outcome` (`stopped`, or `no_answer` for a deletion).
   */
  async endForConversationInTx(tx: Tx, conversationId: string, outcome: "stopped" | "no_answer"): Promise<void> {
    await tx.followup.updateMany({ where: { conversationId, state: "scheduled" }, data: { state: "cancelled", ...CLOSED_CLEARS } });
    await tx.followup.updateMany({ where: { conversationId, state: { in: ASKED } }, data: { state: "closed", answer: outcome, ...CLOSED_CLEARS } });
  }

  /** Follow-ups whose time has come (question, reminder, expiry, or a send's lease run out), oldest first. */
  async due(now: Date, limit: number, channels?: readonly Channel[]): Promise<DueFollowup[]> {
    const rows = await this.prisma.followup.findMany({
      where: { state: { in: OPEN }, dueAt: { lte: now }, ...(channels ? { channel: { in: [...channels] } } : {}) },
      orderBy: { dueAt: "asc" },
      take: limit,
      select: { id: true, state: true, channel: true, conversationId: true, serviceId: true, dueAt: true, request: { select: { commune: true } } },
    });
    return rows.map((r) => ({ id: r.id, state: r.state as FollowupState, channel: r.channel as Channel, conversationId: r.conversationId, serviceId: r.serviceId, commune: r.request.commune, dueAt: r.dueAt! }));
  }

  /**
   * Takes a follow-up for sending: `scheduled` → `sending`, or `sent` → `reminding`, only if it is still in the state
   * read (a conditional update: of several workers, one wins). The lease is when another worker may conclude the
   * sender crashed; the row is then counted as sent, never sent again.
   */
  async claim(id: string, from: "scheduled" | "sent", leaseUntil: Date): Promise<boolean> {
    const { count } = await this.prisma.followup.updateMany({ where: { id, state: from }, data: { state: from === "scheduled" ? "sending" : "reminding", dueAt: leaseUntil } });
    return count === 1;
  }

  /** The question went out: wait for an answer until the reminder. */
  async markSent(id: string, now: Date, reminderAt: Date): Promise<void> {
    await this.prisma.followup.updateMany({ where: { id, state: "sending" }, data: { state: "sent", sentAt: now, dueAt: reminderAt } });
  }

  /** The reminder went out: wait for an answer until expiry. */
  async markReminded(id: string, expiresAt: Date): Promise<void> {
    await this.prisma.followup.updateMany({ where: { id, state: "reminding" }, data: { state: "reminded", reminded: true, dueAt: expiresAt } });
  }

  /**
   * A send whose lease ran out (its worker crashed or hung): whether the message went is unknown, so it counts as
   * sent and is never sent again; the next step (reminder, expiry) follows as usual.
   */
  async recoverLease(id: string, from: "sending" | "reminding", now: Date, next: Date): Promise<boolean> {
    const { count } = await this.prisma.followup.updateMany({
      where: { id, state: from, dueAt: { lte: now } },
      data: from === "sending" ? { state: "sent", sentAt: now, dueAt: next } : { state: "reminded", reminded: true, dueAt: next },
    });
    return count === 1;
  }

  /** Not now (the person is writing, or a facilitator has the conversation): try again later, same state. */
  async postpone(id: string, state: FollowupState, until: Date): Promise<void> {
    await this.prisma.followup.updateMany({ where: { id, state }, data: { dueAt: until } });
  }

  /** A claimed follow-up that was not sent after all (the conversation changed meanwhile): back to waiting. */
  async release(id: string, claimed: "sending" | "reminding", until: Date): Promise<void> {
    await this.prisma.followup.updateMany({ where: { id, state: claimed }, data: { state: claimed === "sending" ? "scheduled" : "sent", dueAt: until } });
  }

  /** Ends a follow-up: never asked (`cancelled`), or closed with an outcome (`no_answer`, `undelivered`). */
  async close(id: string, from: FollowupState, outcome: Extract<FollowupOutcome, "no_answer" | "undelivered"> | "cancelled"): Promise<boolean> {
    const data = outcome === "cancelled" ? { state: "cancelled", ...CLOSED_CLEARS } : { state: "closed", answer: outcome, ...CLOSED_CLEARS };
    const { count } = await this.prisma.followup.updateMany({ where: { id, state: from }, data });
    return count === 1;
  }

  async byId(id: string) {
    return this.prisma.followup.findUnique({ where: { id } });
  }
}

function daysBetween(from: Date, to: Date): number {
  return Math.max(0, Math.floor((to.getTime() - from.getTime()) / DAY_MS));
}
