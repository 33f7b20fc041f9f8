import type { Api, Context } from "grammy";
import type { Logger } from "pino";
import { cardText } from "../../handoff/card.js";
import { HandoffError, type FacilitatorNotifier, type HandoffService } from "../../handoff/service.js";
import { HANDOFF_OUTCOMES, type Facilitator, type TicketStore, type TicketView } from "../../handoff/tickets.js";
import type { Content } from "../../engine/context.js";
import { clip } from "../../engine/text.js";
import type { DirectoryStore } from "../../store/directory-store.js";

export interface FacilitatorGroupDeps {
  api: Api;
  chatId: number;
  handoff: HandoffService;
  tickets: TicketStore;
  content: Content;
  directory: DirectoryStore;
  /** The language facilitators read. */
  language: string;
  logger: Logger;
}

const CLAIM = /^t\.claim\.(\d{1,9})$/;
const CLOSE = /^t\.close\.(\d{1,9})\.(\d)$/;

/** Callback data of ticket buttons: anything else in a facilitator's hands is not a ticket action. */
export const isTicketAction = (data: string | undefined): boolean => data !== undefined && (CLAIM.test(data) || CLOSE.test(data));

/**
 * The facilitators' Telegram group: each new ticket is posted with its card and a claim button (in a topic of its own
 * when the group has topics); the person's messages follow as replies. A facilitator claims with the button, answers
 * the person by replying to any of the ticket's messages ("!note ..." for an internal note), and closes with a button.
 * Only actions taken in that group count: the same buttons pressed anywhere else are refused.
 */
export class TelegramFacilitatorGroup implements FacilitatorNotifier {
  private forum: boolean | undefined;

  constructor(private readonly deps: FacilitatorGroupDeps) {}

  private t(key: string, vars?: Record<string, string | number>): string {
    return this.deps.content.i18n.t(this.deps.language, `handoff:${key}`, vars);
  }

  async ticketOpened(ticket: TicketView): Promise<void> {
    const thread = await this.threadFor(ticket);
    const thread_id = thread === undefined ? {} : { message_thread_id: thread };
    const card = cardText(ticket, { i18n: this.deps.content.i18n, language: this.deps.language, gazetteer: this.deps.content.triage.gazetteer, directory: await this.deps.directory.current() });
    const lines = await this.deps.tickets.thread(ticket.id);
    const excerpt = lines.slice(-8).map((l) => `${l.author === "person" ? "👤" : "🤖"} ${l.text}`).join("\n");
    const sent = await this.deps.api.sendMessage(this.deps.chatId, clip(`${card}${excerpt ? `\n\n${excerpt}` : ""}`, 4000), {
      ...thread_id,
      reply_markup: { inline_keyboard: [[{ text: this.t("telegram.claim"), callback_data: `t.claim.${ticket.id}` }]] },
      link_preview_options: { is_disabled: true },
    });
    await this.deps.tickets.link(this.key(sent.message_id), ticket.id);
  }

  async personWrote(ticket: TicketView, text: string): Promise<void> {
    await this.post(ticket, this.t("telegram.person_wrote", { id: ticket.id, text }));
  }

  async ticketChanged(ticket: TicketView, event: string): Promise<void> {
    if (event === "claimed") {
      const keyboard = HANDOFF_OUTCOMES.map((outcome, i) => [{ text: this.t("telegram.close", { outcome: this.t(`outcome.${outcome}`) }), callback_data: `t.close.${ticket.id}.${i}` }]);
      await this.post(ticket, this.t("telegram.claimed", { id: ticket.id, name: ticket.claimedByName ?? "?" }), keyboard);
    } else if (event === "closed") {
      await this.post(ticket, this.t("telegram.closed", { id: ticket.id, outcome: this.t(`outcome.${ticket.outcome ?? "resolved"}`) }));
    } else if (event === "transferred") {
      await this.post(ticket, this.t("telegram.transferred", { id: ticket.id, name: ticket.claimedByName ?? "?" }));
    }
  }

  async reminder(ticket: TicketView, kind: "unclaimed" | "no_reply"): Promise<void> {
    if (kind === "unclaimed") await this.post(ticket, this.t("telegram.reminder", { id: ticket.id }), [[{ text: this.t("telegram.claim"), callback_data: `t.claim.${ticket.id}` }]]);
    else await this.post(ticket, this.t("telegram.no_reply", { id: ticket.id, name: ticket.claimedByName ?? "?" }));
  }

