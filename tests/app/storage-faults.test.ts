/**
 * The database briefly unavailable: a message waits and is handled once the database is back, the person is told
 * "one moment" when the wait is long, and past the budget the channel is told to keep the message (nothing is half
 * written). SQLite: another process holds the write lock longer than the busy timeout. PostgreSQL: the connection
 * to the server is cut and refused for a while (through a TCP relay the test controls).
 */
import { once } from "node:events";
import { createServer, connect, type Server, type Socket } from "node:net";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import type { Dalil } from "../../src/app/dalil.js";
import { StorageUnavailableError, isTransientStorageError, withStorageRetry } from "../../src/store/transient.js";
import { TEST_SECRET, onPostgres, testDatabaseUrl } from "../helpers/postgres.js";
import { silentLogger, startTestDalil, tempDir } from "../helpers/store.js";
import { FakeTelegram, WEBHOOK_SECRET, deliverWebhook, updates } from "../helpers/fake-telegram.js";
import { FakeWhatsApp, waMessage } from "../helpers/fake-whatsapp.js";
import { WhatsAppChannel } from "../../src/channels/whatsapp/channel.js";
import { Pacer } from "../../src/channels/whatsapp/pacer.js";
import { PendingInboundStore } from "../../src/store/pending-inbound.js";
import { Sealer } from "../../src/store/sealed.js";
import { TelegramChannel } from "../../src/channels/telegram/bot.js";
import { createHttpApp, startHttpServer } from "../../src/http/server.js";
import { projectRoot } from "../../src/content/files.js";

const open: { dalil: Dalil; cleanup: () => void }[] = [];
afterAll(async () => {
  for (const o of open) {
    await o.dalil.close().catch(() => undefined);
    o.cleanup();
  }
});

async function fresh(env: Record<string, string> = {}): Promise<{ dalil: Dalil; dir: string }> {
  const dir = tempDir();
  const dalil = await startTestDalil(dir.path, { env });
  open.push({ dalil, cleanup: dir.cleanup });
  return { dalil, dir: dir.path };
}

describe("retrying while storage is unavailable", () => {
  it("retries only transient errors, backing off, and says when the wait is long", async () => {
    const waits: number[] = [];
    let calls = 0;
    let slow = 0;
    const result = await withStorageRetry(
      async () => {
        calls++;
        if (calls < 6) throw Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
        return "stored";
      },
      { budgetMs: 60_000, slowAfterMs: 0, onSlow: () => void slow++, sleep: async (ms) => void waits.push(ms) },
    );
    expect(result).toBe("stored");
    expect(waits).toEqual([50, 100, 200, 400, 800]);
    expect(slow).toBe(1);
    await expect(withStorageRetry(() => Promise.reject(new Error("Unique constraint failed")), { budgetMs: 60_000, sleep: async () => {} })).rejects.toThrow(/Unique constraint/);
    expect(isTransientStorageError(new Error("SqliteError: database is locked"))).toBe(true);
    expect(isTransientStorageError({ code: "P2002" })).toBe(false);
  });

  it.skipIf(onPostgres)("SQLite locked by another writer for longer than the busy timeout: the message waits, then is handled once", async () => {
    const { dalil, dir } = await fresh();
    await dalil.conversations.receive("telegram", "locked-1", { kind: "text", text: "bonjour" });
    const other = new Database(join(dir, "dalil.db"));
    other.exec("BEGIN EXCLUSIVE");
    // Longer than the 5 s busy timeout of the driver: without retries the message would fail.
    const release = setTimeout(() => {
      other.exec("COMMIT");
      other.close();
    }, 7_000);
    let toldToWait = 0;
    const received = await dalil.conversations.receive("telegram", "locked-1", { kind: "choice", id: "language.fr" }, { onSlow: () => void toldToWait++ });
    clearTimeout(release);
    expect(received.kind).toBe("replied");
    expect(toldToWait).toBe(1);
    const rows = await dalil.db.prisma.conversation.findMany();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.version).toBe(2);
    expect(JSON.parse(rows[0]!.state).language).toBe("fr");
  }, 60_000);

  it.skipIf(onPostgres)("past the budget the channel is told to keep the message, and nothing was written", async () => {
    const { dalil, dir } = await fresh({ DALIL_STORAGE_RETRY_SECONDS: "1" });
    const other = new Database(join(dir, "dalil.db"));
    other.exec("BEGIN EXCLUSIVE");
    try {
      await expect(dalil.conversations.receive("telegram", "locked-2", { kind: "text", text: "bonjour" }, { dedupeKey: "77" })).rejects.toBeInstanceOf(StorageUnavailableError);
    } finally {
      other.exec("COMMIT");
      other.close();
    }
    expect(await dalil.db.prisma.conversation.count()).toBe(0);
    // The platform delivers it again later: it is handled then, once.
    expect((await dalil.conversations.receive("telegram", "locked-2", { kind: "text", text: "bonjour" }, { dedupeKey: "77" })).kind).toBe("replied");
    expect((await dalil.conversations.receive("telegram", "locked-2", { kind: "text", text: "bonjour" }, { dedupeKey: "77" })).kind).toBe("duplicate");
  }, 60_000);
});

