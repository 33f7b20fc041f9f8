/**
 * What the logs say about people and credentials: nothing. Scripted conversations on every channel (web API, Telegram,
 * WhatsApp), a handoff with facilitator replies, sign-ins right and wrong, the administrator token, and errors that
 * carry what was being sent; with the logger the app uses (src/logger.ts) writing to a buffer, at `trace` and at the
 * default `info`. No line may contain a message's text, a user or chat id, a phone number, a session id, a password,
 * a secret, a token, or a person's keyed hash.
 */
import { randomBytes } from "node:crypto";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TelegramChannel } from "../../src/channels/telegram/bot.js";
import { WhatsAppChannel } from "../../src/channels/whatsapp/channel.js";
import { createLogger } from "../../src/logger.js";
import { PendingInboundStore } from "../../src/store/pending-inbound.js";
import { Sealer } from "../../src/store/sealed.js";
import { personHash } from "../../src/store/secret.js";
import { FakeTelegram, updates } from "../helpers/fake-telegram.js";
import { FakeWhatsApp, waMessage } from "../helpers/fake-whatsapp.js";
import { PASSWORD, startHarness, type Harness } from "../http/harness.js";

const SECRET = randomBytes(32).toString("hex");
const ADMIN_TOKEN = `admin-${randomBytes(16).toString("hex")}`;
const TELEGRAM_TOKEN = `918273111:AAH${randomBytes(16).toString("hex")}`;
const WRONG_PASSWORD = "Wrong-Passw0rd-Guessing";
const FACILITATOR_LOGIN = "facilitatrice-zk";
const DISABLED_LOGIN = "compte-nadia-qx";
const CLIENT_IP = "203.0.113.77";

const WEB_SESSION = `LogsWebSession_${randomBytes(8).toString("hex")}`;
const TELEGRAM_USER = 918273645;
const WHATSAPP_PHONE = "212698765432";
const WHATSAPP_ID = `${WHATSAPP_PHONE}@c.us`;

/** What people and facilitators write: each must stay out of the logs. */
const HANDOFF_TEXT = "je veux parler à quelqu'un, j'ai un problème de papiers à Inezgane, je m'appelle Zeynab Traoré";
const WEB_TEXTS = [HANDOFF_TEXT, "Merci beaucoup Amina, à demain matin"];
const TELEGRAM_TEXTS = ["je veux parler à quelqu'un, mon passeport Moussa Keita est bloqué", "Mon numéro est le +212612345678", "Message qui échoue chez Telegram Ousmane"];
const WHATSAPP_TEXTS = ["Bonjour, je suis Fatou Diallo de Dakar", "Je cherche un médecin pour ma fille Awa"];
const REPLIES = ["Bonjour Zeynab, passez au BAOM demain avec le récépissé 55-XK", "Moussa, appelez Maître Benali au bureau 12"];

function captureLogs(): { stream: Writable; lines: string[] } {
  const lines: string[] = [];
  let partial = "";
  const stream = new Writable({
    write(chunk, _encoding, done) {
      partial += String(chunk);
      const parts = partial.split("\n");
      partial = parts.pop()!;
      lines.push(...parts.filter((l) => l !== ""));
      done();
    },
  });
  return { stream, lines };
}

