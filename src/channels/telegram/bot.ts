import { autoRetry } from "@grammyjs/auto-retry";
import { run, sequentialize, type RunnerHandle } from "@grammyjs/runner";
import { Bot, GrammyError, HttpError, webhookCallback, type Context } from "grammy";
import type { LanguageCode, Update } from "grammy/types";
import type { PendingInboundStore } from "../../store/pending-inbound.js";
import type { Sealer } from "../../store/sealed.js";
import type { Logger } from "pino";
import type { ConversationService, Received } from "../../app/conversations.js";
import { StorageUnavailableError, withStorageRetry } from "../../store/transient.js";
import type { Translator } from "../../engine/context.js";
import type { Outbound } from "../../engine/messages.js";
import { isTicketAction, type TelegramFacilitatorGroup } from "./facilitators.js";
import { fromUpdate, type TelegramInbound } from "./inbound.js";
import { render } from "./render.js";

export interface TelegramOptions {
  token: string;
  /** A self-hosted Bot API server (Telegram's open-source telegram-bot-api) instead of https://api.telegram.org. */
  apiRoot?: string;
  /** Webhook mode: Telegram posts updates to this URL, which must reach this server's HTTP port. */
  webhook?: { url: string; secret: string };
}

export interface TelegramDeps {
  conversations: ConversationService;
  i18n: Translator;
  logger: Logger;
  /**
   * Polling mode: updates are stored here on receipt and removed once handled, because the runner confirms a batch to
   * Telegram as soon as it asks for the next; a crash in between leaves them here, handled at the next start.
   */
  pending?: { store: PendingInboundStore; sealer: Sealer; clock: () => Date };
}

const ALLOWED_UPDATES = ["message", "edited_message", "callback_query"] as const;

/** The bot refused at start-up: a wrong token, or one used elsewhere in a way that conflicts. */
export class TelegramStartError extends Error {}

/**
 * The Telegram channel: turns updates into messages for the conversation service and its answers into Bot API calls.
 * Each update is handled once (its id is recorded with the conversation), callback buttons are always answered so
 * they stop spinning, and outgoing calls are retried on 429 (honouring retry_after), 5xx and network errors.
 */
export class TelegramChannel {
  readonly bot: Bot;
  private runner: RunnerHandle | null = null;
  private facilitators: TelegramFacilitatorGroup | null = null;
  private facilitatorChatId: number | null = null;

  /** The facilitators' group: its updates go to the handoff, not to the conversation engine. */
  setFacilitatorGroup(chatId: number, group: TelegramFacilitatorGroup): void {
    this.facilitatorChatId = chatId;
    this.facilitators = group;
  }

  constructor(
    private readonly options: TelegramOptions,
    private readonly deps: TelegramDeps,
  ) {
    this.bot = new Bot(options.token, { client: { ...(options.apiRoot ? { apiRoot: options.apiRoot } : {}) } });
    this.bot.api.config.use(autoRetry({ maxRetryAttempts: 5, maxDelaySeconds: 60 }));
    if (!options.webhook && deps.pending) this.bot.use((ctx, next) => this.keepUntilHandled(ctx, next));
    // One person's updates one after the other; different people at once.
    this.bot.use(sequentialize((ctx: Context) => String(ctx.chat?.id ?? ctx.from?.id ?? "")));
    this.bot.use((ctx) => this.onUpdate(ctx));
    this.bot.catch((error) => {
      // The database stayed unavailable: in webhook mode the error reaches Telegram (an HTTP error), which sends the
      // update again later; it was not handled, so it must not be confirmed.
      if (error.error instanceof StorageUnavailableError && this.options.webhook) throw error.error;
      // Logged with the update id only: no text, no user id.
      deps.logger.error({ err: error.error, updateId: error.ctx.update.update_id }, "telegram update failed");
    });
  }

  /** Checks the token (getMe), publishes the command menus, and starts long polling or sets the webhook. */
  async start(): Promise<void> {
    try {
      await this.bot.init();
    } catch (error) {
      if (error instanceof GrammyError && error.error_code === 401) {
        throw new TelegramStartError("TELEGRAM_BOT_TOKEN was refused by Telegram (401 Unauthorized): copy the token BotFather gave you, without spaces.");
      }
      if (error instanceof HttpError) throw new TelegramStartError(`Cannot reach the Telegram Bot API (${this.options.apiRoot ?? "https://api.telegram.org"}): ${error.message}`);
      throw error;
    }
    await this.publishCommands().catch((error: unknown) => this.deps.logger.warn({ err: error }, "could not publish the Telegram command menu"));
    if (this.options.webhook) {
      await this.bot.api.setWebhook(this.options.webhook.url, { secret_token: this.options.webhook.secret, allowed_updates: [...ALLOWED_UPDATES] });
      this.deps.logger.info({ username: this.bot.botInfo.username, mode: "webhook" }, "telegram live");
    } else {
      await this.bot.api.deleteWebhook();
      await this.handleLeftovers();
      this.runner = run(this.bot, { runner: { fetch: { allowed_updates: [...ALLOWED_UPDATES] } } });
      this.deps.logger.info({ username: this.bot.botInfo.username, mode: "polling" }, "telegram live");
    }
  }

