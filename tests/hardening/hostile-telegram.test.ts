/**
 * The hostile-input corpus through the Telegram channel, against the fake Bot API (grammy's real HTTP client, the
 * runner's long polling) and the real conversation service: every text, forged callback data, media of every kind,
 * locations abroad or unreadable, edits and updates of the wrong shape get a polite reply in the person's language,
 * or silence when nobody can be answered, and never an exception.
 */
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Dalil } from "../../src/app/dalil.js";
import { TelegramChannel } from "../../src/channels/telegram/bot.js";
import { BOT, FakeTelegram, updates, type ApiCall } from "../helpers/fake-telegram.js";
import { runningClockFrom, startTestDalil, tempDir } from "../helpers/store.js";
import { BAD_LOCATIONS, FORGED_CHOICES, INEZGANE, TEXTS, inLanguage } from "./corpus.js";

const TOKEN = "123456:TEST-token-abcdefghijklmnopqrstuvwxyz";
let api: FakeTelegram;
let dalil: Dalil;
let channel: TelegramChannel;
const dir = tempDir();
/** What the channel logged at warn level or above: an exception in an update ends up here ("telegram update failed"). */
const logged: string[] = [];
let nextUser = 91_000;

beforeAll(async () => {
  api = await new FakeTelegram().start();
  // A Wednesday morning, inside the facilitators' hours. The corpus comes fast: only the per-person limit applies.
  dalil = await startTestDalil(dir.path, { clock: runningClockFrom(), env: { DALIL_RATE_LIMIT_GLOBAL_PER_MINUTE: "0", DALIL_RATE_LIMIT_IP_PER_MINUTE: "0" } });
  const logger = pino({ level: "warn" }, { write: (line: string) => void logged.push(line) });
  channel = new TelegramChannel({ token: TOKEN, apiRoot: api.apiRoot }, { conversations: dalil.conversations, i18n: dalil.loaded.content.i18n, logger });
  const sendAll = channel.send.bind(channel);
  channel.send = async (chatId, messages) => {
    try {
      await sendAll(chatId, messages);
    } finally {
      finished.set(chatId, (finished.get(chatId) ?? 0) + 1);
    }
  };
  await channel.start();
});
afterAll(async () => {
  await channel?.stop();
  await api?.stop();
  await dalil?.close();
  dir.cleanup();
});

const t = (language: string, key: string) => dalil.loaded.content.i18n.t(language, key);
const allLanguagesMenu = () => dalil.loaded.content.i18n.languages.map((l) => t(l, "intake:language.prompt")).join("\n");
const toChat = (chatId: number) => (c: ApiCall) => c.method !== "getUpdates" && c.payload.chat_id === chatId;
const texts = (calls: ApiCall[]) => calls.filter((c) => c.method === "sendMessage").map((c) => c.payload.text as string);
const buttons = (calls: ApiCall[]) => calls.flatMap((c) => (c.payload.reply_markup?.inline_keyboard ?? []).flat() as { text: string; callback_data: string }[]);
const person = (id: number) => ({ id, is_bot: false, first_name: "Test", language_code: "fr" });
const privateChat = (id: number) => ({ id, type: "private" as const, first_name: "Test" });
let messageId = 500_000;

/** How many updates of each chat the channel has finished (it ends each one by sending, even nothing). */
const finished = new Map<number, number>();

/** Push an update and wait until the channel has finished handling it; the calls it made to this chat. */
async function send(update: object, chatId: number): Promise<ApiCall[]> {
  const target = (finished.get(chatId) ?? 0) + 1;
  const before = api.calls.filter(toChat(chatId)).length;
  api.push(update as never);
  const end = Date.now() + 20_000;
  while ((finished.get(chatId) ?? 0) < target) {
    if (Date.now() > end) throw new Error(`no answer to ${JSON.stringify(update).slice(0, 200)}; logged: ${logged.join("")}`);
    await new Promise((r) => setTimeout(r, 10));
  }
  return api.calls.filter(toChat(chatId)).slice(before);
}

/** Push an update nobody can be answered for, and give the bot time to (not) answer. */
async function pushSilently(update: object): Promise<void> {
  api.push(update as never);
  await new Promise((r) => setTimeout(r, 400));
}

function expectInLanguage(calls: ApiCall[], language: string, context: string): void {
  const said = texts(calls);
  expect(said.length, `${context}: some reply`).toBeGreaterThan(0);
  for (const text of said) {
    if (text === allLanguagesMenu()) continue;
    expect(inLanguage(text, language), `${context}: "${text.slice(0, 120)}" is in ${language}`).toBe(true);
  }
  for (const b of buttons(calls)) if (!b.callback_data.startsWith("language.")) expect(inLanguage(b.text, language), `${context}: button "${b.text}"`).toBe(true);
}

