/**
 * The Telegram channel against a fake Bot API on 127.0.0.1: grammy's real HTTP client, the runner's long polling,
 * auto-retry, and the real conversation service over a temporary database.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { personHash } from "../../src/store/secret.js";
import type { Dalil } from "../../src/app/dalil.js";
import { TelegramChannel, TelegramStartError } from "../../src/channels/telegram/bot.js";
import { communeFromPayload, communePayload } from "../../src/channels/telegram/deep-link.js";
import { keyboardRows } from "../../src/channels/telegram/render.js";
import { FakeTelegram, updates, type ApiCall } from "../helpers/fake-telegram.js";
import { runningClockFrom, secretOf, silentLogger, startTestDalil, tempDir } from "../helpers/store.js";

const TOKEN = "123456:TEST-token-abcdefghijklmnopqrstuvwxyz";
let api: FakeTelegram;
let dalil: Dalil;
let channel: TelegramChannel;
const dir = tempDir();
let nextUser = 7000;

beforeAll(async () => {
  api = await new FakeTelegram().start();
  // A Wednesday morning, inside the facilitators' hours, whatever the time the suite runs.
  dalil = await startTestDalil(dir.path, { clock: runningClockFrom() });
  channel = new TelegramChannel({ token: TOKEN, apiRoot: api.apiRoot }, { conversations: dalil.conversations, i18n: dalil.loaded.content.i18n, logger: silentLogger });
  await channel.start();
});
afterAll(async () => {
  await channel?.stop();
  await api?.stop();
  await dalil?.close();
  dir.cleanup();
});

const to = (chatId: number) => (c: ApiCall) => c.payload.chat_id === chatId;
/** Push an update and wait until the bot has answered it (its calls to this chat stop growing). */
async function send(update: ReturnType<(typeof updates)[keyof typeof updates]>, chatId: number): Promise<ApiCall[]> {
  const before = api.sent().filter(to(chatId)).length;
  api.push(update as never);
  await api.waitFor((calls) => calls.filter((c) => c.method !== "getUpdates" && c.payload.chat_id === chatId).length > before);
  let count = -1;
  while (count !== api.sent().filter(to(chatId)).length) {
    count = api.sent().filter(to(chatId)).length;
    await new Promise((r) => setTimeout(r, 150));
  }
  return api.sent().filter(to(chatId)).slice(before);
}
const texts = (calls: ApiCall[]) => calls.filter((c) => c.method === "sendMessage").map((c) => c.payload.text as string);
const buttons = (calls: ApiCall[]) => calls.flatMap((c) => (c.payload.reply_markup?.inline_keyboard ?? []).flat().map((b: { callback_data: string }) => b.callback_data));
const t = (key: string) => dalil.loaded.content.i18n.t("fr", key);

