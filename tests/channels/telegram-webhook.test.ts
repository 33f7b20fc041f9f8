import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Dalil } from "../../src/app/dalil.js";
import { TelegramChannel } from "../../src/channels/telegram/bot.js";
import { projectRoot } from "../../src/content/files.js";
import { createHttpApp, startHttpServer } from "../../src/http/server.js";
import { FakeTelegram, updates } from "../helpers/fake-telegram.js";
import { silentLogger, startTestDalil, tempDir } from "../helpers/store.js";

const SECRET = "webhook-secret-0123456789abcdef";
let api: FakeTelegram;
let dalil: Dalil;
let http: Awaited<ReturnType<typeof startHttpServer>>;
let url: string;
const dir = tempDir();

beforeAll(async () => {
  api = await new FakeTelegram().start();
  dalil = await startTestDalil(dir.path);
  const channel = new TelegramChannel(
    { token: "123456:TEST-token-abcdefghijklmnopqrstuvwxyz", apiRoot: api.apiRoot, webhook: { url: "https://dalil.example.org/telegram/webhook", secret: SECRET } },
    { conversations: dalil.conversations, i18n: dalil.loaded.content.i18n, logger: silentLogger },
  );
  const app = createHttpApp({ dalil, logger: silentLogger, root: projectRoot() });
  app.post("/telegram/webhook", channel.webhookHandler());
  http = await startHttpServer(app, { host: "127.0.0.1", port: 0 });
  url = `${http.url.replace("localhost", "127.0.0.1")}/telegram/webhook`;
  await channel.start();
});
afterAll(async () => {
  await http?.close();
  await api?.stop();
  await dalil?.close();
  dir.cleanup();
});

const post = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });

describe("Telegram in webhook mode", () => {
  it("registers the webhook with its secret", () => {
    const set = api.calls.find((c) => c.method === "setWebhook");
    expect(set?.payload).toMatchObject({ url: "https://dalil.example.org/telegram/webhook", secret_token: SECRET });
  });

  it("refuses an update without the secret header, or with a wrong one", async () => {
    const update = { update_id: 1, ...updates.command(9001, "/start") };
    expect([401, 403]).toContain((await post(update)).status);
    expect([401, 403]).toContain((await post(update, { "X-Telegram-Bot-Api-Secret-Token": "wrong-secret-0123456789" })).status);
    expect(api.sent("sendMessage").filter((c) => c.payload.chat_id === 9001)).toEqual([]);
  });

  it("handles an update that carries the secret", async () => {
    const response = await post({ update_id: 2, ...updates.command(9002, "/start") }, { "X-Telegram-Bot-Api-Secret-Token": SECRET });
    expect(response.status).toBe(200);
    await api.waitFor((calls) => calls.some((c) => c.method === "sendMessage" && c.payload.chat_id === 9002));
    const reply = api.sent("sendMessage").find((c) => c.payload.chat_id === 9002)!;
    expect(reply.payload.reply_markup.inline_keyboard.flat().map((b: { callback_data: string }) => b.callback_data)).toEqual(["language.fr", "language.ar", "language.en"]);
  });
});
