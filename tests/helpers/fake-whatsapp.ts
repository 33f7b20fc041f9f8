import { EventEmitter } from "node:events";
import type { WhatsAppClientLike } from "../../src/channels/whatsapp/channel.js";
import type { WhatsAppMessageLike } from "../../src/channels/whatsapp/inbound.js";

export interface Sent {
  chatId: string;
  content: unknown;
  client: number;
}

/** A whatsapp-web.js client stand-in: an EventEmitter the test drives. It never connects to WhatsApp. */
export class FakeWhatsAppClient extends EventEmitter implements WhatsAppClientLike {
  destroyed = false;
  constructor(
    readonly number: number,
    private readonly sent: Sent[],
    private readonly onInitialize: (client: FakeWhatsAppClient) => void,
  ) {
    super();
  }
  async initialize(): Promise<void> {
    this.onInitialize(this);
  }
  async sendMessage(chatId: string, content: unknown): Promise<unknown> {
    if (this.destroyed) throw new Error("destroyed client");
    this.sent.push({ chatId, content, client: this.number });
    return { id: { _serialized: `sent-${this.sent.length}` } };
  }
  async destroy(): Promise<void> {
    this.destroyed = true;
  }
}

/** Makes fake clients, remembers them, and by default makes each one "ready" as soon as it initializes. */
export class FakeWhatsApp {
  readonly clients: FakeWhatsAppClient[] = [];
  readonly sent: Sent[] = [];
  onInitialize: (client: FakeWhatsAppClient) => void = (client) => queueMicrotask(() => client.emit("ready"));

  readonly createClient = () => {
    const client = new FakeWhatsAppClient(this.clients.length + 1, this.sent, (c) => this.onInitialize(c));
    this.clients.push(client);
    return client;
  };

  get current(): FakeWhatsAppClient {
    return this.clients.at(-1)!;
  }
}

let n = 0;
/** A message as whatsapp-web.js gives it. */
export function waMessage(from: string, fields: Partial<WhatsAppMessageLike> = {}): WhatsAppMessageLike {
  n++;
  return { id: { _serialized: `false_${from}_3EB0${String(n).padStart(6, "0")}` }, from, fromMe: false, isStatus: false, type: "chat", body: "", ...fields };
}
