import type { Logger } from "pino";
import type { Channel } from "../codes.js";
import type { JobLeaseStore } from "../store/job-leases.js";
import type { Content } from "../engine/context.js";
import { abandon } from "../engine/abandon.js";
import { ConcurrentUpdateError, type ConversationStore } from "../store/conversations.js";
import type { DirectoryStore } from "../store/directory-store.js";
import type { RateLimits } from "../store/rate-limits.js";
import type { SessionStore } from "../accounts/sessions.js";
import type { HandoffService } from "../handoff/service.js";
import type { FollowupScheduler } from "./followups.js";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
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
  /** Several workers on one database: jobs run where their lease is taken. */
  leases?: JobLeaseStore;
  workerId?: string;
  /** Channels this worker can send to people on (follow-ups run per channel). */
  pushChannels?: () => Channel[];
  /** Sends what other workers queued for the channels this worker runs. */
  drainOutboxes?: () => Promise<number>;
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
export async function sendFollowups(deps: JobDeps, channels?: readonly Channel[]): Promise<void> {
  if (!deps.followups) return;
  const done = await deps.followups.run(channels);
  if (done.sent + done.reminded + done.expired + done.undelivered + done.recovered > 0) deps.logger.info(done, "follow-ups");
}

/** A job that runs once per interval across all workers. */
export interface ScheduledJob {
  /** The lease's name: one worker at a time holds it. */
  name: string;
  everyMs: number;
  run: () => Promise<unknown>;
}

/** How often each worker looks for jobs whose lease is free; a job runs at most this late. */
export const TICK_MS = 15_000;
const OUTBOX_MS = 3_000;

/**
 * The jobs and their intervals. Abandoned requests are logged before retention can delete their conversations (same
 * job, in that order). Follow-ups get a lease per channel: only a worker that can reach a channel sends on it, so a
 * worker without WhatsApp never holds WhatsApp's follow-ups back.
 */
export function scheduledJobs(deps: JobDeps): ScheduledJob[] {
  const jobs: ScheduledJob[] = [
    {
      name: "hourly",
      everyMs: HOUR,
      run: async () => {
        const abandoned = await abandonIdleRequests(deps);
        const purged = await purgeExpiredConversations(deps);
        await purgeShortLivedRecords(deps);
        if (abandoned + purged > 0) deps.logger.info({ abandoned, purged }, "scheduled jobs");
      },
    },
    { name: "handoff-reminders", everyMs: MINUTE, run: () => handoffReminders(deps) },
  ];
  for (const channel of deps.pushChannels?.() ?? []) {
    jobs.push({ name: `followups:${channel}`, everyMs: MINUTE, run: () => sendFollowups(deps, [channel]) });
  }
  return jobs;
}

/**
 * Runs every job whose lease this worker can take now. Without a lease store (a single process), every job runs.
 * Returns the names of the jobs this worker ran.
 */
export async function runDueJobs(deps: JobDeps): Promise<string[]> {
  const ran: string[] = [];
  for (const job of scheduledJobs(deps)) {
    const now = deps.clock().getTime();
    // A little under the interval, so that ticks a few milliseconds early do not skip a whole interval.
    if (deps.leases && !(await deps.leases.take(job.name, deps.workerId ?? "worker", now, job.everyMs - TICK_MS / 2))) continue;
    try {
      await job.run();
      ran.push(job.name);
      deps.logger.debug({ job: job.name, worker: deps.workerId }, "scheduled job ran");
    } catch (error) {
      deps.logger.error({ err: error, job: job.name }, "a scheduled job failed; any worker runs it again at its next tick");
      await deps.leases?.release(job.name, deps.workerId ?? "worker").catch(() => undefined);
    }
  }
  return ran;
}

/** Looks for due jobs now, then every TICK_MS. Returns a function that stops the timer. */
export function scheduleJobs(deps: JobDeps): { stop: () => void; runOnce: () => Promise<string[]> } {
  let running: Promise<string[]> | null = null;
  // One tick at a time: a slow hourly job must not be overtaken by the next tick.
  const runOnce = () => (running ??= runDueJobs(deps).finally(() => (running = null)));
  const timer = setInterval(() => void runOnce().catch((error: unknown) => deps.logger.error({ err: error }, "scheduled jobs could not run")), TICK_MS);
  timer.unref();
  // Messages other workers queued for a channel this one runs (a facilitator's reply to a WhatsApp user): soon.
  let draining = false;
  const outbox = setInterval(() => {
    if (draining || !deps.drainOutboxes) return;
    draining = true;
    deps
      .drainOutboxes()
      .catch((error: unknown) => deps.logger.warn({ err: error }, "queued messages could not all be sent; they are tried again"))
      .finally(() => (draining = false));
  }, OUTBOX_MS);
  outbox.unref();
  return {
    stop: () => {
      clearInterval(timer);
      clearInterval(outbox);
    },
    runOnce,
  };
}
