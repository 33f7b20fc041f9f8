import type { Logger } from "pino";
import type { Channel } from "../codes.js";
import type { Content } from "../engine/context.js";
import { createHmac } from "node:crypto";
import { EventEmitter } from "node:events";
import type { Inbound, Outbound, RelayedMessage } from "../engine/messages.js";
import { step, type StepResult } from "../engine/step.js";
import { ConcurrentUpdateError, DuplicateUpdateError, type ConversationStore, type SavedStep } from "../store/conversations.js";
import type { Sealer } from "../store/sealed.js";
import type { WeeklyHours } from "../directory/schema.js";
import type { RateLimits } from "../store/rate-limits.js";
import type { DirectoryStore } from "../store/directory-store.js";
import { personHash } from "../store/secret.js";
import { DEFAULT_GLOBAL_PER_MINUTE } from "../config.js";
import { withStorageRetry } from "../store/transient.js";
import { sendErrorCode, type SendFailureStore, type SendPurpose } from "../store/send-failures.js";

/** Told after a save that opened a ticket or added the person's message to one (the facilitators' side listens). */
export interface HandoffListener {
  ticketOpened(ticketId: number): Promise<void>;
  personWrote(ticketId: number, message: RelayedMessage, urgent: boolean): Promise<void>;
}

export interface ConversationDeps {
  content: Content;
  /** Seals channel addresses (chat ids) before they are stored. */
  addressSealer: Sealer;
  /** When facilitators answer (Africa/Casablanca); unset means always. */
  facilitatorHours?: WeeklyHours;
  conversations: ConversationStore;
  rateLimits: RateLimits;
  /** Messages one person may send per window before being asked to slow down. */
  rateLimit: {
    messages: number;
    windowMs: number;
    /** Messages from everyone together, on all channels, per minute (0: none); DEFAULT_GLOBAL_PER_MINUTE when not given. */
    globalPerMinute?: number;
  };
  directory: DirectoryStore;
  secret: Buffer;
  clock: () => Date;
  newId: () => string;
  logger: Logger;
  /** How long a message waits for a briefly unavailable database before the channel is told to keep it. */
  storageRetryMs?: number;
  sendFailures?: SendFailureStore;
}

/** What became of a message from a person. */
export type Received =
  | { kind: "replied"; result: StepResult }
  /** The channel delivered this update before and it was handled then: send nothing. */
  | { kind: "duplicate" }
  /** Over the rate limit: the message is not read. `notice` is set the first time in the window (say it, once). */
  | { kind: "limited"; notice: StepResult | null };

export interface ReceiveOptions {
  /** The platform's id of this update: a second delivery of it is recognised and not handled again. */
  dedupeKey?: string;
  /** Where to reach the person later on their channel (sealed before it is stored). */
  address?: string;
  /** Called once if the database keeps the person waiting (say "one moment"). */
  onSlow?: () => void | Promise<void>;
}

/** Channels that can reach a person days later, where follow-ups are offered (the web chat cannot). */
const FOLLOWUP_CHANNELS: readonly Channel[] = ["telegram", "whatsapp"];

/** How many times a message is re-applied when another message of the same person was saved first. */
const MAX_ATTEMPTS = 8;

/**
 * The one way a message from a person reaches the engine, whatever the channel: read the conversation, run one step,
 * save the new state with the step's events in one transaction, and hand the replies back to the channel. Two
 * messages of one person handled at once are applied one after the other (optimistic versioning), neither lost.
 */
export class ConversationService {
  constructor(private readonly deps: ConversationDeps) {}

  /** The language and direction a person's conversation is in, for channels that lay out later messages. */
  async languageOf(channel: Channel, userId: string): Promise<{ language: string; dir: "ltr" | "rtl" }> {
    const stored = await this.deps.conversations.find(channel, personHash(this.deps.secret, channel, userId));
    const language = stored?.state.language ?? this.deps.content.i18n.defaultLanguage;
    return { language, dir: this.deps.content.i18n.dir(language) };
  }

  /** Messages for a person that arrive without them writing, kept until their channel collects them. */
  async deliverLater(channel: Channel, userId: string, messages: readonly Outbound[]): Promise<boolean> {
    const delivered = await this.deps.conversations.pushOutbox(channel, personHash(this.deps.secret, channel, userId), messages);
    if (delivered) this.waiting.emit(this.waitKey(channel, userId));
    return delivered;
  }