async function until(predicate: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
const settle = (ms = 300) => new Promise((r) => setTimeout(r, ms));

for (const level of ["trace", "info"] as const) {
  describe(`logs at level ${level}`, () => {
    const logs = captureLogs();
    let server: Harness;
    let api: FakeTelegram;
    let telegram: TelegramChannel;
    let wa: FakeWhatsApp;
    let whatsapp: WhatsAppChannel;

    beforeAll(async () => {
      const logger = createLogger(level, logs.stream);
      server = await startHarness({ logger, adminToken: ADMIN_TOKEN, jobs: true, env: { DALIL_SECRET: SECRET, TRUSTED_PROXY: "loopback", TELEGRAM_BOT_TOKEN: TELEGRAM_TOKEN, DALIL_RATE_LIMIT_MESSAGES: "100" } });
      const { dalil } = server;
      await dalil.users.create({ login: FACILITATOR_LOGIN, role: "facilitator", displayName: "Amina", password: PASSWORD }, new Date());
      await dalil.users.create({ login: DISABLED_LOGIN, role: "admin", displayName: "Nadia", password: PASSWORD }, new Date());

      api = await new FakeTelegram().start();
      telegram = new TelegramChannel({ token: TELEGRAM_TOKEN, apiRoot: api.apiRoot }, { conversations: dalil.conversations, i18n: dalil.loaded.content.i18n, logger });
      dalil.delivery.register("telegram", (address, _language, messages) => telegram.send(Number(address), messages));
      await telegram.start();

      wa = new FakeWhatsApp();
      whatsapp = new WhatsAppChannel({
        conversations: dalil.conversations,
        pending: new PendingInboundStore(dalil.db.prisma),
        sealer: new Sealer(dalil.secret, "pending-inbound"),
        i18n: dalil.loaded.content.i18n,
        logger,
        createClient: wa.createClient,
        makeLocation: (lat, lon, options) => ({ lat, lon, options }),
        clearSession: () => {},
        onQr: () => {},
        reconnect: { initialMs: 1, maxMs: 4 },
      });
      dalil.delivery.register("whatsapp", (address, language, messages) => whatsapp.send(address, language, messages));
      await whatsapp.start();
      await until(() => whatsapp.status().state === "ready", "WhatsApp ready");
    });
    afterAll(async () => {
      await telegram?.stop();
      await whatsapp?.stop();
      await api?.stop();
      await server?.close();
    });

    it("on the web chat, with a handoff and a facilitator's reply through the inbox", async () => {
      const ip = { "x-forwarded-for": CLIENT_IP };
      for (const body of [{ command: "start" }, { choice: "language.fr" }, { choice: "privacy.continue" }, { text: HANDOFF_TEXT }]) {
        expect((await server.chat({ session: WEB_SESSION, ...body }, ip)).status).toBe(200);
      }
      // A wrong password, then the right one.
      expect((await server.signIn(FACILITATOR_LOGIN, WRONG_PASSWORD, ip)).status).toBe(401);
      const fac = await server.signIn(FACILITATOR_LOGIN, PASSWORD, ip);
      expect(fac.status).toBe(303);
      const inbox = (path: string, body: unknown) => fetch(`${server.url}/inbox/api/tickets${path}`, { method: "POST", headers: { cookie: fac.cookie, "x-csrf-token": fac.csrf, "content-type": "application/json", ...ip }, body: JSON.stringify(body) });
      const ticket = (await server.dalil.tickets.queue()).find((t) => t.channel === "web")!;
      expect((await inbox(`/${ticket.id}/claim`, {})).status).toBe(200);
      expect((await inbox(`/${ticket.id}/reply`, { text: REPLIES[0] })).status).toBe(200);
      const events = await fetch(`${server.url}/api/events/${WEB_SESSION}`);
      const reader = events.body!.getReader();
      let received = "";
      while (!received.includes("55-XK")) received += new TextDecoder().decode((await reader.read()).value);
      await reader.cancel();
      expect((await server.chat({ session: WEB_SESSION, text: WEB_TEXTS[1] }, ip)).status).toBe(200);
    });

    it("on Telegram, with a handoff, a facilitator's reply, and a call Telegram refuses", async () => {
      const to = () => api.sent().filter((c) => c.payload.chat_id === TELEGRAM_USER);
      const push = async (update: object) => {
        const before = to().length;
        api.push(update as never);
        await until(() => to().length > before, "the bot's answer");
        await settle(200);
      };
      await push(updates.command(TELEGRAM_USER, "/start"));
      // Telegram refuses the bot's next message: grammy's error carries the chat id and the text it was sending.
      api.failNext("sendMessage", { error_code: 400, description: "Bad Request: chat not found" });
      api.push(updates.press(TELEGRAM_USER, "language.fr") as never);
      await until(() => logs.lines.some((l) => l.includes("messages could not be delivered; recorded in send_failure") && l.includes('"telegram"')), "the failure to be logged");
      await push(updates.press(TELEGRAM_USER, "privacy.continue"));
      await push(updates.text(TELEGRAM_USER, TELEGRAM_TEXTS[0]!));
      const ticket = (await server.dalil.tickets.queue()).find((t) => t.channel === "telegram")!;
      const amina = { key: "web:amina", name: "Amina" };
      expect((await server.dalil.handoff.claim(ticket.id, amina)).ok).toBe(true);
      await server.dalil.handoff.reply(ticket.id, amina, REPLIES[1]!);
      await until(() => to().some((c) => String(c.payload.text).includes("Benali")), "the reply to reach Telegram");
      // The person answers: relayed to the ticket, nothing sent back.
      const relayed = async () => (await server.dalil.tickets.thread(ticket.id, 0)).filter((l) => l.author === "person").length;
      const before = await relayed();
      for (const text of TELEGRAM_TEXTS.slice(1)) api.push(updates.text(TELEGRAM_USER, text) as never);
      const end = Date.now() + 10_000;
      while ((await relayed()) < before + 2 && Date.now() < end) await settle(50);
      expect(await relayed()).toBe(before + 2);
    });

    it("on WhatsApp, with a send that fails", async () => {
      const say = async (body: string) => {
        const before = wa.sent.length;
        wa.current.emit("message", waMessage(WHATSAPP_ID, { type: "chat", body }));
        await until(() => wa.sent.length > before, "the WhatsApp answer");
        await settle(200);
      };
      await say(WHATSAPP_TEXTS[0]!);
      await say("1");
      // The client fails to send, with an error that names the chat (as whatsapp-web.js's can).
      const client = wa.current;
      const send = client.sendMessage.bind(client);
      client.sendMessage = async (chatId: string) => {
        client.sendMessage = send;
        throw new Error(`Evaluation failed: no chat ${chatId} for message`);
      };
      wa.current.emit("message", waMessage(WHATSAPP_ID, { type: "chat", body: WHATSAPP_TEXTS[1] }));
      await until(() => logs.lines.some((l) => l.includes("messages could not be delivered; recorded in send_failure") && l.includes('"whatsapp"')), "the failure to be logged");
    });

    it("with the administrator's token, wrong and right", async () => {
      const open = async (token: string) => {
        const page = await fetch(`${server.url}/admin/whatsapp`);
        const cookie = page.headers.get("set-cookie")!.split(";")[0]!;
        const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!;
        return fetch(`${server.url}/admin/token`, { method: "POST", redirect: "manual", headers: { cookie, "x-forwarded-for": CLIENT_IP }, body: new URLSearchParams({ _csrf: csrf, token }) });
      };
      expect((await open(`${ADMIN_TOKEN}-wrong`)).status).toBe(401);
      const right = await open(ADMIN_TOKEN);
      expect(right.status).toBe(303);
      const cookie = right.headers.getSetCookie().find((c) => c.startsWith("dalil_admin="))!.split(";")[0]!;
      expect((await fetch(`${server.url}/admin/whatsapp`, { headers: { cookie } })).status).toBe(200);
    });

    it("with errors whose messages quote what was being written, and paths that name someone", async () => {
      const { dalil } = server;
      // Prisma's invocation errors quote the call's arguments on the lines after the first.
      const receive = dalil.conversations.receive.bind(dalil.conversations);
      dalil.conversations.receive = async () => {
        dalil.conversations.receive = receive;
        throw new Error(`Invalid \`prisma.conversation.update()\` invocation:\n\n  data: { userHash: "${personHash(dalil.secret, "web", WEB_SESSION)}", text: "${WEB_TEXTS[1]}" }`);
      };
      expect((await server.chat({ session: WEB_SESSION, text: WEB_TEXTS[1] })).status).toBe(500);
      // An unexpected failure on a route whose path holds a login.
      const admin = await server.signIn(DISABLED_LOGIN, PASSWORD);
      const setDisabled = dalil.users.setDisabled.bind(dalil.users);
      dalil.users.setDisabled = async () => {
        dalil.users.setDisabled = setDisabled;
        throw new Error("connection reset");
      };
      const response = await fetch(`${server.url}/admin/users/${FACILITATOR_LOGIN}/disable`, { method: "POST", headers: { cookie: admin.cookie, "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ _csrf: admin.csrf }) });
      expect(response.status).toBe(500);
    });

    it("contain none of it", async () => {
      await settle(300);
      const { dalil } = server;
      const forbidden: Record<string, string> = {
        "DALIL_SECRET": SECRET,
        "the administrator token": ADMIN_TOKEN,
        "the Telegram token": TELEGRAM_TOKEN,
        "the Telegram token's secret part": TELEGRAM_TOKEN.split(":")[1]!,
        "the password": PASSWORD,
        "the wrong password": WRONG_PASSWORD,
        "the web session id": WEB_SESSION,
        "the Telegram user and chat id": String(TELEGRAM_USER),
        "the WhatsApp number": WHATSAPP_PHONE,
        "the phone number typed": "612345678",
        "the client's address": CLIENT_IP,
        "a staff login": FACILITATOR_LOGIN,
        "the signed-in administrator's login": DISABLED_LOGIN,
        "the web person's hash": personHash(dalil.secret, "web", WEB_SESSION),
        "the Telegram person's hash": personHash(dalil.secret, "telegram", String(TELEGRAM_USER)),
        "the WhatsApp person's hash": personHash(dalil.secret, "whatsapp", WHATSAPP_ID),
      };
      for (const [i, text] of [...WEB_TEXTS, ...TELEGRAM_TEXTS, ...WHATSAPP_TEXTS, ...REPLIES].entries()) forbidden[`message ${i}`] = text;
      // Distinctive parts of them, in case a log quotes a message cut or escaped.
      for (const name of ["Zeynab", "Traoré", "Moussa", "Keita", "passeport", "Ousmane", "Fatou", "Diallo", "Dakar", "Awa ", "Benali", "55-XK", "récépissé", "Inezgane"]) forbidden[`the words "${name}"`] = name;

      expect(logs.lines.length).toBeGreaterThan(5);
      for (const line of logs.lines) {
        expect(() => JSON.parse(line), line).not.toThrow();
        const lower = line.toLowerCase();
        for (const [what, value] of Object.entries(forbidden)) {
          expect(lower.includes(value.toLowerCase()), `${what} in: ${line}`).toBe(false);
        }
      }
      // The events the test made did reach the log (so the check above looked at something).
      const messages = logs.lines.map((l) => JSON.parse(l).msg as string);
      for (const expected of ["staff signed in", "staff sign-in refused: wrong login or password", "administrator token accepted", "messages could not be delivered; recorded in send_failure", "unexpected error answering a request"]) {
        expect(messages, expected).toContain(expected);
      }
    });
  });
}
