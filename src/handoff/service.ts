import type { Logger } from "pino";
import type { Channel } from "../codes.js";
import type { ConversationService } from "../app/conversations.js";
import type { Content } from "../engine/context.js";
import { endHandoff } from "../engine/handoff.js";
import type { Outbound, RelayedMessage } from "../engine/messages.js";
import { referralCard } from "../engine/referral-card.js";
import { Run } from "../engine/run.js";
import { referralTo } from "../directory/referrals.js";
import { localized, type DirectoryService } from "../directory/directory.js";
import type { ConversationStore } from "../store/conversations.js";
import type { DirectoryStore } from "../store/directory-store.js";
import type { PrismaClient } from "../generated/prisma/client.js";
import { UndeliverableError, type Delivery } from "../app/delivery.js";
import { relayedText, type Facilitator, type HandoffOutcome, type TicketStore, type TicketView } from "./tickets.js";

/** What facilitators are told about, wherever they work (the Telegram group; the web inbox polls the database). */
export interface FacilitatorNotifier {
  ticketOpened(ticket: TicketView): Promise<void>;
  personWrote(ticket: TicketView, text: string): Promise<void>;
  ticketChanged(ticket: TicketView, event: string): Promise<void>;
  reminder(ticket: TicketView, kind: "unclaimed" | "no_reply"): Promise<void>;
}

export interface HandoffDeps {
  prisma: PrismaClient;
  tickets: TicketStore;
  conversations: ConversationStore;
  content: Content;
  directory: DirectoryStore;
  delivery: Delivery;
  clock: () => Date;
  newId: () => string;
  logger: Logger;
}

/** Why a facilitator's action was refused, in words the inbox or the group can show. */
export class HandoffError extends Error {
  constructor(
    readonly code: "missing" | "closed" | "not_yours" | "not_claimed" | "unknown_service" | "gone",
    message: string,
    /** For `not_yours`: who holds the ticket. */
    readonly holder: string | null = null,
  ) {
    super(message);
  }
}

const MAX_ATTEMPTS = 8;

/**
 * What facilitators do with a ticket: claim it, reply, send a referral card, write a note, transfer it, close it.
 * Replies reach the person on their own channel (the web chat through its events stream); closing writes the
 * outcome to the request log and gives the conversation back to the bot.
 */
export class HandoffService {
  private readonly notifiers: FacilitatorNotifier[] = [];

  constructor(private readonly deps: HandoffDeps) {}

  registerNotifier(notifier: FacilitatorNotifier): void {
    this.notifiers.push(notifier);
  }

  /** For ConversationService: new tickets and the person's messages, told to every notifier. */
  listener() {
    return {
      ticketOpened: async (id: number) => {
        const ticket = await this.deps.tickets.get(id);
        if (ticket) await this.notify((n) => n.ticketOpened(ticket));
      },
      personWrote: async (id: number, message: RelayedMessage) => {
        const ticket = await this.deps.tickets.get(id);
        if (ticket) await this.notify((n) => n.personWrote(ticket, relayedText(message)));
      },
    };
  }

  async claim(id: number, by: Facilitator): Promise<{ ok: true; ticket: TicketView } | { ok: false; holder: string | null; status: string }> {
    const now = this.deps.clock();
    const result = await this.deps.tickets.claim(id, by, now);
    if (!result.ok) return result;
    await this.deps.tickets.addLine(id, { author: "system", text: `claimed by ${by.name}` }, now);
    const ticket = (await this.deps.tickets.get(id))!;
    await this.notify((n) => n.ticketChanged(ticket, "claimed"));
    return { ok: true, ticket };
  }

  /** A facilitator's message to the person, through the bot, on the person's channel. */
  async reply(id: number, by: Facilitator, text: string): Promise<void> {
    const ticket = await this.ownTicket(id, by);
    const body = text.trim().slice(0, 4000);
    if (body === "") return;
    const language = ticket.language;
    const message: Outbound = { text: this.deps.content.i18n.t(language, "common:from_facilitator", { name: by.name, text: body }), role: "info" };
    await this.deliver(ticket, language, [message]);
    const now = this.deps.clock();
    await this.deps.tickets.addLine(id, { author: "facilitator", text: body, by: by.name }, now, { facilitatorReply: true });
    await this.deps.conversations.touch(ticket.conversationId, now);
  }