  /** Messages waiting for a person, taken (each is given out once). */
  async collect(channel: Channel, userId: string): Promise<Outbound[]> {
    return this.deps.conversations.takeOutbox(channel, personHash(this.deps.secret, channel, userId));
  }

  /**
   * Resolves when a message for the person may have arrived: at once when it was left by this process, otherwise
   * after `pollMs` (another process may have left it in the database).
   */
  waitForMessages(channel: Channel, userId: string, pollMs: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const key = this.waitKey(channel, userId);
      const done = () => {
        clearTimeout(timer);
        this.waiting.off(key, done);
        signal.removeEventListener("abort", done);
        resolve();
      };
      const timer = setTimeout(done, pollMs);
      this.waiting.on(key, done);
      signal.addEventListener("abort", done, { once: true });
    });
  }

  private readonly waiting = new EventEmitter().setMaxListeners(0);
  private waitKey(channel: Channel, userId: string): string {
    return personHash(this.deps.secret, channel, userId);
  }

  /**
   * A message from a channel: refused politely past the rate limit, skipped when the channel delivered it before
   * (`dedupeKey`, the platform's update or message id), otherwise handled.
   */
  private handoffListener: HandoffListener | null = null;

  /** The facilitators' side, wired once the channels exist. */
  setHandoffListener(listener: HandoffListener): void {
    this.handoffListener = listener;
  }

  /**
   * A message from a person, handled once. While the database is briefly unavailable the whole of it (dedupe, rate
   * limit, step and save) is tried again with backoff; past `slowAfterMs` the channel's `onSlow` tells the person to
   * wait a moment. Past the budget it throws StorageUnavailableError: the channel must keep the message (Telegram
   * redelivers an update it was not told was handled; WhatsApp's are stored on receipt).
   */
  async receive(channel: Channel, userId: string, inbound: Inbound, options: ReceiveOptions = {}): Promise<Received> {
    return withStorageRetry(() => this.receiveOnce(channel, userId, inbound, options), {
      budgetMs: this.deps.storageRetryMs ?? 15_000,
      slowAfterMs: 2_000,
      ...(options.onSlow ? { onSlow: options.onSlow } : {}),
      // The logger keeps only the error's type, code and scrubbed first line (a driver's message can quote values).
      onRetry: (attempt, error) => this.deps.logger.warn({ channel, attempt, err: error }, "database unavailable: retrying"),
    });
  }

  private async receiveOnce(channel: Channel, userId: string, inbound: Inbound, options: { dedupeKey?: string; address?: string } = {}): Promise<Received> {
    const userHash = personHash(this.deps.secret, channel, userId);
    // Platform ids can embed a phone number (WhatsApp's do): only a keyed hash of them is stored.
    const dedupeKey = options.dedupeKey === undefined ? undefined : this.updateKey(channel, options.dedupeKey);
    if (dedupeKey !== undefined && (await this.deps.conversations.seen(channel, dedupeKey))) return { kind: "duplicate" };
    const rate = await this.deps.rateLimits.hit(userHash, { limit: this.deps.rateLimit.messages, windowMs: this.deps.rateLimit.windowMs, nowMs: this.deps.clock().getTime() });
    if (!rate.allowed) return { kind: "limited", notice: rate.firstRefusal ? await this.notice(channel, userId, "common:rate_limited") : null };
    // Everyone together (a flood from many accounts): the same polite notice, once per person and minute.
    const globalLimit = this.deps.rateLimit.globalPerMinute ?? DEFAULT_GLOBAL_PER_MINUTE;
    if (globalLimit > 0) {
      const nowMs = this.deps.clock().getTime();
      const all = await this.deps.rateLimits.hitShared("messages-global", { limit: globalLimit, windowMs: 60_000, nowMs });
      if (!all.allowed) {
        const once = await this.deps.rateLimits.hit(`messages-global-notice:${userHash}`, { limit: 0, windowMs: 60_000, nowMs });
        return { kind: "limited", notice: once.firstRefusal ? await this.notice(channel, userId, "common:rate_limited") : null };
      }
    }
    try {
      return { kind: "replied", result: await this.handle(channel, userId, inbound, { ...(dedupeKey === undefined ? {} : { dedupeKey }), ...(options.address === undefined ? {} : { address: options.address }) }) };
    } catch (error) {
      if (error instanceof DuplicateUpdateError) return { kind: "duplicate" };
      throw error;
    }
  }

  /** Facilitators hear of new tickets and of the person's messages after the save, never before. */
  private async tellFacilitators(saved: SavedStep): Promise<void> {
    const listener = this.handoffListener;
    if (!listener) return;
    try {
      if (saved.openedTicket !== null) await listener.ticketOpened(saved.openedTicket);
      for (const r of saved.relayedTo) await listener.personWrote(r.ticketId, r.message, r.urgent);
    } catch (error) {
      // The person's message is saved in the ticket; the inbox shows it even if a notification failed.
      this.deps.logger.error({ err: error }, "could not notify facilitators");
    }
  }

  /** Messages for a conversation found by id (a facilitator's reply on the web chat), kept until the page collects them. */
  async deliverToWebConversation(userHash: string, messages: readonly Outbound[]): Promise<boolean> {
    const delivered = await this.deps.conversations.pushOutbox("web", userHash, messages);
    if (delivered) this.waiting.emit(userHash);
    return delivered;
  }

  /** The keyed hash under which a channel's update id is remembered. */
  updateKey(channel: Channel, platformId: string): string {
    return createHmac("sha256", this.deps.secret).update(`update\u0000${channel}\u0000${platformId}`).digest("hex").slice(0, 40);
  }

  /** A one-line answer outside the conversation (the state does not move), in the person's language. */
  private async notice(channel: Channel, userId: string, key: string): Promise<StepResult> {
    const { language, dir } = await this.languageOf(channel, userId);
    return { state: null, outbound: [{ text: this.deps.content.i18n.t(language, key), role: "notice" }], events: [], language, dir };
  }

  /** One message, handled: read, step, save (no rate limit; `receive` is what channels call). */
  async handle(channel: Channel, userId: string, inbound: Inbound, options: { dedupeKey?: string; address?: string } = {}): Promise<StepResult> {
    const userHash = personHash(this.deps.secret, channel, userId);
    const sealedAddress = options.address === undefined ? undefined : this.deps.addressSealer.seal(options.address);
    for (let attempt = 1; ; attempt++) {
      const stored = await this.deps.conversations.find(channel, userHash);
      const now = this.deps.clock();
      const result = step(stored?.state ?? null, inbound, {
        content: this.deps.content,
        directory: await this.deps.directory.current(),
        now,
        newId: this.deps.newId,
        ...(this.deps.facilitatorHours ? { facilitatorHours: this.deps.facilitatorHours } : {}),
        canFollowUp: FOLLOWUP_CHANNELS.includes(channel),
      });
      let saved: SavedStep;
      try {
        saved = await this.deps.conversations.saveStep({
          channel,
          userHash,
          previous: stored ? { id: stored.id, version: stored.version } : null,
          state: result.state,
          events: result.events,
          now,
          newId: this.deps.newId,
          ...(options.dedupeKey !== undefined ? { dedupeKey: options.dedupeKey } : {}),
          ...(sealedAddress !== undefined ? { sealedAddress } : {}),
        });
      } catch (error) {
        if (error instanceof ConcurrentUpdateError && attempt < MAX_ATTEMPTS) continue;
        throw error;
      }
      await this.tellFacilitators(saved);
      for (const event of result.events) {
        if (event.type === "error") this.deps.logger.warn({ channel, code: event.code, extra: event.extra }, "content problem met in a conversation");
      }
      return result;
    }
  }

  /**
   * A channel could not deliver messages to a person after its own retries: recorded for the operator (codes and the
   * conversation, no text), so that it is never silently dropped. Never throws: the failure is already being handled.
   */
  async recordSendFailure(channel: Channel, userId: string, purpose: SendPurpose, error: unknown, messages: number): Promise<void> {
    const code = sendErrorCode(error);
    this.deps.logger.error({ channel, purpose, code, messages }, "messages could not be delivered; recorded in send_failure");
    try {
      const stored = await this.deps.conversations.find(channel, personHash(this.deps.secret, channel, userId));
      await this.deps.sendFailures?.record({ at: this.deps.clock(), channel, purpose, code, messages, conversationId: stored?.id ?? null });
    } catch (recordError) {
      this.deps.logger.error({ channel, purpose, err: recordError }, "a send failure could not be recorded");
    }
  }
}