  /** An update from the facilitators' group (or a ticket button pressed elsewhere, which is refused). */
  async handle(ctx: Context): Promise<void> {
    const q = ctx.callbackQuery;
    if (q) {
      const fromGroup = q.message?.chat.id === this.deps.chatId;
      if (!fromGroup) {
        await ctx.answerCallbackQuery({ text: this.t("telegram.not_allowed"), show_alert: true }).catch(() => {});
        return;
      }
      await this.onButton(ctx, q.data ?? "", { key: `telegram:${q.from.id}`, name: nameOf(q.from) });
      return;
    }
    const m = ctx.message;
    if (!m || m.chat.id !== this.deps.chatId || !m.from || m.from.is_bot || m.text === undefined) return;
    const ticketId = (m.reply_to_message ? await this.deps.tickets.linked(this.key(m.reply_to_message.message_id)) : null) ?? (m.message_thread_id !== undefined ? await this.deps.tickets.byThread(m.message_thread_id) : null);
    if (ticketId === null) return;
    const by: Facilitator = { key: `telegram:${m.from.id}`, name: nameOf(m.from) };
    try {
      if (/^!note\b/i.test(m.text)) {
        await this.deps.handoff.note(ticketId, by, m.text.replace(/^!note\s*/i, ""));
        await this.react(m.message_id, "✍");
        return;
      }
      const ticket = await this.deps.tickets.get(ticketId);
      // Answering a ticket nobody holds yet takes it.
      if (ticket?.status === "queued") {
        const claimed = await this.deps.handoff.claim(ticketId, by);
        if (!claimed.ok) return void (await this.replyTo(m.message_id, this.t("telegram.not_yours", { id: ticketId, name: claimed.holder ?? "?" })));
      }
      await this.deps.handoff.reply(ticketId, by, m.text);
      await this.react(m.message_id, "👍");
    } catch (error) {
      if (!(error instanceof HandoffError)) throw error;
      const text =
        error.code === "not_yours" ? this.t("telegram.not_yours", { id: ticketId, name: error.holder ?? "?" }) : error.code === "closed" ? this.t("telegram.closed_already") : error.message;
      await this.replyTo(m.message_id, text);
    }
  }

  private async onButton(ctx: Context, data: string, by: Facilitator): Promise<void> {
    const claim = CLAIM.exec(data);
    if (claim) {
      const result = await this.deps.handoff.claim(Number(claim[1]), by);
      await ctx.answerCallbackQuery(result.ok ? {} : { text: result.status === "closed" ? this.t("telegram.closed_already") : this.t("telegram.already", { name: result.holder ?? "?" }), show_alert: true }).catch(() => {});
      return;
    }
    const close = CLOSE.exec(data);
    const outcome = close ? HANDOFF_OUTCOMES[Number(close[2])] : undefined;
    if (close && outcome) {
      try {
        await this.deps.handoff.close(Number(close[1]), by, outcome);
        await ctx.answerCallbackQuery().catch(() => {});
      } catch (error) {
        const text = error instanceof HandoffError && error.code === "not_yours" ? this.t("telegram.not_yours", { id: Number(close[1]), name: error.holder ?? "?" }) : error instanceof HandoffError && error.code === "closed" ? this.t("telegram.closed_already") : "error";
        await ctx.answerCallbackQuery({ text, show_alert: true }).catch(() => {});
      }
      return;
    }
    await ctx.answerCallbackQuery().catch(() => {});
  }

  /** A message about a ticket: in its topic, or as a reply to its card; linked so that replies to it reach the person. */
  private async post(ticket: TicketView, text: string, keyboard?: { text: string; callback_data: string }[][]): Promise<void> {
    const thread = ticket.telegramThreadId ?? undefined;
    const card = thread === undefined ? await this.cardMessage(ticket.id) : null;
    const sent = await this.deps.api.sendMessage(this.deps.chatId, clip(text, 4000), {
      ...(thread !== undefined ? { message_thread_id: thread } : {}),
      ...(card !== null ? { reply_parameters: { message_id: card, allow_sending_without_reply: true } } : {}),
      ...(keyboard ? { reply_markup: { inline_keyboard: keyboard } } : {}),
      link_preview_options: { is_disabled: true },
    });
    await this.deps.tickets.link(this.key(sent.message_id), ticket.id);
  }

  private async cardMessage(ticketId: number): Promise<number | null> {
    const first = await this.deps.tickets.firstLink(ticketId);
    return first ? Number(first.split(":")[1]) : null;
  }

  /** A topic per ticket when the group is a forum; undefined otherwise. */
  private async threadFor(ticket: TicketView): Promise<number | undefined> {
    if (this.forum === undefined) {
      const chat = await this.deps.api.getChat(this.deps.chatId).catch(() => null);
      this.forum = typeof chat === "object" && chat !== null && "is_forum" in chat && chat.is_forum === true;
    }
    if (!this.forum) return undefined;
    const category = this.deps.content.i18n.t(this.deps.language, `common:category.${ticket.card.categories[0] ?? "other"}`);
    const topic = await this.deps.api.createForumTopic(this.deps.chatId, clip(`${ticket.urgent ? "🚨 " : ""}#${ticket.id} ${category}`, 128));
    await this.deps.tickets.setThread(ticket.id, topic.message_thread_id);
    return topic.message_thread_id;
  }

  private async replyTo(messageId: number, text: string): Promise<void> {
    await this.deps.api.sendMessage(this.deps.chatId, text, { reply_parameters: { message_id: messageId, allow_sending_without_reply: true } }).catch(() => {});
  }

  private async react(messageId: number, emoji: "👍" | "✍"): Promise<void> {
    await this.deps.api.setMessageReaction(this.deps.chatId, messageId, [{ type: "emoji", emoji }]).catch(() => {});
  }

  private key(messageId: number): string {
    return `${this.deps.chatId}:${messageId}`;
  }
}

function nameOf(user: { first_name: string; last_name?: string }): string {
  return user.last_name ? `${user.first_name} ${user.last_name.slice(0, 1)}.` : user.first_name;
}
