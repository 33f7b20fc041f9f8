/**
 * The facilitators' Telegram group against the fake Bot API: a ticket posted with its card, claimed by a member, a
 * reply relayed to the person, the person's answer relayed to the group, and a claim from outside the group refused.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Dalil } from "../../src/app/dalil.js";
import { TelegramChannel } from "../../src/channels/telegram/bot.js";
import { TelegramFacilitatorGroup } from "../../src/channels/telegram/facilitators.js";
import { BOT, FakeTelegram, updates, type ApiCall } from "../helpers/fake-telegram.js";
import { silentLogger, startTestDalil, tempDir } from "../helpers/store.js";

const GROUP = -1009876543210;
let api: FakeTelegram;
let dalil: Dalil;
let channel: TelegramChannel;
const dir = tempDir();
const PERSON = 5551;
const AMINA = { id: 8001, is_bot: false, first_name: "Amina" };
const YOUSSEF = { id: 8002, is_bot: false, first_name: "Youssef" };

beforeAll(async () => {
  api = await new FakeTelegram().start();
  dalil = await startTestDalil(dir.path);
  channel = new TelegramChannel({ token: "123456:TEST-token-abcdefghijklmnopqrstuvwxyz", apiRoot: api.apiRoot }, { conversations: dalil.conversations, i18n: dalil.loaded.content.i18n, logger: silentLogger });
  dalil.delivery.register("telegram", (address, _language, messages) => channel.send(Number(address), messages));
  const group = new TelegramFacilitatorGroup({ api: channel.bot.api, chatId: GROUP, handoff: dalil.handoff, tickets: dalil.tickets, content: dalil.loaded.content, directory: dalil.directory, language: "fr", logger: silentLogger });
  channel.setFacilitatorGroup(GROUP, group);
  dalil.handoff.registerNotifier(group);
  await channel.start();
});
afterAll(async () => {
  await channel?.stop();
  await api?.stop();
  await dalil?.close();
  dir.cleanup();
});

const inGroup = (c: ApiCall) => c.payload.chat_id === GROUP;
const groupPosts = () => api.sent("sendMessage").filter(inGroup);
let messageId = 90_000;
const groupMessage = (from: typeof AMINA, text: string, replyTo: number) => ({
  message: { message_id: messageId++, date: 0, chat: { id: GROUP, type: "supergroup" as const, title: "Animateurs" }, from, text, reply_to_message: { message_id: replyTo, date: 0, chat: { id: GROUP, type: "supergroup" as const, title: "Animateurs" }, from: BOT, text: "…" } },
});
const groupPress = (from: typeof AMINA, data: string, onMessage: number) => ({
  callback_query: { id: `g${messageId++}`, from, chat_instance: "g", data, message: { message_id: onMessage, date: 0, chat: { id: GROUP, type: "supergroup" as const, title: "Animateurs" }, from: BOT, text: "…" } },
});

describe("the facilitators' Telegram group", () => {
  let cardMessageId = 0;
  let ticketId = 0;

  it("gets each new ticket with its card and a claim button", async () => {
    api.push(updates.command(PERSON, "/start"));
    api.push(updates.press(PERSON, "language.fr"));
    api.push(updates.press(PERSON, "privacy.continue"));
    api.push(updates.text(PERSON, "je veux parler à quelqu'un, mon patron ne me paie pas, je suis à Agadir"));
    await api.waitFor(() => groupPosts().length >= 1);
    const card = groupPosts()[0]!;
    expect(card.payload.text).toContain("Travail et formation");
    expect(card.payload.text).toContain("Agadir");
    expect(card.payload.text).not.toContain(String(PERSON));
    const button = card.payload.reply_markup.inline_keyboard[0][0];
    expect(button.callback_data).toMatch(/^t\.claim\.\d+$/);
    ticketId = Number(button.callback_data.split(".")[2]);
    cardMessageId = api.calls.indexOf(card) >= 0 ? await messageIdOf(card) : 0;
  });

  it("refuses a claim pressed outside the group", async () => {
    api.push(updates.press(YOUSSEF.id, `t.claim.${ticketId}`));
    await api.waitFor(() => api.sent("answerCallbackQuery").some((c) => c.payload.show_alert));
    expect((await dalil.tickets.get(ticketId))!.status).toBe("queued");
  });

  it("lets a member claim it; a second claim is told who has it", async () => {
    api.push(groupPress(AMINA, `t.claim.${ticketId}`, cardMessageId) as never);
    await api.waitFor(() => groupPosts().some((c) => c.payload.text.includes("Amina")));
    expect((await dalil.tickets.get(ticketId))!).toMatchObject({ status: "claimed", claimedByName: "Amina", claimedBy: `telegram:${AMINA.id}` });
    api.push(groupPress(YOUSSEF, `t.claim.${ticketId}`, cardMessageId) as never);
    await api.waitFor(() => api.sent("answerCallbackQuery").some((c) => c.payload.text?.includes("Amina")));
  });

  it("relays the member's reply to the person, and the person's answer to the group", async () => {
    api.push(groupMessage(AMINA, "Bonjour, je suis Amina. Quel est le nom de votre employeur ?", cardMessageId) as never);
    await api.waitFor(() => api.sent("sendMessage").some((c) => c.payload.chat_id === PERSON && c.payload.text.includes("Amina (animateur·rice)")));
    api.push(updates.text(PERSON, "C'est une ferme à Biougra"));
    await api.waitFor(() => groupPosts().some((c) => c.payload.text.includes("C'est une ferme à Biougra")));
    const lines = await dalil.tickets.thread(ticketId);
    expect(lines.map((l) => l.author)).toEqual(expect.arrayContaining(["facilitator", "person"]));
  });

  it("refuses a reply from a member who does not hold the ticket", async () => {
    const before = api.sent("sendMessage").filter((c) => c.payload.chat_id === PERSON).length;
    api.push(groupMessage(YOUSSEF, "Je peux aider aussi", cardMessageId) as never);
    const refusal = dalil.loaded.content.i18n.t("fr", "handoff:telegram.not_yours", { id: ticketId, name: "Amina" });
    await api.waitFor(() => groupPosts().some((c) => c.payload.text === refusal));
    expect(api.sent("sendMessage").filter((c) => c.payload.chat_id === PERSON).length).toBe(before);
  });

  it("closes with an outcome button: the request row carries it and the person is told", async () => {
    const claimed = groupPosts().find((c) => c.payload.reply_markup?.inline_keyboard?.flat().some((b: { callback_data: string }) => b.callback_data.startsWith("t.close.")))!;
    const referred = claimed.payload.reply_markup.inline_keyboard.flat().find((b: { callback_data: string }) => b.callback_data.endsWith(".1")).callback_data;
    api.push(groupPress(AMINA, referred, cardMessageId) as never);
    await api.waitFor(() => api.sent("sendMessage").some((c) => c.payload.chat_id === PERSON && c.payload.text === dalil.loaded.content.i18n.t("fr", "common:handoff_closed")));
    const ticket = (await dalil.tickets.get(ticketId))!;
    expect(ticket.status).toBe("closed");
    expect((await dalil.db.prisma.request.findUniqueOrThrow({ where: { id: ticket.requestId! } })).handoffOutcome).toBe("referred_by_facilitator");
  });
});

/** The message id the fake gave to a call it answered (calls and answers are numbered in order). */
async function messageIdOf(call: ApiCall): Promise<number> {
  const sends = api.calls.filter((c) => ["sendMessage", "sendVenue", "sendLocation"].includes(c.method) && !c.failed);
  return sends.indexOf(call) + 1;
}