const press = (userId: number, data: unknown) => ({ callback_query: { id: `cb${messageId++}`, from: person(userId), chat_instance: "x", data, message: { message_id: messageId++, date: 0, chat: privateChat(userId), from: BOT, text: "..." } } });
const message = (userId: number, fields: object) => ({ message: { message_id: messageId++, date: 0, chat: privateChat(userId), from: person(userId), ...fields } });

const POINTS: Record<string, (user: number, language: string) => object[]> = {
  "at the need question": (user, language) => [updates.command(user, "/start"), press(user, `language.${language}`), press(user, "privacy.continue")],
  "at the place question": (user, language) => [updates.command(user, "/start"), press(user, `language.${language}`), press(user, "privacy.continue"), press(user, "need.health")],
};

async function reach(user: number, steps: object[]): Promise<ApiCall[]> {
  let last: ApiCall[] = [];
  for (const update of steps) last = await send(update, user);
  return last;
}

/** The conversation still works: the question now asked can be answered (its first button, or a place). */
async function goOn(user: number, last: ApiCall[], language: string, context: string): Promise<void> {
  const keyboard = buttons(last);
  const asksLocation = last.some((c) => c.payload.reply_markup?.keyboard?.[0]?.[0]?.request_location);
  if (keyboard.length > 0) {
    const next = await send(press(user, keyboard[0]!.callback_data), user);
    expectInLanguage(next, language, `${context}, next step`);
    expect(texts(next), `${context}: next step accepted`).not.toContain(t(language, "common:button_expired"));
  } else if (asksLocation) {
    const next = await send(updates.location(user, INEZGANE.lat, INEZGANE.lon), user);
    expectInLanguage(next, language, `${context}, next step`);
    expect(buttons(next).map((b) => b.callback_data), `${context}: place taken`).toContain("sex.female");
  } else {
    expect(texts(await send(updates.command(user, "/help"), user)).length).toBeGreaterThan(0);
  }
}

describe.concurrent("every corpus text through Telegram", () => {
  for (const c of TEXTS) {
    it(c.name, async () => {
      const scripts: Promise<void>[] = [];
      // As the first message: whatever it was, the language question follows; choosing Arabic then works.
      scripts.push(
        (async () => {
          const user = nextUser++;
          const calls = await send(message(user, { text: c.text }), user);
          if (c.expect === "empty") expect(texts(calls)[0]).toBe(t("fr", "common:empty_message"));
          expect(buttons(calls).map((b) => b.callback_data)).toEqual(expect.arrayContaining(["language.fr", "language.ar", "language.en"]));
          expectInLanguage(await send(press(user, "language.ar"), user), "ar", `${c.name}, then Arabic`);
        })(),
      );
      for (const language of ["fr", "ar"]) {
        for (const [point, steps] of Object.entries(POINTS)) {
          scripts.push(
            (async () => {
              const user = nextUser++;
              await reach(user, steps(user, language));
              const calls = await send(message(user, { text: c.text }), user);
              const context = `${language}, ${point}`;
              expectInLanguage(calls, language, context);
              if (c.expect === "empty") expect(texts(calls)[0], context).toBe(t(language, "common:empty_message"));
              await goOn(user, calls, language, context);
            })(),
          );
        }
      }
      await Promise.all(scripts);
    });
  }
});

