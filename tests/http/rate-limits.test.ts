/**
 * Limits beyond the per-person one: the JSON API per client address and for everyone together, and channels for
 * everyone together. Counted in the database (every worker shares them), over real HTTP and a fake Telegram.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConversationService } from "../../src/app/conversations.js";
import { TelegramChannel } from "../../src/channels/telegram/bot.js";
import { projectRoot } from "../../src/content/files.js";
import { Hono } from "hono";
import { addressKey, clientInfo, clientOf, trustedProxies } from "../../src/http/rate-limit.js";
import { createHttpApp } from "../../src/http/server.js";
import { Sealer } from "../../src/store/sealed.js";
import { FakeTelegram, updates } from "../helpers/fake-telegram.js";
import { silentLogger } from "../helpers/store.js";
import { startHarness, type Harness } from "./harness.js";

const MINUTE = 60_000;
let byAddress: Harness;
let direct: Harness;
let global: Harness;
let sessions = 0;
const newSession = () => `rate-limit-session-${String(++sessions).padStart(4, "0")}`;
const t = (language: string, key: string) => byAddress.dalil.loaded.content.i18n.t(language, key);

beforeAll(async () => {
  // Per-person limit out of the way; the address limit small; behind a proxy on this machine.
  byAddress = await startHarness({ env: { TRUSTED_PROXY: "loopback", DALIL_RATE_LIMIT_IP_PER_MINUTE: "5", DALIL_RATE_LIMIT_GLOBAL_PER_MINUTE: "0", DALIL_RATE_LIMIT_MESSAGES: "100" } });
  // Reached directly: X-Forwarded-For is not believed.
  direct = await startHarness({ env: { DALIL_RATE_LIMIT_IP_PER_MINUTE: "3", DALIL_RATE_LIMIT_GLOBAL_PER_MINUTE: "0" } });
  global = await startHarness({ env: { TRUSTED_PROXY: "loopback", DALIL_RATE_LIMIT_IP_PER_MINUTE: "0", DALIL_RATE_LIMIT_GLOBAL_PER_MINUTE: "4", DALIL_RATE_LIMIT_MESSAGES: "100" } });
});
afterAll(async () => {
  await byAddress?.close();
  await direct?.close();
  await global?.close();
});

const from = (ip: string) => ({ "x-forwarded-for": ip });

describe("the counters (database rows every worker shares)", () => {
  it("say when the window ends, take back a hit, and spread a large shared limit over rows without letting more through", async () => {
    const limits = byAddress.dalil.rateLimits;
    const t0 = Date.UTC(2030, 0, 1);
    const options = { limit: 3, windowMs: MINUTE };
    expect(await limits.hit("unit:a", { ...options, nowMs: t0 })).toEqual({ count: 1, allowed: true, firstRefusal: false, retryAfterMs: MINUTE });
    await limits.hit("unit:a", { ...options, nowMs: t0 + 1000 });
    await limits.hit("unit:a", { ...options, nowMs: t0 + 2000 });
    expect(await limits.hit("unit:a", { ...options, nowMs: t0 + 10_000 })).toEqual({ count: 4, allowed: false, firstRefusal: true, retryAfterMs: 50_000 });
    await limits.undo("unit:a");
    await limits.undo("unit:a");
    expect((await limits.hit("unit:a", { ...options, nowMs: t0 + 11_000 })).allowed).toBe(true);
    // 200 a minute: two rows of 100; 600 hits let exactly 200 through.
    let allowed = 0;
    for (let i = 0; i < 600; i++) if ((await limits.hitShared("unit:shared", { limit: 200, windowMs: MINUTE, nowMs: t0 })).allowed) allowed++;
    expect(allowed).toBe(200);
  });
});

describe("the client's address and https", () => {
  /** What `clientInfo` makes of a request from `peer` with `headers`, for TRUSTED_PROXY `trusted`. */
  const seenAs = async (trusted: string[] | undefined, peer: string, headers: Record<string, string> = {}, url = "http://dalil.test/x") => {
    const app = new Hono();
    app.use("*", clientInfo({ trusted: trustedProxies(trusted), logger: silentLogger }));
    app.get("/x", (c) => c.json(clientOf(c)));
    return (await app.request(url, { headers }, { incoming: { socket: { remoteAddress: peer } } })).json();
  };

  it("is the socket's when no proxy is trusted, whatever the forwarded headers say", async () => {
    expect(await seenAs(undefined, "198.51.100.9", { "x-forwarded-for": "1.2.3.4", "x-forwarded-proto": "https" })).toEqual({ ip: "198.51.100.9", https: false });
    expect(await seenAs(["10.0.0.1"], "127.0.0.1", { "x-forwarded-for": "1.2.3.4", "x-forwarded-proto": "https" })).toEqual({ ip: "127.0.0.1", https: false });
    expect(await seenAs(undefined, "::ffff:198.51.100.9")).toEqual({ ip: "198.51.100.9", https: false });
    expect(await seenAs(undefined, "198.51.100.9", {}, "https://dalil.test/x")).toEqual({ ip: "198.51.100.9", https: true });
  });

  it("behind a trusted proxy: the right-most address that is not a trusted proxy, and its X-Forwarded-Proto", async () => {
    expect(await seenAs(["loopback"], "127.0.0.1", { "x-forwarded-for": "203.0.113.5", "x-forwarded-proto": "https" })).toEqual({ ip: "203.0.113.5", https: true });
    expect(await seenAs(["loopback"], "::1", { "x-forwarded-for": "2001:db8::7" })).toEqual({ ip: "2001:db8::7", https: false });
    // A client that sends its own X-Forwarded-For to a proxy that appends: the made-up address is ignored.
    expect(await seenAs(["loopback"], "127.0.0.1", { "x-forwarded-for": "6.6.6.6, 203.0.113.5" })).toEqual({ ip: "203.0.113.5", https: false });
    // Two proxies in a row, both trusted.
    expect(await seenAs(["loopback", "10.0.0.0/8"], "127.0.0.1", { "x-forwarded-for": "203.0.113.5, 10.1.2.3", "x-forwarded-proto": "https, http" })).toEqual({ ip: "203.0.113.5", https: true });
    // Without X-Forwarded-For, the proxy's own address; garbage is not an address.
    expect(await seenAs(["loopback"], "127.0.0.1", { "x-forwarded-for": "not-an-address" })).toEqual({ ip: "127.0.0.1", https: false });
  });
});

