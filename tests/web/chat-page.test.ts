import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { projectRoot } from "../../src/content/files.js";
import { hasChromium, launchChromium, noChromiumReason } from "../helpers/browser.js";
import { startTestServer, type TestServer } from "../helpers/server.js";

if (!hasChromium) console.warn(noChromiumReason);
const ARTIFACTS = join(projectRoot(), "tests", "artifacts");

describe.skipIf(!hasChromium)("the web chat page in Chromium", () => {
  let server: TestServer;
  let browser: Browser;
  const errors: string[] = [];

  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchChromium();
    mkdirSync(ARTIFACTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function openPage(options: { width: number; height: number; geolocation?: { latitude: number; longitude: number } }): Promise<Page> {
    const context = await browser.newContext({
      viewport: { width: options.width, height: options.height },
      locale: "fr-FR",
      ...(options.geolocation ? { geolocation: options.geolocation, permissions: ["geolocation"] } : {}),
    });
    const page = await context.newPage();
    page.on("pageerror", (error) => errors.push(error.message));
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(message.text());
    });
    await page.goto(server.url);
    return page;
  }

  const lastBot = (page: Page) => page.locator(".msg.bot").last();
  /** Press a button of the last bot message and wait for the answer, so the next lookup cannot land on the old, now disabled, buttons. */
  const click = async (page: Page, label: string) => {
    const before = await page.locator(".msg.bot").count();
    await lastBot(page).getByRole("button", { name: label, exact: true }).click();
    await expect.poll(() => page.locator(".msg.bot").count()).toBeGreaterThan(before);
  };

  it("refers a person in Arabic by clicking alone, laid out right to left", async () => {
    const page = await openPage({ width: 390, height: 844, geolocation: { latitude: 30.3551, longitude: -9.5551 } });
    await expect.poll(() => page.locator(".msg.bot").count()).toBeGreaterThan(0);
    await click(page, "العربية");
    await expect.poll(() => page.evaluate("document.documentElement.dir")).toBe("rtl");
    await click(page, "متابعة");
    await click(page, "الصحة والعلاج");
    // The place question offers to share the location; the browser gives a point in Inezgane.
    await click(page, "مشاركة موقعي");
    await click(page, "امرأة");
    await click(page, "من 18 إلى 59 سنة");
    await click(page, "أفضل عدم الإجابة");
    await expect.poll(() => page.locator(".msg.referral").count()).toBe(3);
    const card = await page.locator(".msg.referral").first().innerText();
    expect(card).toMatch(/[\u0600-\u06FF]/);
    expect(await page.locator(".msg.referral a").first().getAttribute("href")).toContain("openstreetmap.org");
    expect(await page.evaluate("document.documentElement.lang")).toBe("ar");
    expect(await page.locator("#send").innerText()).toBe("إرسال");
    await page.locator(".msg.referral").first().scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(ARTIFACTS, "chat-ar.png"), fullPage: false });
    const rows = await server.dalil.db.prisma.request.findMany({ where: { language: "ar" }, include: { categories: true } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ channel: "web", commune: "09.273.01.15", sex: "female", outcome: "referred" });
    expect(errors).toEqual([]);
  });

  it("works with the keyboard alone, in French, on a desktop screen", async () => {
    const page = await openPage({ width: 1280, height: 800 });
    await expect.poll(() => page.locator(".msg.bot").count()).toBeGreaterThan(0);
    await page.keyboard.type("je cherche du travail à Agadir");
    await page.keyboard.press("Enter");
    await expect.poll(() => lastBot(page).innerText()).toContain("français");
    // Tab to the first button of the last message ("Français") and press it.
    await lastBot(page).getByRole("button", { name: "Français" }).focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => lastBot(page).innerText()).toContain("Continuer");
    await lastBot(page).getByRole("button", { name: "Continuer" }).focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => lastBot(page).innerText()).toContain("Vous êtes");
    expect(await page.evaluate("document.documentElement.dir")).toBe("ltr");
    await page.screenshot({ path: join(ARTIFACTS, "chat-fr-desktop.png") });
    expect(errors).toEqual([]);
  });

  it("shows what a message says as text, never as HTML", async () => {
    const page = await openPage({ width: 800, height: 700 });
    await expect.poll(() => page.locator(".msg.bot").count()).toBeGreaterThan(0);
    await page.locator("#input").fill('<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>');
    await page.keyboard.press("Enter");
    await expect.poll(() => page.locator(".msg.me").count()).toBe(1);
    expect(await page.locator(".msg.me").innerText()).toContain("<script>");
    expect(await page.evaluate("window.__pwned")).toBeUndefined();
    expect(await page.locator(".msg img").count()).toBe(0);
  });
});