describe.concurrent("forged and oversized callback data", () => {
  const forged: { name: string; data: unknown }[] = [
    ...FORGED_CHOICES.map((f) => ({ name: f.name, data: f.id as unknown })),
    { name: "65 bytes in 33 characters", data: `need.${"é".repeat(30)}` },
    { name: "a newline", data: "need.health\n" },
    { name: "emoji", data: "need.🏥" },
    { name: "empty", data: "" },
    { name: "a number", data: 42 },
    { name: "an object", data: { id: "need.health" } },
    { name: "null", data: null },
    { name: "missing (a game button)", data: undefined },
  ];
  for (const language of ["fr", "ar"]) {
    for (const f of forged) {
      it(`${language}: ${f.name}`, async () => {
        const user = nextUser++;
        const before = await reach(user, POINTS["at the need question"]!(user, language));
        const update = press(user, f.data);
        const calls = await send(update, user);
        expect(api.calls.some((c) => c.method === "answerCallbackQuery" && c.payload.callback_query_id === update.callback_query.id), "the button stops spinning").toBe(true);
        expectInLanguage(calls, language, f.name);
        expect(texts(calls)[0]).toBe(t(language, "common:button_expired"));
        expect(texts(calls).at(-1), "the current question again").toBe(texts(before).at(-1));
        await goOn(user, before, language, f.name);
      });
    }
  }

  it("a button pressed in a group, or under an inline message, is answered and ignored", async () => {
    const user = nextUser++;
    const inGroup = { callback_query: { id: `cb${messageId++}`, from: person(user), chat_instance: "x", data: "need.health", message: { message_id: messageId++, date: 0, chat: { id: -100777, type: "supergroup", title: "G" }, from: BOT, text: "..." } } };
    const inline = { callback_query: { id: `cb${messageId++}`, from: person(user), chat_instance: "x", inline_message_id: "abc", data: "need.health" } };
    for (const update of [inGroup, inline]) {
      await pushSilently(update);
      await api.waitFor((calls) => calls.some((c) => c.method === "answerCallbackQuery" && c.payload.callback_query_id === update.callback_query.id));
    }
    expect(api.calls.filter((c) => c.method === "sendMessage" && (c.payload.chat_id === user || c.payload.chat_id === -100777))).toEqual([]);
  });
});

describe.concurrent("media, locations and edits", () => {
  const file = { file_id: "f", file_unique_id: "u" };
  const media: { name: string; fields: object }[] = [
    { name: "a photo", fields: { photo: [{ ...file, width: 90, height: 90 }], caption: "<script>window.__pwned=1</script>" } },
    { name: "a document", fields: { document: { ...file, file_name: "../../etc/passwd.pdf", mime_type: "application/pdf" } } },
    { name: "a voice note", fields: { voice: { ...file, duration: 3 } } },
    { name: "an audio file", fields: { audio: { ...file, duration: 3 } } },
    { name: "a video", fields: { video: { ...file, width: 1, height: 1, duration: 1 } } },
    { name: "a video note", fields: { video_note: { ...file, length: 1, duration: 1 } } },
    { name: "a sticker", fields: { sticker: { ...file, type: "regular", width: 512, height: 512, is_animated: false, is_video: false } } },
    { name: "a GIF", fields: { animation: { ...file, width: 1, height: 1, duration: 1 }, document: { ...file } } },
    { name: "a contact", fields: { contact: { phone_number: "+212600000000", first_name: "X" } } },
    { name: "a poll", fields: { poll: { id: "p", question: "?", options: [], total_voter_count: 0, is_closed: false, is_anonymous: true, type: "regular", allows_multiple_answers: false } } },
    { name: "a dice", fields: { dice: { emoji: "🎲", value: 3 } } },
    { name: "a story", fields: { story: { chat: privateChat(1), id: 1 } } },
    { name: "nothing at all", fields: {} },
    { name: "text of the wrong type (a number)", fields: { text: 42 } },
    { name: "text of the wrong type (an object)", fields: { text: { toString: "x" } } },
    { name: "text of the wrong type (null)", fields: { text: null } },
  ];
  for (const language of ["fr", "ar"]) {
    for (const m of media) {
      it(`${language}: ${m.name} gets a polite reply and the question again`, async () => {
        const user = nextUser++;
        const before = await reach(user, POINTS["at the need question"]!(user, language));
        const calls = await send(message(user, m.fields), user);
        expectInLanguage(calls, language, m.name);
        expect(texts(calls)[0]).toBe(t(language, "common:media_not_supported"));
        expect(texts(calls).at(-1)).toBe(texts(before).at(-1));
      });
    }
  }

  const locations = [
    ...BAD_LOCATIONS.map((l) => ({ name: l.name, location: { latitude: l.lat, longitude: l.lon } as unknown, kind: Number.isFinite(l.lat) ? l.kind : "invalid" })),
    { name: "coordinates as strings", location: { latitude: "30.35", longitude: "-9.55" }, kind: "invalid" },
    { name: "a location that is a string", location: "Paris", kind: "invalid" },
    { name: "a location that is null", location: null, kind: "invalid" },
    { name: "a location without coordinates", location: {}, kind: "invalid" },
  ];
  for (const language of ["fr", "ar"]) {
    for (const point of Object.keys(POINTS)) {
      for (const l of locations) {
        it(`${language}, ${point}: ${l.name}`, async () => {
          const user = nextUser++;
          const before = await reach(user, POINTS[point]!(user, language));
          const calls = await send(message(user, { location: l.location }), user);
          expectInLanguage(calls, language, l.name);
          expect(texts(calls)[0]).toBe(t(language, l.kind === "invalid" ? "common:location_invalid" : "steps:ask_place.outside_country"));
          await goOn(user, before, language, l.name);
        });
      }
    }
  }

  for (const language of ["fr", "ar"]) {
    it(`${language}: an edited message is answered in the person's language; a live location moving is not`, async () => {
      const user = nextUser++;
      await reach(user, POINTS["at the need question"]!(user, language));
      const calls = await send(updates.edited(user, "<b>modifié</b>"), user);
      expectInLanguage(calls, language, "edited");
      expect(texts(calls)[0]).toBe(t(language, "common:edited_not_supported"));
      const before = api.calls.filter(toChat(user)).length;
      for (let i = 0; i < 3; i++) {
        await pushSilently({ edited_message: { message_id: 1, date: 0, edit_date: i + 1, chat: privateChat(user), from: person(user), location: { latitude: 30.35 + i / 1000, longitude: -9.55, live_period: 900 } } });
      }
      expect(api.calls.filter(toChat(user)).length).toBe(before);
    });
  }
});