  /** For webhook mode: a handler for the HTTP server that rejects requests without Telegram's secret header. */
  webhookHandler() {
    if (!this.options.webhook) throw new Error("webhookHandler() needs TELEGRAM_WEBHOOK_URL and TELEGRAM_WEBHOOK_SECRET");
    return webhookCallback(this.bot, "hono", { secretToken: this.options.webhook.secret });
  }

  private stopping = false;

  /** Stores the update before anything else and removes it once handled (polling mode). */
  private async keepUntilHandled(ctx: Context, next: () => Promise<void>): Promise<void> {
    const pending = this.deps.pending!;
    const key = this.deps.conversations.updateKey("telegram", String(ctx.update.update_id));
    const sealed = pending.sealer.seal(JSON.stringify(ctx.update));
    await withStorageRetry(() => pending.store.add("telegram", key, sealed, pending.clock()), { budgetMs: 10 * 60_000 });
    await next();
    await pending.store.remove("telegram", key).catch(() => undefined);
  }

  /** Updates stored but not handled when the process stopped: handled now, before new ones are fetched. */
  private async handleLeftovers(): Promise<void> {
    const pending = this.deps.pending;
    if (!pending) return;
    for (const row of await pending.store.waiting("telegram")) {
      const update = JSON.parse(pending.sealer.open(row.sealed)) as Update;
      // Handled like a new delivery (the row goes once it is handled; its update id makes a second handling a no-op).
      await this.bot.handleUpdate(update).catch((error: unknown) => this.deps.logger.error({ err: error, updateId: update.update_id }, "telegram: a stored update could not be handled"));
    }
  }

  /** Stops taking updates; updates in flight finish. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.runner?.isRunning()) await this.runner.stop();
  }

  /** Sends messages to a chat, in order (used for replies, and for messages that arrive later). */
  async send(chatId: number, messages: readonly Outbound[]): Promise<void> {
    for (const call of render(messages)) {
      if (call.method === "sendVenue") await this.bot.api.sendVenue(chatId, call.payload.latitude, call.payload.longitude, call.payload.title, call.payload.address);
      else await this.bot.api.sendMessage(chatId, call.payload.text, { ...(call.payload.reply_markup ? { reply_markup: call.payload.reply_markup as never } : {}), link_preview_options: { is_disabled: true } });
    }
  }

  private async onUpdate(ctx: Context): Promise<void> {
    const chatId = ctx.chat?.id ?? ctx.callbackQuery?.message?.chat.id;
    if (this.facilitators && (chatId === this.facilitatorChatId || isTicketAction(ctx.callbackQuery?.data))) {
      await this.facilitators.handle(ctx);
      return;
    }
    // Without a facilitators' group, a ticket button (forged: none was ever sent) is never an action: it goes to the
    // engine like any other data no step offered, which says the button has expired.
    const update = fromUpdate(ctx.update);
    if (update.kind === "ignore") {
      // A button pressed where nobody is served still stops spinning.
      if (ctx.callbackQuery) await ctx.answerCallbackQuery().catch(() => {});
      return;
    }
    if (update.callbackQueryId) await ctx.answerCallbackQuery().catch(() => {});
    const received = await this.receiveKeeping(update, ctx);
    if (received.kind === "duplicate") return;
    const messages = received.kind === "replied" ? received.result.outbound : (received.notice?.outbound ?? []);
    try {
      await this.send(update.chatId, messages);
    } catch (error) {
      // auto-retry has already waited out 429s and server errors: what is left is recorded, not dropped silently.
      await this.deps.conversations.recordSendFailure("telegram", update.userId, "reply", error, messages.length);
    }
  }

  /**
   * Hands the message to the conversation service, telling the person "one moment" if the database keeps them
   * waiting. In webhook mode a database that stays unavailable is Telegram's to retry (the update is not confirmed);
   * in polling mode the runner has already confirmed it, so it is kept here and tried again until it is stored.
   */
  private async receiveKeeping(update: Extract<TelegramInbound, { kind: "message" }>, ctx: Context): Promise<Received> {
    const language = this.deps.i18n.languages.includes(ctx.from?.language_code ?? "") ? ctx.from!.language_code! : this.deps.i18n.defaultLanguage;
    let told = false;
    const onSlow = async () => {
      if (told) return;
      told = true;
      await this.bot.api.sendMessage(update.chatId, this.deps.i18n.t(language, "common:one_moment")).catch(() => undefined);
    };
    for (let wait = 5_000; ; wait = Math.min(wait * 2, 60_000)) {
      try {
        return await this.deps.conversations.receive("telegram", update.userId, update.inbound, { dedupeKey: String(ctx.update.update_id), address: String(update.chatId), onSlow });
      } catch (error) {
        if (!(error instanceof StorageUnavailableError) || this.options.webhook || this.stopping) throw error;
        this.deps.logger.error({ updateId: ctx.update.update_id, retryInMs: wait }, "database unavailable: the update is kept and tried again");
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
  }

  private async publishCommands(): Promise<void> {
    const { i18n } = this.deps;
    const names = ["menu", "language", "help", "human", "delete"] as const;
    for (const language of i18n.languages) {
      const commands = names.map((command) => ({ command, description: i18n.t(language, `telegram:commands.${command}`) }));
      // Telegram shows the default list to everyone whose app language has no list of its own.
      await this.bot.api.setMyCommands(commands, language === i18n.defaultLanguage ? {} : { language_code: language as LanguageCode });
    }
  }
}
