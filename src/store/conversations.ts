import type { Channel } from "../codes.js";
import { hasOpenRequest } from "../engine/abandon.js";
import type { EngineEvent, Outbound, RelayedMessage } from "../engine/messages.js";
import type { TicketStore } from "../handoff/tickets.js";
import type { ConversationState } from "../engine/state.js";
import type { PrismaClient } from "../generated/prisma/client.js";
import type { FollowupStore } from "./followups.js";
import { writeRequest } from "./request-log.js";
import { fromSqliteDateTime, prepared, sqliteConnectionOf, sqliteDateTime } from "./sqlite.js";
import type BetterSqlite3 from "better-sqlite3";

export interface StoredConversation {
  id: string;
  channel: Channel;
  userHash: string;
  state: ConversationState;
  version: number;
  updatedAt: Date;
}

/** The channel update was already handled (by this process before a crash, or by another worker). */
export class DuplicateUpdateError extends Error {
  constructor(readonly key: string) {
    super(`Update ${key} was already handled`);
    this.name = "DuplicateUpdateError";
  }
}

/** Another save of the same conversation came first: read it again and redo the step. */
export class ConcurrentUpdateError extends Error {
  constructor(readonly conversationId: string) {
    super(`Conversation ${conversationId} was changed by another save; retry on the fresh state`);
    this.name = "ConcurrentUpdateError";
  }
}

export interface SaveStep {
  channel: Channel;
  userHash: string;
  /** What was read before the step; null for a new conversation. */
  previous: { id: string; version: number } | null;
  /** The state to keep, or null to forget the conversation (delete my data). */
  state: ConversationState | null;
  events: readonly EngineEvent[];
  /** The channel's id of the update being handled: recorded in the same transaction, so it is handled once. */
  dedupeKey?: string;
  /** Where to reach the person later (sealed), when their channel can be reached. */
  sealedAddress?: string;
  /** The time of the person's activity; a job acting on an idle conversation passes the row's own `updatedAt`, so
   * that retention still counts from the person's last message. */
  now: Date;
  newId: () => string;
}

/** What a save did besides the state: the ticket it opened, the messages it added to an open ticket. */
export interface SavedStep {
  conversationId: string | null;
  openedTicket: number | null;
  relayedTo: { ticketId: number; message: RelayedMessage; urgent: boolean }[];
}

