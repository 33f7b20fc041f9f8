/**
 * A message the channel could not deliver after its own retries is recorded for the operator (codes and the
 * conversation, never the text), and `dalil send-failures` shows it; a queued message that can never go (the person
 * blocked the bot) is recorded and dropped, one that may go later is kept.
 */
import { spawnSync } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import type { Dalil } from "../../src/app/dalil.js";
import { projectRoot } from "../../src/content/files.js";
import { personHash } from "../../src/store/secret.js";
import { testDatabaseEnv } from "../helpers/postgres.js";
import { secretOf, startTestDalil, tempDir } from "../helpers/store.js";

const dir = tempDir();
let dalil: Dalil;
afterAll(async () => {
  await dalil?.close();
  dir.cleanup();
});

const blocked = Object.assign(new Error("Forbidden: bot was blocked by the user"), { error_code: 403 });

describe("messages that could not be delivered", () => {
  it("are recorded with their channel, purpose and code, never their text, and the CLI lists them", async () => {
    dalil = await startTestDalil(dir.path);
    const chat = "777001";
    await dalil.conversations.handle("telegram", chat, { kind: "text", text: "bonjour" }, { address: chat });
    const stored = await dalil.conversationStore.find("telegram", personHash(secretOf(dir.path), "telegram", chat));
    dalil.delivery.register("telegram", async () => {
      throw blocked;
    });
    await expect(dalil.delivery.toConversation(stored!.id, "fr", [{ text: "Réponse secrète de l'animatrice", role: "info" }])).rejects.toThrow(/blocked/);
    await dalil.conversations.recordSendFailure("telegram", chat, "reply", Object.assign(new Error("Too Many Requests"), { error_code: 429 }), 3);
    const rows = await dalil.db.prisma.sendFailure.findMany({ orderBy: { id: "asc" } });
    expect(rows.map((r) => [r.channel, r.purpose, r.code, r.messages, r.conversationId])).toEqual([
      ["telegram", "relay", "403", 1, stored!.id],
      ["telegram", "reply", "429", 3, stored!.id],
    ]);
    expect(JSON.stringify(rows)).not.toContain("secrète");

    const cli = spawnSync(process.execPath, ["src/bin/dalil.mjs", "send-failures", "--days", "30"], { cwd: projectRoot(), env: { ...process.env, ...(await testDatabaseEnv(dir.path)), DALIL_VAR_DIR: dir.path }, encoding: "utf8", timeout: 120_000 });
    expect(cli.status).toBe(0);
    expect(cli.stdout).toMatch(/^telegram\trelay\t403\t1\t1\t/m);
    expect(cli.stdout).toMatch(/^telegram\treply\t429\t1\t3\t/m);
  });

  it("drops and records a queued message that can never go; keeps one that may go later", async () => {
    const chat = "212600000009@c.us";
    await dalil.conversations.handle("whatsapp", chat, { kind: "text", text: "bonjour" }, { address: chat });
    const stored = await dalil.conversationStore.find("whatsapp", personHash(secretOf(dir.path), "whatsapp", chat));
    // No WhatsApp here yet: queued.
    await dalil.delivery.toConversation(stored!.id, "fr", [{ text: "Un message", role: "info" }]);
    dalil.delivery.register("whatsapp", async () => {
      throw Object.assign(new Error("rate"), { error_code: 429 });
    });
    await expect(dalil.delivery.drainOutboxes()).rejects.toThrow();
    expect((await dalil.db.prisma.conversation.findUnique({ where: { id: stored!.id } }))!.outbox).not.toBeNull();
    dalil.delivery.register("whatsapp", async () => {
      throw blocked;
    });
    await expect(dalil.delivery.drainOutboxes()).rejects.toThrow();
    expect((await dalil.db.prisma.conversation.findUnique({ where: { id: stored!.id } }))!.outbox).toBeNull();
    expect(await dalil.db.prisma.sendFailure.count({ where: { channel: "whatsapp", purpose: "queued", code: "403" } })).toBe(1);
  });

  it("forgets which conversation a failure was about when the person deletes their data", async () => {
    await dalil.conversations.handle("telegram", "777001", { kind: "command", command: "delete" });
    await dalil.conversations.handle("telegram", "777001", { kind: "choice", id: "g.delete.yes" });
    expect(await dalil.conversationStore.find("telegram", personHash(secretOf(dir.path), "telegram", "777001"))).toBeNull();
    const rows = await dalil.db.prisma.sendFailure.findMany({ where: { channel: "telegram" } });
    expect(rows.length).toBe(2);
    expect(rows.every((r) => r.conversationId === null)).toBe(true);
  });
});
