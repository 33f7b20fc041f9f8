/**
 * The WhatsApp channel with an EventEmitter fake of the whatsapp-web.js client (it never connects to WhatsApp), the
 * real conversation service and a temporary database.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Dalil } from "../../src/app/dalil.js";
import { WhatsAppChannel } from "../../src/channels/whatsapp/channel.js";
import { Pacer } from "../../src/channels/whatsapp/pacer.js";
import { render } from "../../src/channels/whatsapp/render.js";
import { PendingInboundStore } from "../../src/store/pending-inbound.js";
import { Sealer } from "../../src/store/sealed.js";
import { FakeWhatsApp, waMessage } from "../helpers/fake-whatsapp.js";
import { silentLogger, startTestDalil, tempDir } from "../helpers/store.js";

class FakeLocation {
  constructor(readonly latitude: number, readonly longitude: number, readonly options: { name: string; address?: string }) {}
}

let dalil: Dalil;
const dir = tempDir();
let wa: FakeWhatsApp;
let channel: WhatsAppChannel;
let cleared = 0;
const qrs: string[] = [];
let number = 212600000100;

function makeChannel(fake: FakeWhatsApp, pacer = new Pacer(0)) {
  return new WhatsAppChannel({
    conversations: dalil.conversations,
    pending: new PendingInboundStore(dalil.db.prisma),
    sealer: new Sealer(dalil.secret, "pending-inbound"),
    i18n: dalil.loaded.content.i18n,
    logger: silentLogger,
    createClient: fake.createClient,
    makeLocation: (lat, lon, options) => new FakeLocation(lat, lon, options),
    clearSession: () => {
      cleared++;
    },
    onQr: (qr) => qrs.push(qr),
    pacer,
    reconnect: { initialMs: 1, maxMs: 4 },
  });
}

beforeAll(async () => {
  dalil = await startTestDalil(dir.path);
});
afterAll(async () => {
  await channel?.stop();
  await dalil?.close();
  dir.cleanup();
});
beforeEach(async () => {
  await channel?.stop();
  wa = new FakeWhatsApp();
  channel = makeChannel(wa);
  await channel.start();
  await until(() => channel.status().state === "ready");
});

async function until(predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Emit a message and wait until the channel has answered it (its sends stop growing). */
async function say(from: string, fields: Parameters<typeof waMessage>[1]): Promise<unknown[]> {
  const before = wa.sent.length;
  wa.current.emit("message", waMessage(from, fields));
  await until(() => wa.sent.length > before);
  let count = -1;
  while (count !== wa.sent.length) {
    count = wa.sent.length;
    await new Promise((r) => setTimeout(r, 60));
  }
  return wa.sent.slice(before).filter((s) => s.chatId === from).map((s) => s.content);
}
const text = (from: string, body: string) => say(from, { type: "chat", body });
const t = (key: string, language = "ar", vars?: Record<string, number>) => dalil.loaded.content.i18n.t(language, key, vars);