  /** An internal note: seen by facilitators only. */
  async note(id: number, by: Facilitator, text: string): Promise<void> {
    const ticket = await this.deps.tickets.get(id);
    if (!ticket) throw new HandoffError("missing", `No ticket #${id}`);
    const body = text.trim().slice(0, 4000);
    if (body !== "") await this.deps.tickets.addLine(id, { author: "note", text: body, by: by.name }, this.deps.clock());
  }

  /** Sends a service's referral card (the same card the bot sends), in the person's language, from their place. */
  async sendReferral(id: number, by: Facilitator, serviceId: string): Promise<void> {
    const ticket = await this.ownTicket(id, by);
    const directory = await this.deps.directory.current();
    const service = directory.get(serviceId);
    if (!service || !service.active) throw new HandoffError("unknown_service", `No active service "${serviceId}"`);
    const stored = await this.deps.conversations.byId(ticket.conversationId);
    if (!stored) throw new HandoffError("gone", "The person deleted their data");
    const now = this.deps.clock();
    const ctx = { content: this.deps.content, directory, now, newId: this.deps.newId };
    const run = new Run(structuredClone(stored.state), ctx, this.deps.content.flows.get(stored.state.flow) ?? this.deps.content.flows.get(this.deps.content.mainFlow)!);
    const commune = ticket.card.commune ? this.deps.content.triage.gazetteer.get(ticket.card.commune) : undefined;
    const point = stored.state.request.point ?? (commune?.lat != null && commune.lon != null ? { lat: commune.lat, lon: commune.lon } : null);
    const referral = referralTo(service, point, now);
    if (!referral) throw new HandoffError("unknown_service", `Service "${serviceId}" has no site`);
    const card = referralCard(run, referral, null);
    await this.deliver(ticket, ticket.language, [card]);
    await this.deps.tickets.addLine(id, { author: "facilitator", text: `[${serviceId}] ${service.organisation.name} — ${localized(service.name, ticket.language)}`, by: by.name }, now, { facilitatorReply: true });
  }

  async transfer(id: number, by: Facilitator, to: Facilitator): Promise<void> {
    await this.ownTicket(id, by);
    const now = this.deps.clock();
    if (!(await this.deps.tickets.transfer(id, to, now))) throw new HandoffError("not_claimed", `Ticket #${id} is not claimed`);
    await this.deps.tickets.addLine(id, { author: "system", text: `transferred from ${by.name} to ${to.name}` }, now);
    await this.notify(async (n) => n.ticketChanged((await this.deps.tickets.get(id))!, "transferred"));
  }

  /**
   * Closes the ticket: the outcome goes to the request log row, the conversation goes back to the bot, and the person
   * is told. An unclaimed ticket may be closed by whoever closes it (no_response, out_of_scope).
   */
  async close(id: number, by: Facilitator, outcome: HandoffOutcome): Promise<void> {
    const ticket = await this.deps.tickets.get(id);
    if (!ticket) throw new HandoffError("missing", `No ticket #${id}`);
    if (ticket.status === "closed") throw new HandoffError("closed", `Ticket #${id} is already closed`);
    if (ticket.status === "claimed" && ticket.claimedBy !== by.key) throw new HandoffError("not_yours", `Ticket #${id} is handled by ${ticket.claimedByName}`, ticket.claimedByName);
    const now = this.deps.clock();
    if (!(await this.deps.tickets.close(id, outcome, now))) throw new HandoffError("closed", `Ticket #${id} is already closed`);
    if (ticket.requestId) await this.deps.prisma.request.updateMany({ where: { id: ticket.requestId }, data: { handoffOutcome: outcome } });
    await this.deps.tickets.addLine(id, { author: "system", text: `closed by ${by.name}: ${outcome}` }, now);
    await this.giveBackToBot(ticket);
    await this.notify(async (n) => n.ticketChanged((await this.deps.tickets.get(id))!, "closed"));
  }

