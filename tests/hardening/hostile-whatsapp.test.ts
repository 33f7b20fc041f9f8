/**
 * The hostile-input corpus through the WhatsApp channel, with the EventEmitter fake of the whatsapp-web.js client and
 * the real conversation service: every text, media of every kind, locations abroad or unreadable, edits and messages
 * of the wrong shape get a polite reply in the person's language, or silence when nobody can be answered; nothing
 * throws and nothing stays stuck in the pending store.
 */
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Dalil } from "../../src/app/dalil.js";
import { WhatsAppChannel } from "../../src/channels/whatsapp/channel.js";
import type { WhatsAppMessageLike } from "../../src/channels/whatsapp/inbound.js";
import { Pacer } from "../../src/channels/whatsapp/pacer.js";
import { PendingInboundStore } from "../../src/store/pending-inbound.js";
import { Sealer } from "../../src/store/sealed.js";
import { FakeWhatsApp, waMessage } from "../helpers/fake-whatsapp.js";
import { runningClockFrom, startTestDalil, tempDir } from "../helpers/store.js";
import { BAD_LOCATIONS, FORGED_CHOICES, INEZGANE, TEXTS, inLanguage } from "./corpus.js";

let dalil: Dalil;
const dir = tempDir();
const wa = new FakeWhatsApp();
let channel: WhatsAppChannel;
/** What the channel logged at warn level or above: a message that failed ends up here. */
const logged: string[] = [];
/** How many messages of each chat the channel has finished (it ends each one by sending, even nothing). */
const finished = new Map<string, number>();
let number = 212_699_000_000;

beforeAll(async () => {
  dalil = await startTestDalil(dir.path, { clock: runningClockFrom(), env: { DALIL_RATE_LIMIT_GLOBAL_PER_MINUTE: "0", DALIL_RATE_LIMIT_IP_PER_MINUTE: "0" } });
  channel = new WhatsAppChannel({
    conversations: dalil.conversations,
    pending: new PendingInboundStore(dalil.db.prisma),
    sealer: new Sealer(dalil.secret, "pending-inbound"),
    i18n: dalil.loaded.content.i18n,
    logger: pino({ level: "warn" }, { write: (line: string) => void logged.push(line) }),
    createClient: wa.createClient,
    makeLocation: (lat, lon, options) => ({ lat, lon, ...options }),
    pacer: new Pacer(0),
    reconnect: { initialMs: 1, maxMs: 4 },
  });
  const sendAll = channel.send.bind(channel);
  channel.send = async (chatId, language, messages) => {
    try {
      await sendAll(chatId, language, messages);
    } finally {
      finished.set(chatId, (finished.get(chatId) ?? 0) + 1);
    }
  };
  await channel.start();
  await until(() => channel.status().state === "ready");
});
afterAll(async () => {
  await channel?.stop();
  await dalil?.close();
  dir.cleanup();
});

