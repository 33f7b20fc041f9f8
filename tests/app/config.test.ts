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

  it("limits the API per address and everyone together by default; 0 turns a limit off", () => {
    expect(parseConfig({})).toMatchObject({ DALIL_RATE_LIMIT_IP_PER_MINUTE: 600, DALIL_RATE_LIMIT_GLOBAL_PER_MINUTE: 6000 });
    expect(parseConfig({ DALIL_RATE_LIMIT_IP_PER_MINUTE: "0", DALIL_RATE_LIMIT_GLOBAL_PER_MINUTE: "0" })).toMatchObject({ DALIL_RATE_LIMIT_IP_PER_MINUTE: 0, DALIL_RATE_LIMIT_GLOBAL_PER_MINUTE: 0 });
    expect(() => parseConfig({ DALIL_RATE_LIMIT_IP_PER_MINUTE: "-1" })).toThrow(/DALIL_RATE_LIMIT_IP_PER_MINUTE/);
    expect(() => parseConfig({ DALIL_RATE_LIMIT_GLOBAL_PER_MINUTE: "lots" })).toThrow(/DALIL_RATE_LIMIT_GLOBAL_PER_MINUTE/);
  });

  it("trusts no proxy unless told: loopback, addresses and subnets", () => {
    expect(parseConfig({}).TRUSTED_PROXY).toBeUndefined();
    expect(parseConfig({ TRUSTED_PROXY: "loopback" }).TRUSTED_PROXY).toEqual(["loopback"]);
    expect(parseConfig({ TRUSTED_PROXY: " 10.0.0.5, 192.168.1.0/24 ,fd00::/8,::1 " }).TRUSTED_PROXY).toEqual(["10.0.0.5", "192.168.1.0/24", "fd00::/8", "::1"]);
    for (const bad of ["everyone", "10.0.0.300", "10.0.0.0/33", "::1/129", "10.0.0.0/8/1", "*"]) {
      expect(() => parseConfig({ TRUSTED_PROXY: bad }), bad).toThrow(/TRUSTED_PROXY: ".*": expected loopback, an IP address or a subnet/);
    }
  });

  it("treats an empty variable as unset", () => {
    expect(parseConfig({ TELEGRAM_BOT_TOKEN: "", PORT: "" }).PORT).toBe(3000);
  });
});
