import type { Channel } from "../codes.js";
import type { Logger } from "pino";
import type { Content } from "../engine/context.js";
import { askFollowup } from "../engine/followup.js";
import { withinPoliteHours } from "../engine/followup-settings.js";
import type { ConversationStore } from "../store/conversations.js";
import type { DirectoryStore } from "../store/directory-store.js";
import type { DueFollowup, FollowupStore } from "../store/followups.js";
import { UndeliverableError, type Delivery } from "./delivery.js";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** How long a worker may take to send one follow-up before another concludes it crashed. */
const LEASE_MS = 10 * MINUTE;
/** Someone who wrote this recently is in a conversation: the question waits rather than interrupt it. */
const BUSY_MS = 15 * MINUTE;
/** A facilitator has the conversation: look again this much later. */
const IN_HANDOFF_RETRY_MS = 6 * HOUR;
/** Follow-ups looked at per run (every minute); the rest wait for the next run. */
const BATCH = 100;

export interface FollowupDeps {
  followups: FollowupStore;
  conversations: ConversationStore;
  delivery: Delivery;
  content: Content;
  directory: DirectoryStore;
  clock: () => Date;
  newId: () => string;
  logger: Logger;
}

/** What one run did, for logs and tests. */
export interface FollowupRun {
  sent: number;
  reminded: number;
  expired: number;
  /** Not sent now: outside polite hours, the person busy or with a facilitator, the channel not running here. */
  waiting: number;
  cancelled: number;
  undelivered: number;
  /** Sends whose worker died: counted as sent, never repeated. */
  recovered: number;
}

/**
 * Sends follow-up questions and their one reminder when due, expires unanswered ones. Due follow-ups are rows in the
 * database, not timers, so a restart loses none; each send is claimed first (a conditional update), so of several
 * workers one sends, and a crash after claiming never leads to a second send: at most once.
 */
export class FollowupScheduler {
  constructor(private readonly deps: FollowupDeps) {}

  /** Acts on the follow-ups that are due, on the given channels only (all when none is given). */
  async run(channels?: readonly Channel[]): Promise<FollowupRun> {
    const counts: FollowupRun = { sent: 0, reminded: 0, expired: 0, waiting: 0, cancelled: 0, undelivered: 0, recovered: 0 };
    const now = this.deps.clock();
    for (const due of await this.deps.followups.due(now, BATCH, channels)) {
      try {
        await this.act(due, now, counts);
      } catch (error) {
        this.deps.logger.error({ err: error, followup: due.id }, "a follow-up could not be processed; it is tried again at the next run");
      }
    }
    return counts;
  }

  private async act(due: DueFollowup, now: Date, counts: FollowupRun): Promise<void> {
    const settings = this.deps.content.followup;
    const { followups } = this.deps;
    switch (due.state) {
      case "reminded":
        if (await followups.close(due.id, "reminded", "no_answer")) counts.expired++;
        return;
      case "sending":
        if (await followups.recoverLease(due.id, "sending", now, new Date(now.getTime() + settings.reminder_after_hours * HOUR))) counts.recovered++;
        return;
      case "reminding":
        if (await followups.recoverLease(due.id, "reminding", now, new Date(now.getTime() + settings.expire_after_days * DAY))) counts.recovered++;
        return;
      case "scheduled":
      case "sent":
        return this.send(due, due.state, now, counts);
      default:
        return;
    }
  }

  private async send(due: DueFollowup, from: "scheduled" | "sent", now: Date, counts: FollowupRun): Promise<void> {
    const settings = this.deps.content.followup;
    const { followups, conversations } = this.deps;
    const reminder = from === "sent";
    const stored = due.conversationId === null ? null : await conversations.byId(due.conversationId);
    if (!stored) {
      // The person deleted their data or the conversation expired: nobody to ask.
      if (await followups.close(due.id, from, reminder ? "no_answer" : "cancelled")) counts.cancelled++;
      return;
    }
    if (!withinPoliteHours(settings, now) || !this.deps.delivery.canPush(due.channel)) {
      counts.waiting++;
      return;
    }
    if (now.getTime() - stored.updatedAt.getTime() < BUSY_MS) {
      await followups.postpone(due.id, from, new Date(stored.updatedAt.getTime() + BUSY_MS));
      counts.waiting++;
      return;
    }
    if (!(await followups.claim(due.id, from, new Date(now.getTime() + LEASE_MS)))) return;
    const claimed = reminder ? "reminding" : "sending";
    const question = askFollowup(stored.state, { id: due.id, serviceId: due.serviceId, commune: due.commune, reminder }, { content: this.deps.content, directory: await this.deps.directory.current(), now, newId: this.deps.newId });
    if ("held" in question) {
      if (question.held === "in_handoff") {
        await followups.release(due.id, claimed, new Date(now.getTime() + IN_HANDOFF_RETRY_MS));
        counts.waiting++;
      } else if (await followups.close(due.id, claimed, reminder ? "no_answer" : "cancelled")) counts.cancelled++;
      return;
    }
    // The state first, so that the answer finds its question; the bot's message does not count as the person's
    // activity (retention runs from their last message).
    if (!(await conversations.replaceState(stored.id, stored.version, question.state!, now, false))) {
      // The person wrote at this very moment: try again at the next run.
      await followups.release(due.id, claimed, now);
      counts.waiting++;
      return;
    }
    try {
      await this.deps.delivery.toConversation(stored.id, question.language, question.outbound, "followup");
    } catch (error) {
      const reason = error instanceof UndeliverableError ? error.code : "send_failed";
      this.deps.logger.warn({ followup: due.id, channel: due.channel, reason, err: error instanceof UndeliverableError ? undefined : error }, "a follow-up could not be delivered");
      if (reminder) await followups.markReminded(due.id, new Date(now.getTime() + settings.expire_after_days * DAY));
      else if (await followups.close(due.id, "sending", "undelivered")) counts.undelivered++;
      return;
    }
    if (reminder) {
      await followups.markReminded(due.id, new Date(now.getTime() + settings.expire_after_days * DAY));
      counts.reminded++;
    } else {
      await followups.markSent(due.id, now, new Date(now.getTime() + settings.reminder_after_hours * HOUR));
      counts.sent++;
    }
  }
}