describe("the Telegram channel", () => {
  let user: number;
  beforeEach(() => {
    user = nextUser++;
  });

  it("checks the token at start-up and publishes the command menu in each language", () => {
    expect(api.calls.map((c) => c.method)).toContain("getMe");
    const menus = api.calls.filter((c) => c.method === "setMyCommands");
    expect(menus.map((c) => c.payload.language_code ?? "default")).toEqual(["default", "ar", "en"]);
    expect(menus[0]!.payload.commands.map((c: { command: string }) => c.command)).toEqual(["menu", "language", "help", "human", "delete"]);
  });

  it("refers a person in French through inline keyboards, ending with venues, and logs one row", async () => {
    let calls = await send(updates.command(user, "/start"), user);
    expect(buttons(calls)).toEqual(["language.fr", "language.ar", "language.en"]);
    calls = await send(updates.press(user, "language.fr"), user);
    expect(api.sent("answerCallbackQuery").length).toBeGreaterThan(0);
    expect(buttons(calls)).toEqual(["privacy.continue"]);
    calls = await send(updates.press(user, "privacy.continue"), user);
    const keyboard = calls.at(-1)!.payload.reply_markup.inline_keyboard as unknown[][];
    expect(keyboard.flat()).toHaveLength(10);
    expect(keyboard.every((row) => row.length >= 1 && row.length <= 3)).toBe(true);
    calls = await send(updates.press(user, "need.health"), user);
    // The place question comes with a keyboard button that shares the location.
    expect(calls.at(-1)!.payload.reply_markup.keyboard[0][0]).toMatchObject({ request_location: true });
    await send(updates.text(user, "Inezgane"), user);
    await send(updates.press(user, "sex.female"), user);
    await send(updates.press(user, "age_band.18-59"), user);
    calls = await send(updates.press(user, "status.migrant"), user);
    const venues = calls.filter((c) => c.method === "sendVenue");
    expect(venues).toHaveLength(3);
    for (const v of venues) expect(v.payload).toMatchObject({ latitude: expect.any(Number), longitude: expect.any(Number), title: expect.any(String), address: expect.any(String) });
    expect(texts(calls).some((x) => x.includes("openstreetmap.org"))).toBe(true);
    const rows = await dalil.db.prisma.request.findMany({ where: { channel: "telegram", commune: "09.273.01.15", sex: "female" }, include: { referrals: true } });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.referrals).toHaveLength(3);
    expect(JSON.stringify(rows)).not.toContain(String(user));
  });

  it("resolves a shared location to the nearest services", async () => {
    await send(updates.command(user, "/start"), user);
    await send(updates.press(user, "language.en"), user);
    await send(updates.press(user, "privacy.continue"), user);
    await send(updates.press(user, "need.shelter"), user);
    const calls = await send(updates.location(user, 34.6814, -1.9086), user);
    expect(buttons(calls)).toContain("sex.female");
    const secret = secretOf(dir.path);
    const state = await dalil.conversationStore.find("telegram", personHash(secret, "telegram", String(user)));
    expect(state!.state.request.commune).toBe("02.411.01.23");
  });

  it("answers a voice note and a sticker politely", async () => {
    await send(updates.command(user, "/start"), user);
    let calls = await send(updates.voice(user), user);
    expect(texts(calls)[0]).toBe(t("common:media_not_supported"));
    calls = await send(updates.sticker(user), user);
    expect(texts(calls)[0]).toBe(t("common:media_not_supported"));
  });

  it("answers an edited message by asking for a new one", async () => {
    await send(updates.command(user, "/start"), user);
    const calls = await send(updates.edited(user, "hello"), user);
    expect(texts(calls)[0]).toBe(t("common:edited_not_supported"));
  });

  it("stays silent in groups", async () => {
    const before = api.sent().length;
    api.push(updates.group(user, "bonjour tout le monde") as never);
    await new Promise((r) => setTimeout(r, 500));
    expect(api.sent().slice(before).filter((c) => c.payload.chat_id === -100123)).toEqual([]);
  });

  it("answers forged and oversized callback data as an expired button", async () => {
    await send(updates.command(user, "/start"), user);
    let calls = await send(updates.press(user, "need.health'; DROP TABLE request;--"), user);
    expect(texts(calls)[0]).toBe(t("common:button_expired"));
    calls = await send(updates.press(user, "x".repeat(300)), user);
    expect(texts(calls)[0]).toBe(t("common:button_expired"));
    expect(buttons(calls)).toEqual(["language.fr", "language.ar", "language.en"]);
  });

  it("handles an update delivered twice once: one reply, one log row", async () => {
    await send(updates.command(user, "/start"), user);
    await send(updates.press(user, "language.fr"), user);
    await send(updates.press(user, "privacy.continue"), user);
    await send(updates.text(user, "j'ai besoin d'un médecin à Tiznit"), user);
    await send(updates.press(user, "sex.male"), user);
    await send(updates.press(user, "age_band.60+"), user);
    const last = api.push(updates.press(user, "status.mre") as never);
    await api.waitFor((calls) => calls.some((c) => c.method === "sendVenue" && c.payload.chat_id === user));
    await new Promise((r) => setTimeout(r, 300));
    const before = api.sent().filter(to(user)).length;
    api.push({ ...last });
    await new Promise((r) => setTimeout(r, 800));
    expect(api.sent().filter(to(user)).length).toBe(before);
    expect(await dalil.db.prisma.request.count({ where: { commune: "09.581.01.07", status: "mre" } })).toBe(1);
  });

  it("still delivers a message Telegram first refused with 429 retry_after", async () => {
    await send(updates.command(user, "/start"), user);
    api.failNext("sendMessage", { error_code: 429, description: "Too Many Requests: retry after 1", parameters: { retry_after: 1 } });
    api.push(updates.press(user, "language.fr") as never);
    await api.waitFor((calls) => calls.some((c) => c.payload.chat_id === user && !c.failed && c.payload.reply_markup?.inline_keyboard?.[0]?.[0]?.callback_data === "privacy.continue"));
    const attempts = api.sent("sendMessage").filter((c) => c.payload.chat_id === user && c.payload.text === t("intake:privacy.text"));
    expect(attempts.map((c) => c.failed ?? "delivered")).toEqual([429, "delivered"]);
  });

  it("opens a deep link's commune: /start with a payload skips the place question", async () => {
    expect(communeFromPayload(communePayload("09.273.01.15"))).toBe("09.273.01.15");
    expect(communeFromPayload("DROP TABLE")).toBeUndefined();
    await send(updates.command(user, `/start ${communePayload("09.273.01.15")}`), user);
    await send(updates.press(user, "language.fr"), user);
    await send(updates.press(user, "privacy.continue"), user);
    const calls = await send(updates.press(user, "need.legal"), user);
    expect(buttons(calls)).toContain("sex.female");
  });

  it("takes /menu, /language, /help, /human and /delete", async () => {
    await send(updates.command(user, "/start"), user);
    await send(updates.press(user, "language.fr"), user);
    expect(texts(await send(updates.command(user, "/help"), user))[0]).toBe(t("common:help"));
    expect(buttons(await send(updates.command(user, "/language"), user))).toEqual(["language.fr", "language.ar", "language.en"]);
    await send(updates.press(user, "language.fr"), user);
    expect(texts(await send(updates.command(user, "/menu"), user)).join("\n")).toContain(t("intake:need.prompt"));
    expect(texts(await send(updates.command(user, "/human"), user)).join("\n")).toContain(t("intake:handoff.queued"));
    expect(buttons(await send(updates.command(user, "/delete"), user))).toEqual(["g.delete.yes", "g.delete.no"]);
  });

  it("asks a person who sends 30 messages in 10 seconds to slow down, once, without affecting others", async () => {
    for (let i = 0; i < 30; i++) api.push(updates.text(user, `message ${i}`) as never);
    await api.waitFor((calls) => calls.filter((c) => c.method === "sendMessage" && c.payload.chat_id === user).length >= 30, 30_000);
    const other = nextUser++;
    const otherCalls = await send(updates.command(other, "/start"), other);
    expect(buttons(otherCalls)).toEqual(["language.fr", "language.ar", "language.en"]);
    for (let i = 0; i < 5; i++) api.push(updates.text(user, `more ${i}`) as never);
    await new Promise((r) => setTimeout(r, 1500));
    const notices = api.sent("sendMessage").filter((c) => c.payload.chat_id === user && c.payload.text === dalil.loaded.content.i18n.t("fr", "common:rate_limited"));
    expect(notices).toHaveLength(1);
  });

  it("lays out short labels three a row and long ones one a row", () => {
    expect(keyboardRows([1, 2, 3, 4].map((i) => ({ id: `a.${i}`, label: `L${i}` }))).map((r) => r.length)).toEqual([3, 1]);
    expect(keyboardRows([{ id: "a.1", label: "A label that is far too long for two a row" }, { id: "a.2", label: "x" }]).map((r) => r.length)).toEqual([1, 1]);
  });
});

describe("start-up with a bad token", () => {
  it("fails with a message that says what to do", async () => {
    const fake = await new FakeTelegram().start();
    fake.failNext("getMe", { error_code: 401, description: "Unauthorized" });
    const bad = new TelegramChannel({ token: TOKEN, apiRoot: fake.apiRoot }, { conversations: dalil.conversations, i18n: dalil.loaded.content.i18n, logger: silentLogger });
    await expect(bad.start()).rejects.toThrow(TelegramStartError);
    await fake.stop();
  });
});