/** Reads and writes conversations; the only place that knows how a person's conversation is stored. */
export class ConversationStore {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly tickets: TicketStore,
    private readonly followups: FollowupStore,
    /** The month's keyed hash of a person, for counting people reached (see `person_month`). */
    private readonly peopleKey: (month: string, userHash: string) => string,
  ) {}

  async find(channel: Channel, userHash: string): Promise<StoredConversation | null> {
    const sqlite = sqliteConnectionOf(this.prisma);
    if (sqlite) {
      // The driver directly (see sqliteConnectionOf): the same row, a hundredth of the cost.
      const row = prepared(sqlite, "SELECT id, state, version, updated_at FROM conversation WHERE channel = ? AND user_hash = ?").get(channel, userHash) as
        | { id: string; state: string; version: number; updated_at: string | number }
        | undefined;
      if (!row) return null;
      return { id: row.id, channel, userHash, state: JSON.parse(row.state) as ConversationState, version: row.version, updatedAt: fromSqliteDateTime(row.updated_at) };
    }
    const row = await this.prisma.conversation.findUnique({ where: { channel_userHash: { channel, userHash } } });
    if (!row) return null;
    return { id: row.id, channel: row.channel as Channel, userHash: row.userHash, state: JSON.parse(row.state) as ConversationState, version: row.version, updatedAt: row.updatedAt };
  }

  /**
   * Saves the state and the step's events in one transaction: the conversation row (checked against the version that
   * was read), the request log rows, and deletion when the person asked for it. Throws ConcurrentUpdateError when the
   * row changed since it was read; nothing is written then.
   */
  async saveStep(save: SaveStep): Promise<SavedStep> {
    const sqlite = sqliteConnectionOf(this.prisma);
    // A Prisma transaction open on the same connection (a ticket, a follow-up, a directory edit, in flight across
    // awaits) would take these statements in: then the Prisma way below, which waits for it.
    if (sqlite && !sqlite.inTransaction && isPlainSave(save)) return saveOnSqlite(sqlite, save, this.peopleKey);
    return this.prisma.$transaction(async (tx) => {
      const saved: SavedStep = { conversationId: save.previous?.id ?? null, openedTicket: null, relayedTo: [] };
      if (save.dedupeKey !== undefined) {
        // ON CONFLICT rather than catching the violation: on PostgreSQL a failed statement aborts the transaction.
        const inserted = await tx.$executeRaw`INSERT INTO processed_update (channel, key, seen_at) VALUES (${save.channel}, ${save.dedupeKey}, ${save.now}) ON CONFLICT DO NOTHING`;
        if (inserted === 0) throw new DuplicateUpdateError(save.dedupeKey);
      }
      const forget = save.state === null || save.events.some((e) => e.type === "delete_requested");
      if (forget) {
        // Nothing more is sent to someone who deleted their data; the follow-up rows keep their codes only.
        if (save.previous) await this.followups.endForConversationInTx(tx, save.previous.id, "no_answer");
        await tx.conversation.deleteMany({ where: { channel: save.channel, userHash: save.userHash } });
      } else if (save.previous) {
        const updated = await tx.conversation.updateMany({
          where: { id: save.previous.id, version: save.previous.version },
          data: {
            state: JSON.stringify(save.state),
            version: save.previous.version + 1,
            openRequest: hasOpenRequest(save.state!),
            updatedAt: save.now,
            ...(save.sealedAddress !== undefined ? { address: save.sealedAddress } : {}),
          },
        });
        if (updated.count !== 1) throw new ConcurrentUpdateError(save.previous.id);
      } else {
        const existing = await tx.conversation.findUnique({ where: { channel_userHash: { channel: save.channel, userHash: save.userHash } }, select: { id: true } });
        if (existing) throw new ConcurrentUpdateError(existing.id);
        saved.conversationId = save.newId();
        // Two first messages of one person at two workers: the second create fails on the unique key and is retried.
        await tx.conversation
          .create({
          data: {
            id: saved.conversationId,
            channel: save.channel,
            userHash: save.userHash,
            state: JSON.stringify(save.state),
            version: 1,
            openRequest: hasOpenRequest(save.state!),
            createdAt: save.now,
            updatedAt: save.now,
            address: save.sealedAddress ?? null,
          },
          })
          .catch((error: unknown) => {
            throw isUniqueViolation(error) ? new ConcurrentUpdateError(save.userHash) : error;
          });
      }
      for (const event of save.events) {
        if (event.type === "request_logged") {
          await writeRequest(tx, save.channel, event.request);
          const month = event.request.date.slice(0, 7);
          // Counted once per person, month and channel; the row says nothing about the request.
          await tx.$executeRaw`INSERT INTO person_month (month, channel, person_key) VALUES (${month}, ${save.channel}, ${this.peopleKey(month, save.userHash)}) ON CONFLICT DO NOTHING`;
        }
        if (forget || saved.conversationId === null) continue;
        if (event.type === "handoff_wished") {
          const opened = await this.tickets.openInTx(tx, {
            conversationId: saved.conversationId,
            channel: save.channel,
            requestId: event.requestId,
            urgent: event.urgent,
            reason: event.reason,
            card: event.card,
            transcript: event.transcript,
            now: save.now,
          });
          if (opened.created) saved.openedTicket = opened.id;
        }
        if (event.type === "followup_scheduled" || event.type === "followup_answered" || event.type === "followup_reason" || event.type === "followup_stopped") {
          await this.followups.applyInTx(tx, saved.conversationId, save.channel, event, save.now, save.newId);
        }
        if (event.type === "relay") {
          const ticketId = await this.tickets.relayInTx(tx, saved.conversationId, event.message, event.urgent, save.now);
          if (ticketId !== null) saved.relayedTo.push({ ticketId, message: event.message, urgent: event.urgent });
        }
      }
      return saved;
    });
  }

  async byId(id: string): Promise<StoredConversation | null> {
    const row = await this.prisma.conversation.findUnique({ where: { id } });
    if (!row) return null;
    return { id: row.id, channel: row.channel as Channel, userHash: row.userHash, state: JSON.parse(row.state) as ConversationState, version: row.version, updatedAt: row.updatedAt };
  }

  /** The sealed channel address of a conversation, if its channel can be reached. */
  async sealedAddress(id: string): Promise<string | null> {
    return (await this.prisma.conversation.findUnique({ where: { id }, select: { address: true } }))?.address ?? null;
  }

  /**
   * Replaces a conversation's state from outside a message (a facilitator closed the ticket), checked against the
   * version read. Keeps `updatedAt`, unless `touch` (activity that should push retention back).
   */
  async replaceState(id: string, version: number, state: ConversationState, now: Date, touch: boolean): Promise<boolean> {
    const { count } = await this.prisma.conversation.updateMany({
      where: { id, version },
      data: { state: JSON.stringify(state), version: version + 1, openRequest: hasOpenRequest(state), ...(touch ? { updatedAt: now } : {}) },
    });
    return count === 1;
  }

  /** Activity by a facilitator counts as activity of the conversation (retention starts again). */
  async touch(id: string, now: Date): Promise<void> {
    await this.prisma.conversation.updateMany({ where: { id }, data: { updatedAt: now } });
  }

  /** Conversations with a request begun and left idle since `before`. */
  async idleWithOpenRequest(before: Date, limit: number): Promise<StoredConversation[]> {
    const rows = await this.prisma.conversation.findMany({ where: { openRequest: true, updatedAt: { lt: before } }, take: limit, orderBy: { updatedAt: "asc" } });
    return rows.map((row) => ({ id: row.id, channel: row.channel as Channel, userHash: row.userHash, state: JSON.parse(row.state) as ConversationState, version: row.version, updatedAt: row.updatedAt }));
  }

  /** Deletes conversations idle since `before` (the retention limit). Returns how many. */
  async purgeIdle(before: Date): Promise<number> {
    const { count } = await this.prisma.conversation.deleteMany({ where: { updatedAt: { lt: before } } });
    return count;
  }

  /**
   * Keeps messages for a person whose channel cannot be pushed to from here (the web chat; WhatsApp from a worker that
   * does not run it) until the channel collects them. Returns false when the person has no conversation (deleted, or
   * never began).
   */
  async pushOutbox(channel: Channel, userHash: string, messages: readonly Outbound[], options: { front?: boolean } = {}): Promise<boolean> {
    return this.changeOutbox(channel, userHash, (waiting) => (options.front ? [...messages, ...waiting] : [...waiting, ...messages])).then((r) => r !== null);
  }

  /** Takes (and clears) the messages waiting for a person, oldest first. */
  async takeOutbox(channel: Channel, userHash: string): Promise<Outbound[]> {
    return (await this.changeOutbox(channel, userHash, () => []))?.before ?? [];
  }

  /** People on a channel with messages waiting for them. */
  async withOutbox(channel: Channel, limit: number): Promise<{ id: string; userHash: string }[]> {
    return this.prisma.conversation.findMany({ where: { channel, outbox: { not: null } }, select: { id: true, userHash: true }, take: limit });
  }

  /**
   * Read, change, and write back only if nobody changed it meanwhile (compare-and-set on the outbox itself), so that
   * two workers adding to or taking from one outbox at once lose nothing, whatever the database's isolation level.
   */
  private async changeOutbox(channel: Channel, userHash: string, change: (waiting: Outbound[]) => Outbound[]): Promise<{ before: Outbound[] } | null> {
    for (let attempt = 1; attempt <= 20; attempt++) {
      const row = await this.prisma.conversation.findUnique({ where: { channel_userHash: { channel, userHash } }, select: { id: true, outbox: true } });
      if (!row) return null;
      const before = row.outbox ? (JSON.parse(row.outbox) as Outbound[]) : [];
      const after = change(before);
      if (after.length === 0 && before.length === 0) return { before };
      const { count } = await this.prisma.conversation.updateMany({ where: { id: row.id, outbox: row.outbox }, data: { outbox: after.length > 0 ? JSON.stringify(after) : null } });
      if (count === 1) return { before };
    }
    throw new ConcurrentUpdateError(userHash);
  }

  /** Whether a channel update was already handled (a fast check before doing the work; the save checks again). */
  async seen(channel: Channel, key: string): Promise<boolean> {
    const sqlite = sqliteConnectionOf(this.prisma);
    if (sqlite) return prepared(sqlite, "SELECT 1 FROM processed_update WHERE channel = ? AND key = ?").get(channel, key) !== undefined;
    return (await this.prisma.processedUpdate.count({ where: { channel, key } })) > 0;
  }

  /** Forgets handled-update ids older than `before`: platforms do not redeliver after a day. */
  async purgeProcessedUpdates(before: Date): Promise<number> {
    const { count } = await this.prisma.processedUpdate.deleteMany({ where: { seenAt: { lt: before } } });
    return count;
  }

  async count(): Promise<number> {
    return this.prisma.conversation.count();
  }
}

