import type { Logger } from "pino";
import type { Content } from "../engine/context.js";
import { abandon } from "../engine/abandon.js";
import { ConcurrentUpdateError, type ConversationStore } from "../store/conversations.js";
import type { DirectoryStore } from "../store/directory-store.js";
import type { RateLimits } from "../store/rate-limits.js";
import type { SessionStore } from "../accounts/sessions.js";
import type { HandoffService } from "../handoff/service.js";
import type { FollowupScheduler } from "./followups.js";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface JobDeps {
  handoff?: HandoffService;
  followups?: FollowupScheduler;
  sessions?: SessionStore;
  handoffDelays?: { normalMs: number; urgentMs: number; noReplyMs: number };
  content: Content;
  conversations: ConversationStore;
  rateLimits: RateLimits;
  directory: DirectoryStore;
  clock: () => Date;
  newId: () => string;
  logger: Logger;
  retentionDays: number;
  abandonAfterHours: number;
}

/**
 * Requests begun and left idle for `abandonAfterHours` are logged as `abandoned` (the engine decides what that means;
 * this only finds them and saves the result). Returns how many.
 */
export async function abandonIdleRequests(deps: JobDeps): Promise<number> {
  const now = deps.clock();
  const before = new Date(now.getTime() - deps.abandonAfterHours * HOUR);
  const directory = await deps.directory.current();
  let count = 0;
  // One batch per run: the job runs hourly, and a batch that cannot be abandoned must not loop forever.
  const batch = await deps.conversations.idleWithOpenRequest(before, 1000);
  {
    for (const c of batch) {
      const result = abandon(c.state, { content: deps.content, directory, now, newId: deps.newId });
      if (!result) continue;
      try {
        // The row keeps its own time: retention counts from the person's last message, not from this job.
        await deps.conversations.saveStep({ channel: c.channel, userHash: c.userHash, previous: { id: c.id, version: c.version }, state: result.state, events: result.events, now: c.updatedAt, newId: deps.newId });
        count++;
      } catch (error) {
        // The person wrote meanwhile: their conversation is no longer idle.
        if (!(error instanceof ConcurrentUpdateError)) throw error;
      }
    }
  }
  return count;
}

/** Deletes conversations idle longer than the retention setting. Returns how many. */
export async function purgeExpiredConversations(deps: JobDeps): Promise<number> {
  return deps.conversations.purgeIdle(new Date(deps.clock().getTime() - deps.retentionDays * DAY));
}

/** Forgets handled-update ids after a week and rate counters after an hour: both are only needed briefly. */
export async function purgeShortLivedRecords(deps: JobDeps): Promise<number> {
  const now = deps.clock().getTime();
  return (await deps.conversations.purgeProcessedUpdates(new Date(now - 7 * DAY))) + (await deps.rateLimits.purge(now - HOUR));
}

/** Re-announces unclaimed tickets, flags silent ones, drops expired staff sessions. Every minute. */
export async function handoffReminders(deps: JobDeps): Promise<{ reminded: number; flagged: number }> {
  if (deps.sessions) await deps.sessions.purgeExpired(deps.clock());
  if (!deps.handoff || !deps.handoffDelays) return { reminded: 0, flagged: 0 };
  return deps.handoff.remind(deps.handoffDelays);
}

/** Follow-up questions, reminders and expiries that are due. Every minute. */
export async function sendFollowups(deps: JobDeps): Promise<void> {
  if (!deps.followups) return;
  const done = await deps.followups.run();
  if (done.sent + done.reminded + done.expired + done.undelivered + done.recovered > 0) deps.logger.info(done, "follow-ups");
}

/**
 * Runs the jobs now and then on a timer: abandoned requests hourly, then retention, so that a request is always
 * logged before its conversation can expire. Returns a function that stops the timers.
 */
export function scheduleJobs(deps: JobDeps): { stop: () => void; runOnce: () => Promise<void> } {
  const runOnce = async () => {
    try {
      const abandoned = await abandonIdleRequests(deps);
      const purged = await purgeExpiredConversations(deps);
      await purgeShortLivedRecords(deps);
      if (abandoned + purged > 0) deps.logger.info({ abandoned, purged }, "scheduled jobs");
    } catch (error) {
      deps.logger.error({ err: error }, "a scheduled job failed; it will run again at the next interval");
    }
  };
  const timer = setInterval(() => void runOnce(), HOUR);
  timer.unref();
  const minute = setInterval(() => {
    handoffReminders(deps).catch((error: unknown) => deps.logger.error({ err: error }, "ticket reminders failed; they run again in a minute"));
    sendFollowups(deps).catch((error: unknown) => deps.logger.error({ err: error }, "follow-ups failed; they run again in a minute"));
  }, 60_000);
  minute.unref();
  return {
    stop: () => {
      clearInterval(timer);
      clearInterval(minute);
    },
    runOnce,
  };
}
