import type { Channel } from "../codes.js";
import type { Outbound } from "../engine/messages.js";
import type { ConversationStore } from "../store/conversations.js";
import type { Sealer } from "../store/sealed.js";
import { sendErrorCode, type SendFailureStore, type SendPurpose } from "../store/send-failures.js";
import type { ConversationService } from "./conversations.js";

/**
 * Sends messages to a person on their channel without them having written: each channel registers how (with its own
 * pacing and retries: grammY's auto-retry, the WhatsApp pacer). `address` is the opened channel address.
 */
export type ChannelSender = (address: string, language: string, messages: readonly Outbound[]) => Promise<void>;

/** Why a message could not be delivered: the person deleted their data, or their channel is not running here. */
export class UndeliverableError extends Error {
  constructor(
    readonly code: "gone" | "no_channel",
    message: string,
  ) {
    super(message);
    this.name = "UndeliverableError";
  }
}

/**
 * Messages for a person that come from Dalil's side (a facilitator's reply, a follow-up question): pushed through the
 * channel's sender, or, for the web chat, which cannot be pushed to, kept until the page collects them.
 */
export class Delivery {
  private readonly senders = new Map<Channel, ChannelSender>();

  constructor(
    private readonly deps: {
      conversations: ConversationStore;
      conversationService: ConversationService;
      addressSealer: Sealer;
      defaultLanguage: string;
      sendFailures?: SendFailureStore;
      clock?: () => Date;
    },
  ) {}

  register(channel: Channel, sender: ChannelSender): void {
    this.senders.set(channel, sender);
  }

  /** Whether this process can push messages to people on the channel now. */
  canPush(channel: Channel): boolean {
    return this.senders.has(channel);
  }

  /** Channels this process can push to. */
  pushChannels(): Channel[] {
    return [...this.senders.keys()];
  }

  async toConversation(conversationId: string, language: string, messages: readonly Outbound[], purpose: SendPurpose = "relay"): Promise<void> {
    const stored = await this.deps.conversations.byId(conversationId);
    if (!stored) throw new UndeliverableError("gone", "The person deleted their data");
    if (stored.channel === "web") {
      await this.deps.conversationService.deliverToWebConversation(stored.userHash, messages);
      return;
    }
    const sender = this.senders.get(stored.channel);
    const sealed = await this.deps.conversations.sealedAddress(conversationId);
    if (!sealed) throw new UndeliverableError("gone", "No address is known for this conversation");
    if (!sender) {
      // Another process runs this channel (WhatsApp runs in one process only): it sends what waits in the database.
      if (!(await this.deps.conversations.pushOutbox(stored.channel, stored.userHash, messages))) throw new UndeliverableError("gone", "The person deleted their data");
      return;
    }
    try {
      await sender(this.deps.addressSealer.open(sealed), language, messages);
    } catch (error) {
      await this.recordFailure(stored.channel, purpose, error, messages.length, conversationId);
      throw error;
    }
  }

  /**
   * Sends the messages other processes left for people on the channels this process runs. Each outbox is taken
   * before sending (so two processes never send it twice) and put back in front when the send fails.
   */
  async drainOutboxes(limit = 50): Promise<number> {
    let sent = 0;
    for (const [channel, sender] of this.senders) {
      if (channel === "web") continue;
      for (const row of await this.deps.conversations.withOutbox(channel, limit)) {
        const messages = await this.deps.conversations.takeOutbox(channel, row.userHash);
        if (messages.length === 0) continue;
        const stored = await this.deps.conversations.byId(row.id);
        const sealed = await this.deps.conversations.sealedAddress(row.id);
        if (!stored || !sealed) continue;
        try {
          await sender(this.deps.addressSealer.open(sealed), stored.state.language ?? this.deps.defaultLanguage, messages);
          sent += messages.length;
        } catch (error) {
          // Worth another try later (rate limited, network, server error); otherwise (blocked, chat gone) it is
          // recorded and dropped rather than retried for ever.
          if (isRetryableSend(error)) await this.deps.conversations.pushOutbox(channel, row.userHash, messages, { front: true });
          else await this.recordFailure(channel, "queued", error, messages.length, row.id);
          throw error;
        }
      }
    }
    return sent;
  }

  private async recordFailure(channel: Channel, purpose: SendPurpose, error: unknown, messages: number, conversationId: string): Promise<void> {
    await this.deps.sendFailures
      ?.record({ at: (this.deps.clock ?? (() => new Date()))(), channel, purpose, code: sendErrorCode(error), messages, conversationId })
      .catch(() => undefined);
  }
}

/** Errors a later attempt may get past: rate limits, server errors, the network. */
function isRetryableSend(error: unknown): boolean {
  const code = sendErrorCode(error);
  return code === "429" || /^5\d\d$/.test(code) || ["ETIMEDOUT", "ECONNRESET", "ECONNREFUSED", "EAI_AGAIN", "HttpError", "Error"].includes(code);
}