/** Events whose only storage is the request log; any other (tickets, follow-ups, relays, deletion) needs the Prisma way. */
const PLAIN_EVENTS: ReadonlySet<EngineEvent["type"]> = new Set(["request_logged", "urgent_detected", "language_set", "error"]);

/** A save the SQLite fast path writes: the conversation row and request log rows only. */
function isPlainSave(save: SaveStep): boolean {
  return save.state !== null && save.events.every((e) => PLAIN_EVENTS.has(e.type));
}

/**
 * `saveStep` for the common case on SQLite, with the driver directly: the same rows, in the same order, with the same
 * checks as the Prisma way (the version read, a duplicate update, a second first message), in one synchronous
 * transaction — nothing else runs on the connection between BEGIN and COMMIT, and a throw rolls everything back.
 * IMMEDIATE takes the write lock at once: another process holding it makes this wait the busy timeout and then fail
 * with SQLITE_BUSY, which callers retry, as before.
 */
function saveOnSqlite(db: BetterSqlite3.Database, save: SaveStep, peopleKey: (month: string, userHash: string) => string): Promise<SavedStep> {
  const state = save.state!;
  const now = sqliteDateTime(save.now);
  const write = db.transaction((): SavedStep => {
    if (save.dedupeKey !== undefined) {
      const inserted = prepared(db, "INSERT INTO processed_update (channel, key, seen_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING").run(save.channel, save.dedupeKey, now);
      if (inserted.changes === 0) throw new DuplicateUpdateError(save.dedupeKey);
    }
    let conversationId: string;
    if (save.previous) {
      conversationId = save.previous.id;
      const updated = prepared(db, "UPDATE conversation SET state = ?, version = ?, open_request = ?, updated_at = ?, address = COALESCE(?, address) WHERE id = ? AND version = ?").run(
        JSON.stringify(state),
        save.previous.version + 1,
        hasOpenRequest(state) ? 1 : 0,
        now,
        save.sealedAddress ?? null,
        save.previous.id,
        save.previous.version,
      );
      if (updated.changes !== 1) throw new ConcurrentUpdateError(save.previous.id);
    } else {
      conversationId = save.newId();
      // Two first messages of one person: the second finds the (channel, user) key taken and is retried.
      const created = prepared(
        db,
        "INSERT INTO conversation (id, channel, user_hash, state, version, open_request, created_at, updated_at, address) VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
      ).run(conversationId, save.channel, save.userHash, JSON.stringify(state), hasOpenRequest(state) ? 1 : 0, now, now, save.sealedAddress ?? null);
      if (created.changes === 0) throw new ConcurrentUpdateError(save.userHash);
    }
    for (const event of save.events) {
      if (event.type !== "request_logged") continue;
      const r = event.request;
      // As writeRequest (request-log.ts) writes it.
      prepared(db, "INSERT INTO request (id, date, channel, language, region, commune, urgent, sex, age_band, status, outcome) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)").run(
        r.id,
        r.date,
        save.channel,
        r.language,
        r.region,
        r.commune,
        r.urgent ? 1 : 0,
        r.sex,
        r.ageBand,
        r.status,
        r.outcome,
      );
      r.categories.forEach((category, i) => prepared(db, "INSERT INTO request_category (request_id, category, rank) VALUES (?, ?, ?)").run(r.id, category, i + 1));
      r.referrals.forEach((serviceId, i) => prepared(db, "INSERT INTO request_referral (request_id, service_id, rank) VALUES (?, ?, ?)").run(r.id, serviceId, i + 1));
      const month = r.date.slice(0, 7);
      prepared(db, "INSERT INTO person_month (month, channel, person_key) VALUES (?, ?, ?) ON CONFLICT DO NOTHING").run(month, save.channel, peopleKey(month, save.userHash));
    }
    return { conversationId, openedTicket: null, relayedTo: [] };
  });
  try {
    return Promise.resolve(write.immediate());
  } catch (error) {
    return Promise.reject(error as Error);
  }
}

/** A unique-constraint failure, as Prisma reports it through a driver adapter (P2002) or the driver itself. */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; message?: string; cause?: { code?: string } };
  return e?.code === "P2002" || /unique constraint|UNIQUE constraint failed|duplicate key/i.test(String(e?.message ?? "")) || e?.cause?.code === "23505";
}
