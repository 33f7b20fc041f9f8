/** The browser set-up whatsapp-web.js relies on, proven here: its bundled puppeteer launches Debian's Chromium. */
import puppeteer from "puppeteer";
import { describe, expect, it } from "vitest";
import { CHROMIUM_ARGS } from "../../src/channels/whatsapp/client.js";
import { CHROMIUM, hasChromium, noChromiumReason } from "../helpers/browser.js";

if (!hasChromium) console.warn(noChromiumReason);

describe.skipIf(!hasChromium)("Chromium for WhatsApp", () => {
  it("launches with the project's options and opens about:blank", async () => {
    const browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage();
      await page.goto("about:blank");
      expect(await page.evaluate("navigator.userAgent")).toMatch(/Chrome\//);
    } finally {
      await browser.close();
    }
  });
});
