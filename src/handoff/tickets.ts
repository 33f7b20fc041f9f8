import type { Channel } from "../codes.js";
import type { HandoffCard, RelayedMessage } from "../engine/messages.js";
import type { Prisma, PrismaClient } from "../generated/prisma/client.js";
import { mapLink } from "../engine/referral-card.js";

export const TICKET_STATUSES = ["queued", "claimed", "closed"] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

/** How a facilitator ended a ticket; written to the request's `handoff_outcome`. */
export const HANDOFF_OUTCOMES = ["resolved", "referred_by_facilitator", "no_response", "out_of_scope"] as const;
export type HandoffOutcome = (typeof HANDOFF_OUTCOMES)[number];

export type Author = "person" | "dalil" | "facilitator" | "note" | "system";

export interface TicketLine {
  id: number;
  author: Author;
  text: string;
  by: string | null;
  at: Date;
}

/** A facilitator, on the web inbox (`web:<user id>`) or in the Telegram group (`telegram:<user id>`). */
export interface Facilitator {
  key: string;
  name: string;
}

export interface TicketView {
  id: number;
  conversationId: string;
  channel: Channel;
  requestId: string | null;
  status: TicketStatus;
  urgent: boolean;
  reason: string;
  language: string;
  card: HandoffCard;
  claimedBy: string | null;
  claimedByName: string | null;
  outcome: string | null;
  createdAt: Date;
  claimedAt: Date | null;
  closedAt: Date | null;
  lastActivityAt: Date;
  lastReplyAt: Date | null;
  flaggedAt: Date | null;
  telegramThreadId: number | null;
}

type Tx = Prisma.TransactionClient;

/** How a relayed message reads in a ticket's thread. */
export function relayedText(message: RelayedMessage): string {
  if (message.kind === "text") return message.text;
  if (message.kind === "location") return `📍 ${mapLink(message.lat, message.lon)}`;
  return `[${message.media}]`;
}

/** Tickets and their threads. Every state change is one conditional update, so races have one winner. */
export class TicketStore {
  constructor(private readonly prisma: PrismaClient) {}

  /**
   * Opens a ticket for a conversation inside the caller's transaction, or returns the one already open (a second
   * "talk to someone" adds nothing; an urgent signal makes the open ticket urgent).
   */
  async openInTx(
    tx: Tx,
    input: { conversationId: string; channel: Channel; requestId: string | null; urgent: boolean; reason: string; card: HandoffCard; transcript: { from: "person" | "dalil"; text: string }[]; now: Date },
  ): Promise<{ id: number; created: boolean }> {
    const open = await tx.ticket.findFirst({ where: { conversationId: input.conversationId, status: { not: "closed" } }, select: { id: true, urgent: true } });
    if (open) {
      if (input.urgent && !open.urgent) await tx.ticket.update({ where: { id: open.id }, data: { urgent: true } });
      return { id: open.id, created: false };
    }
    const ticket = await tx.ticket.create({
      data: {
        conversationId: input.conversationId,
        channel: input.channel,
        requestId: input.requestId,
        status: "queued",
        urgent: input.urgent,
        reason: input.reason,
        language: input.card.language,
        card: JSON.stringify(input.card),
        createdAt: input.now,
        lastActivityAt: input.now,
        announcedAt: input.now,
      },
    });
    if (input.transcript.length > 0) {
      await tx.ticketMessage.createMany({ data: input.transcript.map((line) => ({ ticketId: ticket.id, author: line.from, text: line.text, at: input.now })) });
    }
    return { id: ticket.id, created: true };
  }

  /** Adds the person's message to the open ticket of their conversation, in the caller's transaction. */
  async relayInTx(tx: Tx, conversationId: string, message: RelayedMessage, urgent: boolean, now: Date): Promise<number | null> {
    const open = await tx.ticket.findFirst({ where: { conversationId, status: { not: "closed" } }, select: { id: true, urgent: true } });
    if (!open) return null;
    await tx.ticketMessage.create({ data: { ticketId: open.id, author: "person", text: relayedText(message), at: now } });
    await tx.ticket.update({ where: { id: open.id }, data: { lastActivityAt: now, ...(urgent && !open.urgent ? { urgent: true } : {}) } });
    return open.id;
  }

  async get(id: number): Promise<TicketView | null> {
    const row = await this.prisma.ticket.findUnique({ where: { id } });
    return row ? toView(row) : null;
  }

  async thread(id: number, afterLineId = 0): Promise<TicketLine[]> {
    const rows = await this.prisma.ticketMessage.findMany({ where: { ticketId: id, id: { gt: afterLineId } }, orderBy: { id: "asc" } });
    return rows.map((r) => ({ id: r.id, author: r.author as Author, text: r.text, by: r.by, at: r.at }));
  }

  async addLine(id: number, line: { author: Author; text: string; by?: string }, now: Date, options: { facilitatorReply?: boolean } = {}): Promise<void> {
    await this.prisma.$transaction([
      this.prisma.ticketMessage.create({ data: { ticketId: id, author: line.author, text: line.text, by: line.by ?? null, at: now } }),
      this.prisma.ticket.update({ where: { id }, data: { lastActivityAt: now, ...(options.facilitatorReply ? { lastReplyAt: now, flaggedAt: null } : {}) } }),
    ]);
  }