describe("the JSON API, per client address", () => {
  it("answers 429 past the limit, with the polite notice in the session's language once, and lets other addresses in", async () => {
    const ip = from("203.0.113.1");
    const arabic = newSession();
    expect((await byAddress.chat({ session: arabic, command: "start" }, ip)).status).toBe(200);
    expect((await byAddress.chat({ session: arabic, choice: "language.ar" }, ip)).json.language).toBe("ar");
    for (let i = 0; i < 3; i++) expect((await byAddress.chat({ session: newSession(), command: "start" }, ip)).status).toBe(200);

    const refused = await byAddress.chat({ session: arabic, text: "مرحبا" }, ip);
    expect(refused.status).toBe(429);
    // The shape of the per-person refusal: an error for integrations, the messages to show.
    expect(refused.json).toEqual({ error: expect.any(String), messages: [{ text: t("ar", "common:rate_limited"), role: "notice" }] });
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // Told once: the page does not repeat it at every try.
    expect((await byAddress.chat({ session: arabic, text: "مرحبا" }, ip)).json.messages).toEqual([]);
    // Another session from the same address is told once too, in its own language (the default for a new one).
    expect((await byAddress.chat({ session: newSession(), command: "start" }, ip)).json.messages).toEqual([{ text: t("fr", "common:rate_limited"), role: "notice" }]);
    // Every route of the API counts.
    expect((await fetch(`${byAddress.url}/api/events/${arabic}`, { headers: ip })).status).toBe(429);
    expect((await fetch(`${byAddress.url}/api/strings/fr`, { headers: ip })).status).toBe(429);

    expect((await byAddress.chat({ session: newSession(), command: "start" }, from("203.0.113.2"))).status).toBe(200);
    byAddress.clock.advance(MINUTE);
    expect((await byAddress.chat({ session: arabic, text: "مرحبا" }, ip)).status).toBe(200);
  });

  it("counts an IPv6 client by its /64", async () => {
    expect(addressKey("2001:db8:1:2::1")).toBe(addressKey("2001:db8:1:2:ffff:ffff:ffff:ffff"));
    expect(addressKey("2001:db8:1:2::1")).not.toBe(addressKey("2001:db8:1:3::1"));
    expect(addressKey("2001:0db8:0001:0002:0000:0000:0000:0001")).toBe(addressKey("2001:db8:1:2::1"));
    for (let i = 1; i <= 5; i++) expect((await byAddress.chat({ session: newSession(), command: "start" }, from(`2001:db8:1:2::${i}`))).status).toBe(200);
    expect((await byAddress.chat({ session: newSession(), command: "start" }, from("2001:db8:1:2::99"))).status).toBe(429);
    expect((await byAddress.chat({ session: newSession(), command: "start" }, from("2001:db8:1:3::1"))).status).toBe(200);
  });

  it("counts the socket's address when the peer is not a trusted proxy: a made-up X-Forwarded-For does not help", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await direct.chat({ session: newSession(), command: "start" }, from(`198.51.100.${i}`))).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
  });
});