  /** Services for the referral picker: by words in their names, need served, commune. */
  async searchServices(query: { text?: string; category?: string; commune?: string }, limit = 20): Promise<DirectoryService[]> {
    const directory = await this.deps.directory.current();
    const words = (query.text ?? "").toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").split(/\s+/).filter(Boolean);
    return directory.services
      .filter((s) => s.active)
      .filter((s) => !query.category || s.categories.includes(query.category as never))
      .filter((s) => !query.commune || s.sites.some((site) => site.location.commune === query.commune))
      .filter((s) => {
        const haystack = `${s.id} ${s.organisation.name} ${JSON.stringify(s.name)} ${s.sites.map((x) => JSON.stringify(x.location.address ?? x.location.name)).join(" ")}`.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
        return words.every((w) => haystack.includes(w));
      })
      .slice(0, limit);
  }

  private async ownTicket(id: number, by: Facilitator): Promise<TicketView> {
    const ticket = await this.deps.tickets.get(id);
    if (!ticket) throw new HandoffError("missing", `No ticket #${id}`);
    if (ticket.status === "closed") throw new HandoffError("closed", `Ticket #${id} is closed`);
    if (ticket.status === "queued") throw new HandoffError("not_claimed", `Claim ticket #${id} first`);
    if (ticket.claimedBy !== by.key) throw new HandoffError("not_yours", `Ticket #${id} is handled by ${ticket.claimedByName}`, ticket.claimedByName);
    return ticket;
  }

  private async deliver(ticket: TicketView, language: string, messages: Outbound[]): Promise<void> {
    try {
      await this.deps.delivery.toConversation(ticket.conversationId, language, messages);
    } catch (error) {
      if (error instanceof UndeliverableError) throw new HandoffError("gone", error.message);
      throw error;
    }
  }

  private async giveBackToBot(ticket: TicketView): Promise<void> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const stored = await this.deps.conversations.byId(ticket.conversationId);
      if (!stored) return;
      const now = this.deps.clock();
      const ended = endHandoff(stored.state, { content: this.deps.content, directory: await this.deps.directory.current(), now, newId: this.deps.newId });
      if (await this.deps.conversations.replaceState(stored.id, stored.version, ended.state, now, true)) {
        await this.deliver(ticket, ended.language, ended.outbound).catch((error: unknown) => this.deps.logger.warn({ err: error, ticket: ticket.id }, "could not tell the person the ticket was closed"));
        return;
      }
    }
    this.deps.logger.error({ ticket: ticket.id }, "could not give the conversation back to the bot after several attempts");
  }

  private async notify(action: (n: FacilitatorNotifier) => Promise<void>): Promise<void> {
    for (const notifier of this.notifiers) {
      try {
        await action(notifier);
      } catch (error) {
        this.deps.logger.error({ err: error }, "a facilitator notification failed");
      }
    }
  }

  /** Re-announces unclaimed tickets and flags claimed ones left without a reply. Returns what it did. */
  async remind(delays: { normalMs: number; urgentMs: number; noReplyMs: number }): Promise<{ reminded: number; flagged: number }> {
    const now = this.deps.clock();
    let reminded = 0;
    for (const ticket of await this.deps.tickets.dueForReminder(now, delays)) {
      const row = await this.deps.prisma.ticket.findUnique({ where: { id: ticket.id }, select: { announcedAt: true } });
      if (row && (await this.deps.tickets.markAnnounced(ticket.id, row.announcedAt, now))) {
        reminded++;
        await this.notify((n) => n.reminder(ticket, "unclaimed"));
      }
    }
    const flagged = await this.deps.tickets.flagSilent(now, delays.noReplyMs);
    for (const ticket of flagged) await this.notify((n) => n.reminder(ticket, "no_reply"));
    return { reminded, flagged: flagged.length };
  }
}
