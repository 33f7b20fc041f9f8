/**
 * Telegram in polling mode: the runner confirms a batch to Telegram as soon as it asks for the next one, so each
 * update is stored on receipt and removed once handled; one left by a crash is handled at the next start, once.
 */
import { afterAll, describe, expect, it } from "vitest";
import type { Dalil } from "../../src/app/dalil.js";
import { TelegramChannel } from "../../src/channels/telegram/bot.js";
import { PendingInboundStore } from "../../src/store/pending-inbound.js";
import { Sealer } from "../../src/store/sealed.js";
import { FakeTelegram, updates } from "../helpers/fake-telegram.js";
import { silentLogger, startTestDalil, tempDir } from "../helpers/store.js";

const dir = tempDir();
let dalil: Dalil;
let api: FakeTelegram;
afterAll(async () => {
  await api?.stop();
  await dalil?.close();
  dir.cleanup();
});

function channel(): TelegramChannel {
  return new TelegramChannel(
    { token: "123456:TEST-token-abcdefghijklmnopqrstuvwxyz", apiRoot: api.apiRoot },
    {
      conversations: dalil.conversations,
      i18n: dalil.loaded.content.i18n,
      logger: silentLogger,
      pending: { store: new PendingInboundStore(dalil.db.prisma), sealer: new Sealer(dalil.secret, "pending-inbound"), clock: () => new Date() },
    },
  );
}

describe("Telegram updates kept until handled (polling)", () => {
  it("handles an update a crash left stored, at the next start, once; and leaves nothing stored after normal handling", async () => {
    dalil = await startTestDalil(dir.path);
    api = await new FakeTelegram().start();
    // What a process killed after receiving the update and before handling it leaves behind.
    const left = { update_id: 880_001, ...updates.text(880, "bonjour") };
    const pending = new PendingInboundStore(dalil.db.prisma);
    await pending.add("telegram", dalil.conversations.updateKey("telegram", String(left.update_id)), new Sealer(dalil.secret, "pending-inbound").seal(JSON.stringify(left)), new Date());

    const bot = channel();
    await bot.start();
    try {
      await api.waitFor((calls) => calls.some((c) => c.method === "sendMessage" && c.payload.chat_id === 880));
      expect(await dalil.db.prisma.conversation.count()).toBe(1);
      expect(await dalil.db.prisma.pendingInbound.count()).toBe(0);
      // A live update goes through the store and out of it.
      api.push(updates.press(880, "language.fr"));
      await api.waitFor((calls) => calls.filter((c) => c.method === "sendMessage" && c.payload.chat_id === 880).length >= 2);
      await new Promise((r) => setTimeout(r, 200));
      expect(await dalil.db.prisma.pendingInbound.count()).toBe(0);
      expect((await dalil.db.prisma.conversation.findFirst())!.version).toBe(2);
    } finally {
      await bot.stop();
    }
  });
});