describe("updates of the wrong shape", () => {
  const malformed: { name: string; update: (user: number) => object }[] = [
    { name: "a message without a sender", update: (user) => ({ message: { message_id: messageId++, date: 0, chat: privateChat(user), text: "bonjour" } }) },
    { name: "a message without a chat", update: (user) => ({ message: { message_id: messageId++, date: 0, from: person(user), text: "bonjour" } }) },
    { name: "a chat id that is a string", update: (user) => ({ message: { message_id: messageId++, date: 0, chat: { id: String(user), type: "private" }, from: person(user), text: "bonjour" } }) },
    { name: "a sender id that is a string", update: (user) => ({ message: { message_id: messageId++, date: 0, chat: privateChat(user), from: { ...person(user), id: "x" }, text: "bonjour" } }) },
    { name: "a sender without is_bot", update: (user) => ({ message: { message_id: messageId++, date: 0, chat: privateChat(user), from: { id: user, first_name: "T" }, text: "bonjour" } }) },
    { name: "a message from a bot", update: (user) => ({ message: { message_id: messageId++, date: 0, chat: privateChat(user), from: { ...person(user), is_bot: true }, text: "bonjour" } }) },
    { name: "a message that is a string", update: () => ({ message: "bonjour" }) },
    { name: "a message that is null", update: () => ({ message: null }) },
    { name: "a callback without a sender", update: (user) => ({ callback_query: { id: `cb${messageId++}`, chat_instance: "x", data: "need.health", message: { message_id: 1, date: 0, chat: privateChat(user) } } }) },
    { name: "a callback without an id", update: (user) => ({ callback_query: { from: person(user), chat_instance: "x", data: "need.health", message: { message_id: 1, date: 0, chat: privateChat(user) } } }) },
    { name: "an edited message without a sender", update: (user) => ({ edited_message: { message_id: 1, date: 0, edit_date: 1, chat: privateChat(user), text: "x" } }) },
    { name: "a channel post", update: () => ({ channel_post: { message_id: 1, date: 0, chat: { id: -100999, type: "channel", title: "C" }, text: "<script>" } }) },
    { name: "a chat member update", update: (user) => ({ my_chat_member: { chat: privateChat(user), from: person(user), date: 0, old_chat_member: {}, new_chat_member: {} } }) },
    { name: "an update with nothing", update: () => ({}) },
  ];
  for (const m of malformed) {
    it(`${m.name}: no reply, no exception, and the bot goes on`, async () => {
      const user = nextUser++;
      await pushSilently(m.update(user));
      expect(api.calls.filter((c) => c.method === "sendMessage" && c.payload.chat_id === user)).toEqual([]);
      const calls = await send(updates.command(user, "/start"), user);
      expect(buttons(calls).map((b) => b.callback_data)).toContain("language.fr");
    });
  }
});

describe("after the corpus", () => {
  it("no update failed: nothing was logged at warn level or above", () => {
    expect(logged.map((l) => JSON.parse(l).msg)).toEqual([]);
  });

  it("every reply sent was well-formed UTF-16 and at most 4096 characters", () => {
    for (const c of api.calls.filter((x) => x.method === "sendMessage")) {
      const text = c.payload.text as string;
      expect(text.length).toBeLessThanOrEqual(4096);
      expect(text).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    }
  });
});
