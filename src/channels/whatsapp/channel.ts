import { createHash } from "node:crypto";
import type { Logger } from "pino";
import type { ConversationService } from "../../app/conversations.js";
import type { Translator } from "../../engine/context.js";
import type { Inbound, Outbound } from "../../engine/messages.js";
import type { PendingInboundStore } from "../../store/pending-inbound.js";
import type { Sealer } from "../../store/sealed.js";
import { fromMessage, type WhatsAppMessageLike } from "./inbound.js";
import { Pacer } from "./pacer.js";
import { render, type WhatsAppHints } from "./render.js";
import { withStorageRetry } from "../../store/transient.js";

/** How long a message received while the database is unavailable is held in memory, waiting to be stored. */
const STORE_ON_RECEIPT_BUDGET_MS = 10 * 60_000;
/** How often messages kept in the database but not handled are looked at again. */
const LEFTOVER_SWEEP_MS = 60_000;

/** The part of whatsapp-web.js's Client the channel uses: tests inject an EventEmitter-based fake. */
export interface WhatsAppClientLike {
  /** Listener arguments differ per event, as with any EventEmitter (whose own signature uses any[] too). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  on(event: string, listener: (...args: any[]) => void): unknown;
  initialize(): Promise<void>;
  sendMessage(chatId: string, content: unknown, options?: object): Promise<unknown>;
  destroy(): Promise<void>;
}

export type WhatsAppState = "starting" | "qr" | "pairing" | "ready" | "disconnected" | "auth_failure" | "stopped";

/** What the administrator's page shows. */
export interface WhatsAppStatus {
  state: WhatsAppState;
  since: Date;
  /** The text to show as a QR code, while waiting for a scan. */
  qr?: string;
  /** The code to type on the phone, when pairing by phone number. */
  pairingCode?: string;
  reason?: string;
}

export interface WhatsAppDeps {
  conversations: ConversationService;
  pending: PendingInboundStore;
  sealer: Sealer;
  i18n: Translator;
  logger: Logger;
  /** A new client each time (whatsapp-web.js clients cannot be restarted once destroyed). */
  createClient: () => WhatsAppClientLike;
  makeLocation: (lat: number, lon: number, options: { name: string; address?: string }) => unknown;
  /** Forget the saved session (after WhatsApp refused it), so that the next start shows a QR code. */
  clearSession?: () => Promise<void> | void;
  onQr?: (qr: string) => void;
  pacer?: Pacer;
  reconnect?: { initialMs: number; maxMs: number; sleep?: (ms: number) => Promise<void> };
  clock?: () => Date;
}

/** What is stored, sealed, between receipt and handling. */
interface Received {
  userId: string;
  chatId: string;
  platformKey: string;
  inbound: Inbound;
}

/**
 * The WhatsApp channel through whatsapp-web.js. WhatsApp never redelivers, so each message is stored (sealed) on
 * receipt, handled, then removed; messages left by a crash are handled when the client is ready again, and a message
 * seen twice is handled once. Sends are paced per chat; a lost connection is re-established with growing delays.
 */
export class WhatsAppChannel {
  private client: WhatsAppClientLike | null = null;
  private stopped = false;
  private delayMs: number;
  private readonly pacer: Pacer;
  private readonly clock: () => Date;
  private readonly hints: (language: string) => WhatsAppHints;
  private current: WhatsAppStatus;

  constructor(private readonly deps: WhatsAppDeps) {
    this.pacer = deps.pacer ?? new Pacer(1000);
    this.clock = deps.clock ?? (() => new Date());
    this.delayMs = deps.reconnect?.initialMs ?? 2000;
    this.current = { state: "starting", since: this.clock() };
    this.hints = (language) => ({
      replyWithNumber: (count) => deps.i18n.t(language, "whatsapp:reply_with_number", { count }),
      shareLocation: () => deps.i18n.t(language, "whatsapp:share_location_hint"),
    });
  }

  status(): WhatsAppStatus {
    return this.current;
  }