describe.skipIf(onPostgres)("Telegram while SQLite is locked", () => {
  it("webhook: the update is not confirmed (HTTP error) until it is stored; Telegram's second delivery is handled once", async () => {
    const { dalil, dir } = await fresh({ DALIL_STORAGE_RETRY_SECONDS: "1" });
    const api = await new FakeTelegram().start();
    const channel = new TelegramChannel(
      { token: "123456:TEST-token-abcdefghijklmnopqrstuvwxyz", apiRoot: api.apiRoot, webhook: { url: "https://dalil.example.org/telegram/webhook", secret: WEBHOOK_SECRET } },
      { conversations: dalil.conversations, i18n: dalil.loaded.content.i18n, logger: silentLogger },
    );
    const app = createHttpApp({ dalil, logger: silentLogger, root: projectRoot() });
    app.post("/telegram/webhook", channel.webhookHandler());
    const http = await startHttpServer(app, { host: "127.0.0.1", port: 0 });
    try {
      await channel.start();
      const update = { update_id: 4242, ...updates.text(4242, "bonjour") };
      const deliver = () => deliverWebhook(http.url, update);
      const other = new Database(join(dir, "dalil.db"));
      other.exec("BEGIN EXCLUSIVE");
      let first: Response;
      try {
        first = await deliver();
      } finally {
        other.exec("COMMIT");
        other.close();
      }
      expect(first.status).toBeGreaterThanOrEqual(500);
      expect(await dalil.db.prisma.conversation.count()).toBe(0);
      expect((await deliver()).status).toBe(200);
      expect((await deliver()).status).toBe(200);
      const rows = await dalil.db.prisma.conversation.findMany();
      expect(rows).toHaveLength(1);
      expect(rows[0]!.version).toBe(1);
      expect(api.sent("sendMessage").filter((c) => c.payload.chat_id === 4242).length).toBeGreaterThan(0);
    } finally {
      await channel.stop();
      await http.close();
      await api.stop();
    }
  }, 60_000);
});

describe.skipIf(onPostgres)("WhatsApp while SQLite is locked", () => {
  it("a message received while the database is locked is held, stored when it is back, and answered once", async () => {
    const { dalil, dir } = await fresh({ DALIL_STORAGE_RETRY_SECONDS: "1" });
    const wa = new FakeWhatsApp();
    const channel = new WhatsAppChannel({
      conversations: dalil.conversations,
      pending: new PendingInboundStore(dalil.db.prisma),
      sealer: new Sealer(dalil.secret, "pending-inbound"),
      i18n: dalil.loaded.content.i18n,
      logger: silentLogger,
      createClient: wa.createClient,
      makeLocation: (lat, lon, options) => ({ lat, lon, options }),
      clearSession: () => undefined,
      pacer: new Pacer(0),
      reconnect: { initialMs: 1, maxMs: 4 },
    });
    await channel.start();
    try {
      const end = Date.now() + 10_000;
      while (channel.status().state !== "ready" && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
      const other = new Database(join(dir, "dalil.db"));
      other.exec("BEGIN EXCLUSIVE");
      const from = "212600000777@c.us";
      wa.current.emit("message", waMessage(from, { type: "chat", body: "bonjour" }));
      // Longer than the 5 s busy timeout and than the 1 s retry budget of handling: the message must be held.
      await new Promise((r) => setTimeout(r, 7_000));
      expect(wa.sent.filter((m) => m.chatId === from)).toHaveLength(0);
      other.exec("COMMIT");
      other.close();
      const until = Date.now() + 20_000;
      while (wa.sent.filter((m) => m.chatId === from).length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
      expect(wa.sent.filter((m) => m.chatId === from).length).toBeGreaterThan(0);
      expect(await dalil.db.prisma.conversation.count({ where: { channel: "whatsapp" } })).toBe(1);
      expect(await dalil.db.prisma.pendingInbound.count()).toBe(0);
    } finally {
      await channel.stop();
    }
  }, 60_000);
});

/** A TCP relay to PostgreSQL that the test can cut (closing every connection) and block (refusing new ones). */
class Relay {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  port = 0;
  constructor(private readonly target: { host: string; port: number }) {}
  async start(port = 0): Promise<this> {
    this.server = createServer((client) => {
      const upstream = connect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on("close", () => this.sockets.delete(s));
        s.on("error", () => s.destroy());
      }
      client.pipe(upstream).pipe(client);
    });
    this.server.listen(port, "127.0.0.1");
    await once(this.server, "listening");
    this.port = (this.server.address() as { port: number }).port;
    return this;
  }
  /** Cuts every connection and stops listening: the database is unreachable. */
  async block(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise((resolve) => this.server!.close(resolve));
  }
  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    if (this.server?.listening) await new Promise((resolve) => this.server!.close(resolve));
  }
}

describe.runIf(onPostgres)("PostgreSQL unreachable for a few seconds", () => {
  it("the message waits for the server to come back, the person is told to wait, and it is handled once", async () => {
    const dir = tempDir();
    const direct = new URL(await testDatabaseUrl(dir.path));
    const relay = await new Relay({ host: direct.hostname, port: Number(direct.port || 5432) }).start();
    const viaRelay = new URL(direct);
    viaRelay.port = String(relay.port);
    const dalil = await startTestDalil(dir.path, { env: { DATABASE_URL: viaRelay.toString(), DALIL_SECRET: TEST_SECRET } });
    open.push({ dalil, cleanup: dir.cleanup });
    try {
      await dalil.conversations.receive("telegram", "pg-1", { kind: "text", text: "bonjour" });
      await relay.block();
      const port = relay.port;
      const back = setTimeout(() => void relay.start(port), 4_000);
      let toldToWait = 0;
      const received = await dalil.conversations.receive("telegram", "pg-1", { kind: "choice", id: "language.fr" }, { dedupeKey: "9001", onSlow: () => void toldToWait++ });
      clearTimeout(back);
      expect(received.kind).toBe("replied");
      expect(toldToWait).toBe(1);
      const rows = await dalil.db.prisma.conversation.findMany();
      expect(rows).toHaveLength(1);
      expect(rows[0]!.version).toBe(2);
    } finally {
      await relay.stop();
    }
  }, 60_000);
});
