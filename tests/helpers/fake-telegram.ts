import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Update } from "grammy/types";

export interface ApiCall {
  method: string;
  payload: Record<string, any>;
  /** The fake answered this call with an error. */
  failed?: number;
}

export const BOT = { id: 4242, is_bot: true, first_name: "Dalil", username: "dalil_test_bot", can_join_groups: false, can_read_all_group_messages: false, supports_inline_queries: false, can_connect_to_business: false, has_main_web_app: false };

/**
 * A fake Telegram Bot API on 127.0.0.1: grammy's real HTTP client talks to it. It queues updates for getUpdates,
 * records every call, and can answer a call with an error (e.g. 429 with retry_after) to test retries.
 */
export class FakeTelegram {
  readonly calls: ApiCall[] = [];
  private queue: Update[] = [];
  private nextUpdateId = 1000;
  private nextMessageId = 1;
  private failures: { method: string; error: { error_code: number; description: string; parameters?: object } }[] = [];
  private server!: Server;
  apiRoot = "";
  /** Whether getChat says the group has topics. */
  forum = false;

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.answer(req).then((body) => {
      res.writeHead(body.ok ? 200 : (body.error_code as number), { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    }));
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.apiRoot = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Queue an update for getUpdates; returns it with its update_id. */
  push(update: Omit<Update, "update_id"> & { update_id?: number }): Update {
    const full = { update_id: update.update_id ?? this.nextUpdateId++, ...update } as Update;
    this.queue.push(full);
    return full;
  }

  /** Answer the next call of `method` with an error. */
  failNext(method: string, error: { error_code: number; description: string; parameters?: object }): void {
    this.failures.push({ method, error });
  }

  sent(method?: string): ApiCall[] {
    return this.calls.filter((c) => c.method !== "getUpdates" && (method === undefined || c.method === method));
  }

  /** Waits until `predicate` holds over the recorded calls (or fails after `timeoutMs`). */
  async waitFor(predicate: (calls: ApiCall[]) => boolean, timeoutMs = 10_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (!predicate(this.calls)) {
      if (Date.now() > end) throw new Error(`timed out; calls so far: ${this.sent().map((c) => c.method).join(", ")}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  private async answer(req: IncomingMessage): Promise<Record<string, unknown>> {
    const method = (req.url ?? "").split("/").pop() ?? "";
    let raw = "";
    for await (const chunk of req) raw += chunk;
    const payload = raw ? (JSON.parse(raw) as Record<string, any>) : {};
    const call: ApiCall = { method, payload };
    this.calls.push(call);
    const failure = this.failures.findIndex((f) => f.method === method);
    if (failure >= 0) {
      const { error } = this.failures.splice(failure, 1)[0]!;
      call.failed = error.error_code;
      return { ok: false, ...error };
    }
    switch (method) {
      case "getMe":
        return { ok: true, result: BOT };
      case "getUpdates": {
        if (this.queue.length === 0) await new Promise((r) => setTimeout(r, 30));
        const offset = typeof payload.offset === "number" ? payload.offset : 0;
        this.queue = this.queue.filter((u) => u.update_id >= offset);
        return { ok: true, result: this.queue.slice(0, 100) };
      }
      case "getChat":
        return { ok: true, result: { id: payload.chat_id, type: payload.chat_id < 0 ? "supergroup" : "private", title: "Group", is_forum: this.forum } };
      case "createForumTopic":
        return { ok: true, result: { message_thread_id: this.nextMessageId++, name: payload.name, icon_color: 0 } };
      case "sendMessage":
      case "sendVenue":
      case "sendLocation":
        return { ok: true, result: { message_id: this.nextMessageId++, date: Math.floor(Date.now() / 1000), chat: { id: payload.chat_id, type: "private" }, text: payload.text } };
      default:
        return { ok: true, result: true };
    }
  }
}

let messageId = 1;
const person = (id: number) => ({ id, is_bot: false, first_name: "Test", language_code: "fr" });

/** Updates as Telegram sends them. */
export const updates = {
  text: (userId: number, text: string) => ({ message: { message_id: messageId++, date: 0, chat: { id: userId, type: "private" as const, first_name: "Test" }, from: person(userId), text } }),
  command: (userId: number, text: string) => ({ message: { message_id: messageId++, date: 0, chat: { id: userId, type: "private" as const, first_name: "Test" }, from: person(userId), text, entities: [{ type: "bot_command" as const, offset: 0, length: text.split(" ")[0]!.length }] } }),
  press: (userId: number, data: string) => ({ callback_query: { id: `cb${messageId++}`, from: person(userId), chat_instance: "x", data, message: { message_id: messageId++, date: 0, chat: { id: userId, type: "private" as const, first_name: "Test" }, from: BOT, text: "..." } } }),
  location: (userId: number, latitude: number, longitude: number) => ({ message: { message_id: messageId++, date: 0, chat: { id: userId, type: "private" as const, first_name: "Test" }, from: person(userId), location: { latitude, longitude } } }),
  voice: (userId: number) => ({ message: { message_id: messageId++, date: 0, chat: { id: userId, type: "private" as const, first_name: "Test" }, from: person(userId), voice: { file_id: "v", file_unique_id: "v", duration: 3 } } }),
  sticker: (userId: number) => ({ message: { message_id: messageId++, date: 0, chat: { id: userId, type: "private" as const, first_name: "Test" }, from: person(userId), sticker: { file_id: "s", file_unique_id: "s", type: "regular", width: 512, height: 512, is_animated: false, is_video: false } } }),
  edited: (userId: number, text: string) => ({ edited_message: { message_id: messageId++, date: 0, edit_date: 1, chat: { id: userId, type: "private" as const, first_name: "Test" }, from: person(userId), text } }),
  group: (userId: number, text: string) => ({ message: { message_id: messageId++, date: 0, chat: { id: -100123, type: "supergroup" as const, title: "Some group" }, from: person(userId), text } }),
};

/** The webhook secret the tests set; Telegram sends it back in a header. */
export const WEBHOOK_SECRET = "webhook-secret-0123456789abcdef";

/** The settings that run a Dalil process's Telegram channel in webhook mode against a fake Bot API. */
export function webhookEnv(apiRoot: string): Record<string, string> {
  return {
    TELEGRAM_BOT_TOKEN: "123456:TEST-token-abcdefghijklmnopqrstuvwxyz",
    TELEGRAM_API_ROOT: apiRoot,
    TELEGRAM_WEBHOOK_URL: "https://dalil.example.org/telegram/webhook",
    TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET,
  };
}

/** Delivers an update to a server's webhook path as Telegram does. */
export function deliverWebhook(baseUrl: string, update: unknown): Promise<Response> {
  return fetch(`${baseUrl.replace("localhost", "127.0.0.1")}/telegram/webhook`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": WEBHOOK_SECRET },
    body: JSON.stringify(update),
  });
}