  /** Creates the client and starts it; resolves once it is initializing (the QR code or "ready" follows). */
  async start(): Promise<void> {
    this.stopped = false;
    const client = this.deps.createClient();
    this.client = client;
    this.attach(client);
    this.setState({ state: "starting" });
    await client.initialize().catch((error: unknown) => {
      this.deps.logger.error({ err: error }, "whatsapp client failed to start");
      void this.reconnect("initialize failed");
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.sweep) clearInterval(this.sweep);
    this.sweep = null;
    this.setState({ state: "stopped" });
    const client = this.client;
    this.client = null;
    await client?.destroy().catch(() => {});
  }

  /** Sends messages to a person, paced (used for replies and for messages that arrive later). */
  async send(chatId: string, language: string, messages: readonly Outbound[]): Promise<void> {
    for (const item of render(messages, this.hints(language))) {
      const content = item.kind === "text" ? item.text : this.deps.makeLocation(item.lat, item.lon, { name: item.name, ...(item.address ? { address: item.address } : {}) });
      await this.pacer.run(chatId, async () => {
        if (!this.client) throw new Error("whatsapp client not running");
        await this.client.sendMessage(chatId, content);
      });
    }
  }

  private attach(client: WhatsAppClientLike): void {
    const mine = () => client === this.client;
    client.on("qr", (qr: string) => {
      if (!mine()) return;
      this.setState({ state: "qr", qr });
      this.deps.onQr?.(qr);
      this.deps.logger.info("whatsapp: scan the QR code (terminal, or /admin/whatsapp) with the programme's phone");
    });
    client.on("code", (code: string) => {
      if (!mine()) return;
      this.setState({ state: "pairing", pairingCode: code });
      this.deps.logger.info("whatsapp: enter the pairing code shown at /admin/whatsapp on the programme's phone");
    });
    client.on("authenticated", () => mine() && this.deps.logger.info("whatsapp: authenticated"));
    client.on("ready", () => {
      if (!mine()) return;
      this.delayMs = this.deps.reconnect?.initialMs ?? 2000;
      this.setState({ state: "ready" });
      this.deps.logger.info("whatsapp live");
      void this.handleLeftovers();
      // Messages kept while the database was unavailable are handled within a minute of its return.
      if (!this.sweep) {
        // Not the ones younger than the retry budget: onMessage may still be handling them.
        this.sweep = setInterval(() => void this.handleLeftovers({ minAgeMs: LEFTOVER_SWEEP_MS }), LEFTOVER_SWEEP_MS);
        this.sweep.unref();
      }
    });
    client.on("auth_failure", (message: unknown) => {
      if (!mine()) return;
      this.setState({ state: "auth_failure", reason: String(message) });
      this.deps.logger.error({ reason: String(message) }, "whatsapp refused the saved session: scan the QR code again (terminal, or /admin/whatsapp)");
      void Promise.resolve(this.deps.clearSession?.()).then(() => this.reconnect("auth_failure"));
    });
    client.on("disconnected", (reason: unknown) => {
      if (!mine()) return;
      this.setState({ state: "disconnected", reason: String(reason) });
      this.deps.logger.warn({ reason: String(reason) }, "whatsapp disconnected; reconnecting");
      void this.reconnect(String(reason));
    });
    client.on("message", (message: WhatsAppMessageLike) => {
      if (!mine()) return;
      void this.onMessage(message).catch((error: unknown) => this.deps.logger.error({ err: error }, "whatsapp message failed; it stays stored and is retried at the next start"));
    });
    // An edit is not read (as on Telegram): the person is asked to send a new message. Each version is answered once.
    client.on("message_edit", (message: WhatsAppMessageLike, newBody: unknown) => {
      if (!mine()) return;
      const version = createHash("sha256").update(typeof newBody === "string" ? newBody : "").digest("hex").slice(0, 16);
      void this.onMessage(message, { edited: version }).catch((error: unknown) => this.deps.logger.error({ err: error }, "whatsapp edit failed; it stays stored and is retried at the next start"));
    });
  }

  private async reconnect(reason: string): Promise<void> {
    if (this.stopped) return;
    const old = this.client;
    this.client = null;
    await old?.destroy().catch(() => {});
    const wait = this.delayMs;
    this.delayMs = Math.min(this.delayMs * 2, this.deps.reconnect?.maxMs ?? 60_000);
    this.deps.logger.info({ reason, inMs: wait }, "whatsapp: reconnecting");
    await (this.deps.reconnect?.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms))))(wait);
    if (!this.stopped) await this.start();
  }

  private async onMessage(message: WhatsAppMessageLike, options: { edited?: string } = {}): Promise<void> {
    const parsed = fromMessage(message, { edited: options.edited !== undefined });
    if (parsed.kind === "ignore") return;
    const platformKey = options.edited !== undefined ? `edit:${parsed.key}:${options.edited}` : parsed.key;
    const key = this.deps.conversations.updateKey("whatsapp", platformKey);
    const received: Received = { userId: parsed.userId, chatId: parsed.chatId, platformKey, inbound: parsed.inbound };
    // Stored before anything else (WhatsApp never delivers a message twice): if the process dies now, the message is
    // handled at the next start. A database that is briefly unavailable is waited for, the message held meanwhile.
    const sealed = this.deps.sealer.seal(JSON.stringify(received));
    const added = await withStorageRetry(() => this.deps.pending.add("whatsapp", key, sealed, this.clock()), { budgetMs: STORE_ON_RECEIPT_BUDGET_MS });
    if (!added) return;
    await this.process(key, received);
  }

  private async process(key: string, received: Received): Promise<void> {
    // Called at most once per message (withStorageRetry says "one moment" once).
    const onSlow = async () => {
      const { language } = await this.deps.conversations.languageOf("whatsapp", received.userId).catch(() => ({ language: this.deps.i18n.defaultLanguage }));
      await this.send(received.chatId, language, [{ text: this.deps.i18n.t(language, "common:one_moment"), role: "notice" }]).catch(() => undefined);
    };
    // Past the retry budget the error goes up and the message stays stored: the next sweep (or start) handles it.
    const outcome = await this.deps.conversations.receive("whatsapp", received.userId, received.inbound, { dedupeKey: received.platformKey, address: received.chatId, onSlow });
    await this.deps.pending.remove("whatsapp", key);
    if (outcome.kind === "duplicate") return;
    const result = outcome.kind === "replied" ? outcome.result : outcome.notice;
    if (!result) return;
    try {
      await this.send(received.chatId, result.language, result.outbound);
    } catch (error) {
      await this.deps.conversations.recordSendFailure("whatsapp", received.userId, "reply", error, result.outbound.length);
    }
  }

  private sweep: NodeJS.Timeout | null = null;
  private sweeping = false;

  /** Messages stored but not handled (the process stopped, or the database was unavailable), oldest first. */
  private async handleLeftovers(options: { minAgeMs?: number } = {}): Promise<void> {
    if (this.sweeping) return;
    this.sweeping = true;
    try {
      await this.handleLeftoversOnce(options.minAgeMs ?? 0);
    } catch (error) {
      this.deps.logger.warn({ err: error }, "whatsapp: stored messages could not be read; tried again in a minute");
    } finally {
      this.sweeping = false;
    }
  }

  private async handleLeftoversOnce(minAgeMs: number): Promise<void> {
    const fresh = this.clock().getTime() - minAgeMs;
    for (const row of await this.deps.pending.waiting("whatsapp")) {
      // One just stored is being handled right now by onMessage.
      if (row.receivedAt.getTime() > fresh) continue;
      await this.process(row.key, JSON.parse(this.deps.sealer.open(row.sealed)) as Received).catch((error: unknown) =>
        this.deps.logger.error({ err: error }, "whatsapp: a stored message could not be handled"),
      );
    }
  }

  private setState(status: Omit<WhatsAppStatus, "since">): void {
    this.current = { ...status, since: this.clock() };
  }
}