  /** Open tickets: urgent first, then oldest. */
  async queue(): Promise<TicketView[]> {
    const rows = await this.prisma.ticket.findMany({ where: { status: { not: "closed" } }, orderBy: [{ urgent: "desc" }, { createdAt: "asc" }] });
    return rows.map(toView);
  }

  async recentlyClosed(limit: number): Promise<TicketView[]> {
    const rows = await this.prisma.ticket.findMany({ where: { status: "closed" }, orderBy: { closedAt: "desc" }, take: limit });
    return rows.map(toView);
  }

  /** Claims a queued ticket. Only one claim wins; the others learn who has it. */
  async claim(id: number, by: Facilitator, now: Date): Promise<{ ok: true } | { ok: false; status: TicketStatus | "missing"; holder: string | null }> {
    const { count } = await this.prisma.ticket.updateMany({ where: { id, status: "queued" }, data: { status: "claimed", claimedBy: by.key, claimedByName: by.name, claimedAt: now, lastActivityAt: now } });
    if (count === 1) return { ok: true };
    const current = await this.prisma.ticket.findUnique({ where: { id }, select: { status: true, claimedByName: true } });
    return { ok: false, status: (current?.status as TicketStatus) ?? "missing", holder: current?.claimedByName ?? null };
  }

  /** Hands a claimed ticket to another facilitator (the reply-within-24-hours clock starts again). */
  async transfer(id: number, to: Facilitator, now: Date): Promise<boolean> {
    const { count } = await this.prisma.ticket.updateMany({ where: { id, status: "claimed" }, data: { claimedBy: to.key, claimedByName: to.name, claimedAt: now, flaggedAt: null } });
    return count === 1;
  }

  /** Closes an open ticket with its outcome; false when it was already closed. */
  async close(id: number, outcome: HandoffOutcome, now: Date): Promise<boolean> {
    const { count } = await this.prisma.ticket.updateMany({ where: { id, status: { not: "closed" } }, data: { status: "closed", outcome, closedAt: now, lastActivityAt: now } });
    return count === 1;
  }

  /** Queued tickets nobody claimed since they were last announced (`urgentMs` for urgent ones). */
  async dueForReminder(now: Date, delays: { normalMs: number; urgentMs: number }): Promise<TicketView[]> {
    const rows = await this.prisma.ticket.findMany({
      where: {
        status: "queued",
        OR: [
          { urgent: true, announcedAt: { lte: new Date(now.getTime() - delays.urgentMs) } },
          { urgent: false, announcedAt: { lte: new Date(now.getTime() - delays.normalMs) } },
        ],
      },
      orderBy: [{ urgent: "desc" }, { createdAt: "asc" }],
    });
    return rows.map(toView);
  }

  /** Marks a reminder as sent; false when another process sent it first. */
  async markAnnounced(id: number, previous: Date, now: Date): Promise<boolean> {
    return (await this.prisma.ticket.updateMany({ where: { id, announcedAt: previous, status: "queued" }, data: { announcedAt: now } })).count === 1;
  }

  /** Claimed tickets left without a facilitator reply for `afterMs`: flagged once each. */
  async flagSilent(now: Date, afterMs: number): Promise<TicketView[]> {
    const before = new Date(now.getTime() - afterMs);
    const rows = await this.prisma.ticket.findMany({
      where: { status: "claimed", flaggedAt: null, OR: [{ lastReplyAt: null, claimedAt: { lte: before } }, { lastReplyAt: { lte: before } }] },
    });
    const flagged: TicketView[] = [];
    for (const row of rows) {
      if ((await this.prisma.ticket.updateMany({ where: { id: row.id, flaggedAt: null }, data: { flaggedAt: now } })).count === 1) flagged.push(toView({ ...row, flaggedAt: now }));
    }
    return flagged;
  }

  async link(chatMessage: string, ticketId: number): Promise<void> {
    await this.prisma.ticketLink.upsert({ where: { chatMessage }, create: { chatMessage, ticketId }, update: { ticketId } });
  }

  /** The first message posted about a ticket (its card), as "<chat>:<message>". */
  async firstLink(ticketId: number): Promise<string | null> {
    const links = await this.prisma.ticketLink.findMany({ where: { ticketId }, select: { chatMessage: true } });
    const byMessage = links.map((l) => l.chatMessage).sort((a, b) => Number(a.split(":")[1]) - Number(b.split(":")[1]));
    return byMessage[0] ?? null;
  }

  async linked(chatMessage: string): Promise<number | null> {
    return (await this.prisma.ticketLink.findUnique({ where: { chatMessage } }))?.ticketId ?? null;
  }

  async setThread(id: number, threadId: number): Promise<void> {
    await this.prisma.ticket.update({ where: { id }, data: { telegramThreadId: threadId } });
  }

  async byThread(threadId: number): Promise<number | null> {
    return (await this.prisma.ticket.findFirst({ where: { telegramThreadId: threadId }, select: { id: true } }))?.id ?? null;
  }
}

function toView(row: {
  id: number; conversationId: string; channel: string; requestId: string | null; status: string; urgent: boolean; reason: string; language: string; card: string;
  claimedBy: string | null; claimedByName: string | null; outcome: string | null; createdAt: Date; claimedAt: Date | null; closedAt: Date | null;
  lastActivityAt: Date; lastReplyAt: Date | null; flaggedAt: Date | null; telegramThreadId: number | null;
}): TicketView {
  return { ...row, channel: row.channel as Channel, status: row.status as TicketStatus, card: JSON.parse(row.card) as HandoffCard };
}
