/** `npm start` as a newcomer runs it: a real process, its output, its channels, and a clean stop on SIGTERM. */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { projectRoot } from "../../src/content/files.js";
import { FakeTelegram } from "../helpers/fake-telegram.js";
import { tempDir } from "../helpers/store.js";
import { testDatabaseEnv } from "../helpers/postgres.js";

let api: FakeTelegram;
const dir = tempDir();
beforeAll(async () => {
  api = await new FakeTelegram().start();
});
afterAll(async () => {
  await api.stop();
  dir.cleanup();
});

describe("npm start", () => {
  it("serves the web chat, runs Telegram when a token is set, and stops cleanly on SIGTERM", async () => {
    // As `npm start` runs it: one process with tsx as a loader (tsx's own CLI would put a second process in between,
    // which kills the first if it is slow to acknowledge a signal).
    const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
      cwd: projectRoot(),
      env: { ...process.env, PORT: "0", ...(await testDatabaseEnv(dir.path)), DALIL_VAR_DIR: dir.path, TELEGRAM_BOT_TOKEN: "123456:TEST-token-abcdefghijklmnopqrstuvwxyz", TELEGRAM_API_ROOT: api.apiRoot, LOG_LEVEL: "info" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    const end = Date.now() + 60_000;
    while (!stdout.includes("Channels:") && Date.now() < end && child.exitCode === null) await new Promise((r) => setTimeout(r, 100));
    expect(stdout).toMatch(/Dalil is running: open http:\/\/localhost:\d+/);
    expect(stdout).toContain("Channels: web, telegram (polling)");
    const url = /open (http:\/\/localhost:\d+)/.exec(stdout)![1]!.replace("localhost", "127.0.0.1");
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    // A web chat page left open: its event stream must end cleanly at the stop, not hold the process up or be cut.
    const events = await fetch(`${url}/api/events/page-left-open-0001`);
    expect(events.status).toBe(200);
    const reader = events.body!.getReader();
    child.kill("SIGTERM");
    let ended: "done" | "cut" = "cut";
    try {
      while (!(await reader.read()).done);
      ended = "done";
    } catch {
      ended = "cut";
    }
    expect(ended).toBe("done");
    expect(await exited).toBe(0);
    expect(stderr).toContain('"msg":"stopped"');
    // The log carries no message text and no ids: only codes and counts.
    expect(stderr).not.toMatch(/123456:TEST/);
  });
});