async function until(predicate: () => boolean, timeoutMs = 20_000, what = "timed out"): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > end) throw new Error(`${what}; logged: ${logged.join("")}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const t = (language: string, key: string, vars?: Record<string, number>) => dalil.loaded.content.i18n.t(language, key, vars);
const sentTo = (chatId: string) => wa.sent.filter((s) => s.chatId === chatId);

/** Emit an event for a chat and wait until the channel has finished it; the texts it sent to the chat. */
async function emit(chatId: string, event: "message" | "message_edit", ...args: unknown[]): Promise<string[]> {
  const target = (finished.get(chatId) ?? 0) + 1;
  const before = sentTo(chatId).length;
  wa.current.emit(event, ...args);
  await until(() => (finished.get(chatId) ?? 0) >= target, 20_000, `no answer to ${JSON.stringify(args).slice(0, 200)}`);
  return sentTo(chatId).slice(before).map((s) => s.content).filter((c): c is string => typeof c === "string");
}
const say = (from: string, fields: Partial<WhatsAppMessageLike>) => emit(from, "message", waMessage(from, fields));
const text = (from: string, body: string) => say(from, { type: "chat", body });

/** Emit something nobody can be answered for, and give the channel time to (not) answer. */
async function emitSilently(event: string, ...args: unknown[]): Promise<void> {
  wa.current.emit(event, ...args);
  await new Promise((r) => setTimeout(r, 300));
}

const allLanguagesMenu = () => dalil.loaded.content.i18n.languages.map((l) => t(l, "intake:language.prompt")).join("\n");

function expectInLanguage(replies: string[], language: string, context: string): void {
  expect(replies.length, `${context}: some reply`).toBeGreaterThan(0);
  for (const reply of replies) {
    if (reply.startsWith(allLanguagesMenu())) continue;
    expect(inLanguage(reply, language), `${context}: "${reply.slice(0, 120)}" is in ${language}`).toBe(true);
  }
}

/** Numbered choices ("*1.* Santé") in the last reply: WhatsApp has no buttons, people answer with the number. */
const numbered = (replies: string[]) => [...(replies.at(-1) ?? "").matchAll(/^\*(\d+)\.\* /gm)].map((m) => m[1]!);
const asksLocation = (replies: string[], language: string) => (replies.at(-1) ?? "").includes(t(language, "whatsapp:share_location_hint"));

const POINTS: Record<string, (language: string) => string[]> = {
  // "français" / "العربية" name the language; "1" continues after the privacy notice.
  "at the need question": (language) => ["bonjour", language === "ar" ? "العربية" : "français", "1"],
  "at the place question": (language) => ["bonjour", language === "ar" ? "العربية" : "français", "1", language === "ar" ? "بغيت طبيب" : "j'ai besoin d'un médecin"],
};

async function reach(person: string, steps: string[]): Promise<string[]> {
  let last: string[] = [];
  for (const body of steps) last = await text(person, body);
  return last;
}

/** The conversation still works: the question now asked can be answered (its first number, or a place). */
async function goOn(person: string, last: string[], language: string, context: string): Promise<void> {
  if (numbered(last).length > 0) {
    const next = await text(person, "1");
    expectInLanguage(next, language, `${context}, next step`);
    expect(next, `${context}: next step accepted`).not.toContain(t(language, "common:not_understood"));
  } else if (asksLocation(last, language)) {
    const next = await say(person, { type: "location", location: { latitude: INEZGANE.lat, longitude: INEZGANE.lon } });
    expectInLanguage(next, language, `${context}, next step`);
    expect(next.at(-1), `${context}: place taken`).toContain(t(language, "intake:profile.sex"));
  } else {
    expect((await text(person, "?")).length, `${context}: help`).toBeGreaterThan(0);
  }
}

describe.concurrent("every corpus text through WhatsApp", () => {
  for (const c of TEXTS) {
    it(c.name, async () => {
      const scripts: Promise<void>[] = [];
      scripts.push(
        (async () => {
          const person = `${number++}@c.us`;
          const replies = await text(person, c.text);
          if (c.expect === "empty") expect(replies[0]).toBe(t("fr", "common:empty_message"));
          // Whatever it was, the language question follows, and naming a language answers it.
          expect(replies.at(-1)).toContain("العربية");
          expectInLanguage(await text(person, "العربية"), "ar", `${c.name}, then Arabic`);
        })(),
      );
      for (const language of ["fr", "ar"]) {
        for (const [point, steps] of Object.entries(POINTS)) {
          scripts.push(
            (async () => {
              const person = `${number++}@c.us`;
              await reach(person, steps(language));
              const replies = await text(person, c.text);
              const context = `${language}, ${point}`;
              expectInLanguage(replies, language, context);
              if (c.expect === "empty") expect(replies[0], context).toBe(t(language, "common:empty_message"));
              await goOn(person, replies, language, context);
            })(),
          );
        }
      }
      await Promise.all(scripts);
    });
  }
});

describe.concurrent("choice ids and numbers typed as text (WhatsApp has no buttons to forge)", () => {
  const typed = [...FORGED_CHOICES.map((f) => ({ name: f.name, body: f.id })), { name: "a number past the choices", body: "11" }, { name: "an Arabic-Indic number past the choices", body: "١١" }, { name: "a negative number", body: "-2" }, { name: "a fraction", body: "1.5" }];
  for (const language of ["fr", "ar"]) {
    for (const f of typed) {
      it(`${language}: ${f.name}`, async () => {
        const person = `${number++}@c.us`;
        const before = await reach(person, POINTS["at the need question"]!(language));
        expectInLanguage(await text(person, f.body), language, f.name);
        await goOn(person, before, language, f.name);
      });
    }
  }
});

describe.concurrent("media, locations and edits", () => {
  const media = ["ptt", "audio", "image", "album", "video", "sticker", "document", "vcard", "multi_vcard", "gif", "poll_update", "order", "product", "payment", "list_response", "buttons_response", "interactive", "event_creation", "unknown", "a-type-from-the-future"];
  for (const language of ["fr", "ar"]) {
    for (const type of media) {
      it(`${language}: a message of type ${type} gets a polite reply and the question again`, async () => {
        const person = `${number++}@c.us`;
        const before = await reach(person, POINTS["at the need question"]!(language));
        const replies = await say(person, { type, body: "<script>window.__pwned=1</script>" });
        expectInLanguage(replies, language, type);
        expect(replies[0]).toBe(t(language, "common:media_not_supported"));
        expect(replies.at(-1)).toBe(before.at(-1));
      });
    }
  }

  const locations = [
    ...BAD_LOCATIONS.map((l) => ({ name: l.name, location: { latitude: l.lat, longitude: l.lon } as unknown, kind: Number.isFinite(l.lat) ? l.kind : "invalid" })),
    { name: "Paris as strings", location: { latitude: "48.8566", longitude: "2.3522" }, kind: "abroad" },
    { name: "coordinates that are words", location: { latitude: "north", longitude: "west" }, kind: "invalid" },
    { name: "coordinates as empty strings", location: { latitude: "", longitude: "" }, kind: "invalid" },
    { name: "no location at all", location: null, kind: "invalid" },
    { name: "a location that is a string", location: "Paris", kind: "invalid" },
  ];
  for (const language of ["fr", "ar"]) {
    for (const point of Object.keys(POINTS)) {
      for (const l of locations) {
        it(`${language}, ${point}: ${l.name}`, async () => {
          const person = `${number++}@c.us`;
          const before = await reach(person, POINTS[point]!(language));
          const replies = await say(person, { type: "location", location: l.location as never });
          expectInLanguage(replies, language, l.name);
          expect(replies[0]).toBe(t(language, l.kind === "invalid" ? "common:location_invalid" : "steps:ask_place.outside_country"));
          await goOn(person, before, language, l.name);
        });
      }
    }
  }

  for (const language of ["fr", "ar"]) {
    it(`${language}: an edited message is answered once per version, in the person's language; the bot's own edits are not`, async () => {
      const person = `${number++}@c.us`;
      await reach(person, POINTS["at the need question"]!(language));
      const original = waMessage(person, { type: "chat", body: "bonjour" });
      const replies = await emit(person, "message_edit", original, "<b>modifié</b>", "bonjour");
      expectInLanguage(replies, language, "edited");
      expect(replies[0]).toBe(t(language, "common:edited_not_supported"));
      const before = sentTo(person).length;
      await emitSilently("message_edit", original, "<b>modifié</b>", "bonjour");
      await emitSilently("message_edit", { ...waMessage(person, { body: "x" }), fromMe: true }, "y", "x");
      expect(sentTo(person).length).toBe(before);
      expect((await emit(person, "message_edit", original, "une autre version", "<b>modifié</b>"))[0]).toBe(t(language, "common:edited_not_supported"));
    });
  }
});

describe("messages of the wrong shape", () => {
  const malformed: { name: string; message: (from: string) => unknown }[] = [
    { name: "null", message: () => null },
    { name: "a string", message: () => "bonjour" },
    { name: "no id", message: (from) => ({ ...waMessage(from, { body: "bonjour" }), id: undefined }) },
    { name: "an id of the wrong type", message: (from) => ({ ...waMessage(from, { body: "bonjour" }), id: { _serialized: 42 } }) },
    { name: "no sender", message: (from) => ({ ...waMessage(from, { body: "bonjour" }), from: undefined }) },
    { name: "a sender that is a number", message: (from) => ({ ...waMessage(from, { body: "bonjour" }), from: 212600000000 }) },
    { name: "a 1,000-character sender", message: () => waMessage(`${"9".repeat(1000)}@c.us`, { body: "bonjour" }) },
    { name: "fromMe missing (it could be the bot's own)", message: (from) => ({ ...waMessage(from, { body: "bonjour" }), fromMe: undefined }) },
    { name: "fromMe as a string", message: (from) => ({ ...waMessage(from, { body: "bonjour" }), fromMe: "false" }) },
  ];
  for (const m of malformed) {
    it(`${m.name}: no reply, no exception, and the channel goes on`, async () => {
      const person = `${number++}@c.us`;
      await emitSilently("message", m.message(person));
      expect(sentTo(person)).toEqual([]);
      const replies = await text(person, "bonjour");
      expect(replies.at(-1)).toContain("العربية");
    });
  }

  const unreadable: { name: string; fields: Record<string, unknown> }[] = [
    { name: "a body that is a number", fields: { type: "chat", body: 42 } },
    { name: "a body that is null", fields: { type: "chat", body: null } },
    { name: "a body that is an object", fields: { type: "chat", body: { text: "bonjour" } } },
    { name: "a type that is a number", fields: { type: 7, body: "bonjour" } },
  ];
  for (const language of ["fr", "ar"]) {
    for (const u of unreadable) {
      it(`${language}: ${u.name} gets the polite "cannot read this" reply`, async () => {
        const person = `${number++}@c.us`;
        await reach(person, POINTS["at the need question"]!(language));
        const replies = await say(person, u.fields as Partial<WhatsAppMessageLike>);
        expectInLanguage(replies, language, u.name);
        expect(replies[0]).toBe(t(language, "common:media_not_supported"));
      });
    }
  }
});

describe("after the corpus", () => {
  it("no message failed: nothing logged at warn level or above, nothing left in the pending store", async () => {
    expect(logged.map((l) => JSON.parse(l).msg)).toEqual([]);
    expect(await dalil.db.prisma.pendingInbound.count()).toBe(0);
  });

  it("every text sent was well-formed UTF-16", () => {
    for (const s of wa.sent) if (typeof s.content === "string") expect(s.content).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
  });
});
