import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config.js";

describe("configuration", () => {
  it("has defaults for everything: a fresh clone needs no setting", () => {
    const config = parseConfig({});
    expect(config).toMatchObject({ DATABASE_URL: "file:./var/dalil.db", PORT: 3000, HOST: "127.0.0.1", DALIL_RETENTION_DAYS: 30, DALIL_ABANDON_AFTER_HOURS: 24 });
    expect(config.TELEGRAM_BOT_TOKEN).toBeUndefined();
  });

  it("names every bad variable and what was expected", () => {
    let message = "";
    try {
      parseConfig({ PORT: "eighty", DALIL_RETENTION_DAYS: "-3", DATABASE_URL: "mysql://x", DALIL_SECRET: "short" });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message.split("\n")).toEqual(
      expect.arrayContaining([
        "Invalid configuration:",
        "  ✖ DATABASE_URL: expected file:<path> (SQLite) or postgresql://... (PostgreSQL)",
        "  ✖ DALIL_SECRET: must be at least 32 characters (e.g. `openssl rand -hex 32`)",
        "  ✖ DALIL_RETENTION_DAYS: Too small: expected number to be >0",
        "  ✖ PORT: Invalid input: expected number, received NaN",
      ]),
    );
  });

  it("refuses a webhook without its secret, and a malformed token", () => {
    expect(() => parseConfig({ TELEGRAM_BOT_TOKEN: "123456:abcdefghijklmnopqrstuvwxyzABCDEFGH", TELEGRAM_WEBHOOK_URL: "https://x.example/telegram/webhook" })).toThrow(/TELEGRAM_WEBHOOK_SECRET: required with TELEGRAM_WEBHOOK_URL/);
    expect(() => parseConfig({ TELEGRAM_BOT_TOKEN: "not a token" })).toThrow(/TELEGRAM_BOT_TOKEN: expected a token/);
  });

  it("treats an empty variable as unset", () => {
    expect(parseConfig({ TELEGRAM_BOT_TOKEN: "", PORT: "" }).PORT).toBe(3000);
  });
});