describe("the JSON API, everyone together", () => {
  it("answers 429 past the global limit, whatever the address, until the minute is over", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await global.chat({ session: newSession(), command: "start" }, from(`192.0.2.${i + 1}`))).status);
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
    const refused = await global.chat({ session: newSession(), command: "start" }, from("192.0.2.50"));
    expect(refused.status).toBe(429);
    expect(refused.json.messages).toEqual([{ text: t("fr", "common:rate_limited"), role: "notice" }]);
    global.clock.advance(MINUTE);
    expect((await global.chat({ session: newSession(), command: "start" }, from("192.0.2.51"))).status).toBe(200);
  });
});

describe("channels, everyone together", () => {
  /** The conversation service as the app builds it, with a global limit of `perMinute` messages. */
  const limited = (h: Harness, perMinute: number) =>
    new ConversationService({
      content: h.dalil.loaded.content,
      addressSealer: new Sealer(h.dalil.secret, "address"),
      conversations: h.dalil.conversationStore,
      rateLimits: h.dalil.rateLimits,
      rateLimit: { messages: 100, windowMs: 10_000, globalPerMinute: perMinute },
      directory: h.dalil.directory,
      secret: h.dalil.secret,
      clock: h.clock.read,
      newId: randomUUID,
      logger: silentLogger,
    });

  it("refuses messages past the limit, telling each person once, in their language", async () => {
    const service = limited(byAddress, 3);
    const start = { kind: "command", command: "start" } as const;
    expect((await service.receive("telegram", "person-1", start)).kind).toBe("replied");
    expect((await service.receive("telegram", "person-1", { kind: "choice", id: "language.en" })).kind).toBe("replied");
    expect((await service.receive("whatsapp", "person-2", start)).kind).toBe("replied");
    const first = await service.receive("telegram", "person-1", { kind: "text", text: "hello" });
    expect(first).toMatchObject({ kind: "limited", notice: { language: "en", outbound: [{ text: t("en", "common:rate_limited"), role: "notice" }] } });
    expect(await service.receive("telegram", "person-1", { kind: "text", text: "hello?" })).toEqual({ kind: "limited", notice: null });
    expect(await service.receive("whatsapp", "person-2", { kind: "text", text: "bonjour" })).toMatchObject({ kind: "limited", notice: { outbound: [{ text: t("fr", "common:rate_limited") }] } });
    byAddress.clock.advance(MINUTE);
    expect((await service.receive("telegram", "person-1", { kind: "text", text: "hello" })).kind).toBe("replied");
  });

  it("on the web chat: the per-person refusal's 429", async () => {
    const service = limited(global, 1);
    const app = createHttpApp({ dalil: { ...global.dalil, conversations: service }, logger: silentLogger, root: projectRoot() });
    const post = (session: string) => app.request("/api/chat", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ session, command: "start" }) });
    global.clock.advance(MINUTE);
    expect((await post(newSession())).status).toBe(200);
    const refused = await post(newSession());
    expect(refused.status).toBe(429);
    expect(await refused.json()).toEqual({ error: expect.any(String), messages: [{ text: t("fr", "common:rate_limited"), role: "notice" }] });
  });

  it("on Telegram: one notice per person, however many messages they send", async () => {
    const api = await new FakeTelegram().start();
    const service = limited(direct, 2);
    const channel = new TelegramChannel({ token: "123456:TEST-token-abcdefghijklmnopqrstuvwxyz", apiRoot: api.apiRoot }, { conversations: service, i18n: direct.dalil.loaded.content.i18n, logger: silentLogger });
    try {
      await channel.start();
      const to = (chat: number) => api.sent("sendMessage").filter((c) => c.payload.chat_id === chat);
      api.push(updates.command(8101, "/start") as never);
      api.push(updates.command(8102, "/start") as never);
      await api.waitFor(() => to(8101).length > 0 && to(8102).length > 0);
      for (let i = 0; i < 3; i++) api.push(updates.text(8103, `message ${i}`) as never);
      await api.waitFor(() => to(8103).length > 0);
      await new Promise((r) => setTimeout(r, 500));
      expect(to(8103).map((c) => c.payload.text)).toEqual([t("fr", "common:rate_limited")]);
    } finally {
      await channel.stop();
      await api.stop();
    }
  });
});
