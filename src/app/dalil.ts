import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { resolve } from "node:path";
import type { Logger } from "pino";
import type { Config } from "../config.js";
import { loadContent, type LoadedContent } from "../content/load.js";
import { SessionStore } from "../accounts/sessions.js";
import { UserStore } from "../accounts/users.js";
import { HandoffService } from "../handoff/service.js";
import { TicketStore } from "../handoff/tickets.js";
import { ConversationStore } from "../store/conversations.js";
import { isPostgresUrl } from "../store/postgres.js";
import { openDatabase, type Database } from "../store/database.js";
import { DirectoryStore } from "../store/directory-store.js";
import { RateLimits } from "../store/rate-limits.js";
import { monthlyPersonKey, resolveSecret } from "../store/secret.js";
import { Sealer } from "../store/sealed.js";
import { ConversationService } from "./conversations.js";
import { Delivery } from "./delivery.js";
import { FollowupScheduler } from "./followups.js";
import { FollowupStore } from "../store/followups.js";
import { scheduleJobs, type JobDeps } from "./jobs.js";
import { JobLeaseStore } from "../store/job-leases.js";
import { SendFailureStore } from "../store/send-failures.js";

/** Everything a channel needs, started once: content, database, the conversation service and the jobs. */
export interface Dalil {
  loaded: LoadedContent;
  db: Database;
  conversations: ConversationService;
  conversationStore: ConversationStore;
  tickets: TicketStore;
  handoff: HandoffService;
  /** Where channels register how to reach a person who has not just written (replies, follow-ups). */
  delivery: Delivery;
  /** Sends due follow-up questions (every minute with the jobs; tests call `run()` with their clock). */
  followups: FollowupScheduler;
  followupStore: FollowupStore;
  sendFailures: SendFailureStore;
  users: UserStore;
  sessions: SessionStore;
  config: Config;
  directory: DirectoryStore;
  rateLimits: RateLimits;
  secret: Buffer;
  jobs: { runOnce: () => Promise<string[]>; stop: () => void };
  jobDeps: JobDeps;
  close(): Promise<void>;
}

export interface StartOptions {
  root: string;
  logger: Logger;
  clock?: () => Date;
  newId?: () => string;
  /** Run the scheduled jobs now and on their timers (default true). */
  jobs?: boolean;
  /** Content folders, for tests. */
  loaded?: LoadedContent;
}

/**
 * Start-up: check all content (a broken file stops here, listing every problem), open the database and apply pending
 * migrations, read or generate the secret, import the sample directory into an empty database, run the jobs.
 */
export async function startDalil(config: Config, options: StartOptions): Promise<Dalil> {
  const { logger } = options;
  const clock = options.clock ?? (() => new Date());
  const newId = options.newId ?? randomUUID;
  const loaded = options.loaded ?? loadContent({ root: options.root });
  // Before the database is touched: with PostgreSQL, workers that generated their own secrets would not recognise
  // each other's people.
  const { secret, generated } = resolveSecret({
    fromEnv: config.DALIL_SECRET,
    file: resolve(options.root, config.DALIL_VAR_DIR, "secret.key"),
    mayGenerate: !isPostgresUrl(config.DATABASE_URL),
  });
  const db = await openDatabase(config.DATABASE_URL, { root: options.root, poolSize: config.DATABASE_POOL_SIZE });
  if (db.migrations.applied.length > 0) logger.info({ applied: db.migrations.applied }, "database migrated");
  if (generated) logger.info(`generated a secret into ${config.DALIL_VAR_DIR}/secret.key (keep it: it keys the person hashes)`);
  const directory = new DirectoryStore(db.prisma);
  if (await directory.isEmpty()) {
    const report = await directory.import(loaded.directoryFiles, clock());
    logger.info({ services: report.services }, "empty directory: imported data/directory");
  }
  const tickets = new TicketStore(db.prisma);
  const followupStore = new FollowupStore(db.prisma);
  const conversationStore = new ConversationStore(db.prisma, tickets, followupStore, (month, userHash) => monthlyPersonKey(secret, month, userHash));
  const rateLimits = new RateLimits(db.prisma);
  const addressSealer = new Sealer(secret, "address");
  const sendFailures = new SendFailureStore(db.prisma);
  const conversations = new ConversationService({
    content: loaded.content,
    conversations: conversationStore,
    rateLimits,
    rateLimit: { messages: config.DALIL_RATE_LIMIT_MESSAGES, windowMs: config.DALIL_RATE_LIMIT_WINDOW_SECONDS * 1000, globalPerMinute: config.DALIL_RATE_LIMIT_GLOBAL_PER_MINUTE },
    storageRetryMs: config.DALIL_STORAGE_RETRY_SECONDS * 1000,
    sendFailures,
    directory,
    secret,
    clock,
    newId,
    logger,
    addressSealer,
    facilitatorHours: config.FACILITATOR_HOURS,
  });
  const delivery = new Delivery({ conversations: conversationStore, conversationService: conversations, addressSealer, defaultLanguage: loaded.content.i18n.defaultLanguage, sendFailures, clock });
  const handoff = new HandoffService({
    prisma: db.prisma,
    tickets,
    conversations: conversationStore,
    content: loaded.content,
    directory,
    delivery,
    clock,
    newId,
    logger,
  });
  conversations.setHandoffListener(handoff.listener());
  const followups = new FollowupScheduler({ followups: followupStore, conversations: conversationStore, delivery, content: loaded.content, directory, clock, newId, logger });
  const users = new UserStore(db.prisma);
  const sessions = new SessionStore(db.prisma);
  const jobDeps: JobDeps = {
    content: loaded.content,
    conversations: conversationStore,
    rateLimits,
    directory,
    clock,
    newId,
    logger,
    retentionDays: config.DALIL_RETENTION_DAYS,
    abandonAfterHours: config.DALIL_ABANDON_AFTER_HOURS,
    handoff,
    sessions,
    followups,
    leases: new JobLeaseStore(db.prisma),
    workerId: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
    pushChannels: () => delivery.pushChannels(),
    drainOutboxes: () => delivery.drainOutboxes(),
    handoffDelays: {
      normalMs: config.HANDOFF_REMINDER_MINUTES * 60_000,
      urgentMs: config.HANDOFF_URGENT_REMINDER_MINUTES * 60_000,
      noReplyMs: config.HANDOFF_NO_REPLY_HOURS * 3_600_000,
    },
  };
  const jobs = options.jobs === false ? { stop: () => {}, runOnce: () => Promise.resolve([]) } : scheduleJobs(jobDeps);
  if (options.jobs !== false) await jobs.runOnce();
  return {
    loaded,
    db,
    conversations,
    conversationStore,
    tickets,
    handoff,
    delivery,
    followups,
    followupStore,
    sendFailures,
    users,
    sessions,
    config,
    directory,
    rateLimits,
    secret,
    jobs,
    jobDeps,
    close: async () => {
      jobs.stop();
      await db.close();
    },
  };
}