describe("the WhatsApp channel", () => {
  let person: string;
  beforeEach(() => {
    person = `${number++}@c.us`;
  });

  it("refers a person in Arabic with numbered choices, answered as ١ and 2, ending with location messages", async () => {
    let replies = await text(person, "السلام عليكم");
    const menu = replies.at(-1) as string;
    expect(menu).toContain("*1.* العربية");
    expect(menu).toContain(t("whatsapp:reply_with_number", "ar", { count: 3 }));
    replies = await text(person, "١");
    expect(replies.at(-1)).toContain(t("intake:privacy.continue"));
    await text(person, "1");
    await text(person, "بغيت طبيب");
    replies = await text(person, "إنزكان");
    expect(replies.at(-1)).toContain(t("intake:profile.sex"));
    await text(person, "١"); // female
    await text(person, "2"); // 18-59
    replies = await text(person, "٦"); // prefer not to say
    const locations = replies.filter((r) => r instanceof FakeLocation) as FakeLocation[];
    expect(locations).toHaveLength(3);
    for (const l of locations) expect(l.options.name).toEqual(expect.any(String));
    const rows = await dalil.db.prisma.request.findMany({ where: { channel: "whatsapp", language: "ar", commune: "09.273.01.15" } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ sex: "female", ageBand: "18-59", status: "undisclosed", outcome: "referred" });
  });

  it("takes a shared location", async () => {
    await text(person, "hello");
    await text(person, "1"); // English, proposed first
    await text(person, "1"); // continue
    await text(person, "no place to sleep");
    const replies = await say(person, { type: "location", location: { latitude: 34.6814, longitude: -1.9086 } });
    expect(replies.at(-1)).toContain(t("intake:profile.sex", "en"));
  });

  it("answers a voice note politely", async () => {
    const replies = await say(person, { type: "ptt" });
    expect(replies[0]).toContain(t("common:media_not_supported", "fr"));
  });

  it("ignores group messages, status broadcasts and its own messages", async () => {
    const before = wa.sent.length;
    wa.current.emit("message", waMessage("120363012345678901@g.us", { body: "bonjour le groupe" }));
    wa.current.emit("message", waMessage("status@broadcast", { isStatus: true, body: "my status" }));
    wa.current.emit("message", waMessage(person, { fromMe: true, body: "sent from the phone" }));
    await new Promise((r) => setTimeout(r, 300));
    expect(wa.sent.length).toBe(before);
    expect(await dalil.db.prisma.pendingInbound.count()).toBe(0);
  });

  it("handles a message seen twice once", async () => {
    const message = waMessage(person, { type: "chat", body: "bonjour" });
    wa.current.emit("message", message);
    wa.current.emit("message", { ...message });
    await until(() => wa.sent.some((s) => s.chatId === person));
    await new Promise((r) => setTimeout(r, 300));
    wa.current.emit("message", { ...message });
    await new Promise((r) => setTimeout(r, 300));
    expect(wa.sent.filter((s) => s.chatId === person)).toHaveLength(1);
    // The id kept to recognise it is a keyed hash: the phone number inside WhatsApp's id is not stored.
    const keys = await dalil.db.prisma.processedUpdate.findMany({ where: { channel: "whatsapp" } });
    expect(JSON.stringify(keys)).not.toContain(person.split("@")[0]);
  });

  it("reconnects after a disconnection and goes on answering on the new connection", async () => {
    wa.current.emit("disconnected", "NAVIGATION");
    await until(() => wa.clients.length === 2 && channel.status().state === "ready");
    expect(wa.clients[0]!.destroyed).toBe(true);
    const replies = await text(person, "bonjour");
    expect(replies).toHaveLength(1);
    expect(wa.sent.at(-1)!.client).toBe(2);
  });

  it("after an authentication failure, forgets the session and shows a new QR code", async () => {
    wa.onInitialize = (client) => queueMicrotask(() => client.emit("qr", "2@QR-CODE-TEXT,abc"));
    const clearedBefore = cleared;
    wa.current.emit("auth_failure", "session expired");
    await until(() => channel.status().state === "qr");
    expect(cleared).toBe(clearedBefore + 1);
    expect(channel.status().qr).toBe("2@QR-CODE-TEXT,abc");
    expect(qrs).toContain("2@QR-CODE-TEXT,abc");
  });

  it("stores each message on receipt and handles what a crash left when it is ready again", async () => {
    // A message received just before a crash: stored, never handled.
    const leftover = waMessage(person, { type: "chat", body: "bonjour" });
    const pending = new PendingInboundStore(dalil.db.prisma);
    const key = dalil.conversations.updateKey("whatsapp", leftover.id._serialized);
    const sealed = new Sealer(dalil.secret, "pending-inbound").seal(JSON.stringify({ userId: person, chatId: person, platformKey: leftover.id._serialized, inbound: { kind: "text", text: "bonjour" } }));
    await pending.add("whatsapp", key, sealed, new Date());
    const stored = await dalil.db.prisma.pendingInbound.findFirstOrThrow({ where: { key } });
    expect(stored.sealed).not.toContain("bonjour");
    wa.current.emit("ready");
    await until(() => wa.sent.some((s) => s.chatId === person));
    expect(await dalil.db.prisma.pendingInbound.count({ where: { key } })).toBe(0);
    // WhatsApp's own copy arriving later is recognised.
    wa.current.emit("message", leftover);
    await new Promise((r) => setTimeout(r, 300));
    expect(wa.sent.filter((s) => s.chatId === person)).toHaveLength(1);
  });
});

describe("pacing and rendering", () => {
  it("sends at most one message per second to a chat, queuing bursts without dropping any", async () => {
    let now = 0;
    const times: [string, number][] = [];
    const pacer = new Pacer(1000, { now: () => now, sleep: async (ms) => void (now += ms) });
    await Promise.all([
      ...[1, 2, 3, 4, 5].map((i) => pacer.run("a@c.us", async () => void times.push([`a${i}`, now]))),
      pacer.run("b@c.us", async () => void times.push(["b1", now])),
    ]);
    const a = times.filter(([id]) => id.startsWith("a"));
    expect(a.map(([id]) => id)).toEqual(["a1", "a2", "a3", "a4", "a5"]);
    for (let i = 1; i < a.length; i++) expect(a[i]![1] - a[i - 1]![1]).toBeGreaterThanOrEqual(1000);
    expect(times.find(([id]) => id === "b1")).toBeDefined();
  });

  it("numbers choices and adds a location message after each referral card", () => {
    const sends = render(
      [
        { text: "Q?", choices: [{ id: "s.a", label: "A" }, { id: "s.b", label: "B" }], role: "prompt" },
        { text: "1. Service", location: { lat: 1, lon: 2, name: "Org" }, role: "referral" },
      ],
      { replyWithNumber: (n) => `Reply 1 to ${n}`, shareLocation: () => "Share" },
    );
    expect(sends).toEqual([
      { kind: "text", text: "Q?\n\n*1.* A\n*2.* B\n\nReply 1 to 2" },
      { kind: "text", text: "1. Service" },
      { kind: "location", lat: 1, lon: 2, name: "Org" },
    ]);
  });
});
