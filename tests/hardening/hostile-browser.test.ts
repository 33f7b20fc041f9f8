/**
 * Markup and bidi payloads in Chromium, end to end over real HTTP: typed into the web chat, kept in the page's
 * history and shown again after a reload, relayed into a facilitator's ticket and read in the inbox, and sent back by
 * the facilitator to the person's page. None may run (each sets `window.__pwned`, which must stay undefined) and each
 * must be shown as the very text that was written.
 *
 * The pages run with their Content-Security-Policy bypassed: the CSP (no inline code) would stop inline handlers on
 * its own, and this test is about the escaping under it. The CSP itself is checked in tests/http/chat-api.test.ts.
 */
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Dalil } from "../../src/app/dalil.js";
import { projectRoot } from "../../src/content/files.js";
import { createHttpApp, startHttpServer } from "../../src/http/server.js";
import { hasChromium, launchChromium, noChromiumReason } from "../helpers/browser.js";
import { TestClock, silentLogger, startTestDalil, tempDir } from "../helpers/store.js";
import { TEXTS } from "./corpus.js";

if (!hasChromium) console.warn(noChromiumReason);

const PASSWORD = "correct horse battery staple";
/** The corpus's markup and bidi texts, by name, and a few more that only a browser tells apart. */
const FROM_CORPUS = ["img onerror", "script tag", "svg onload", "javascript: link", "a link with javascript: href", "attribute breakout", "markdown and Telegram HTML", "a URL", "U+202E right-to-left override", "U+202E in the middle of a word", "Arabic inside an embedding", "i18next interpolation"];
const PAYLOADS: { name: string; text: string }[] = [
  ...FROM_CORPUS.map((name) => {
    const found = TEXTS.find((c) => c.name === name);
    if (!found) throw new Error(`no corpus text named "${name}"`);
    return found;
  }),
  { name: "details/ontoggle", text: "<details open ontoggle=\"window.__pwned=1\"><summary>x</summary></details>" },
  { name: "iframe srcdoc", text: "<iframe srcdoc=\"<script>parent.__pwned=1</script>\"></iframe>" },
  { name: "style and meta refresh", text: "<style>body{display:none}</style><meta http-equiv=refresh content=\"0;url=javascript:window.__pwned=1\">" },
  { name: "entity-encoded markup", text: "&lt;img src=x onerror=window.__pwned=1&gt; &#60;script&#62;" },
];
/** Elements none of these texts may become. */
const FORBIDDEN = "img, svg, script, iframe, details, style, meta, object, embed, b, a[href^='javascript' i], [onerror], [onload], [ontoggle]";

describe.skipIf(!hasChromium)("hostile markup in the web chat and the inbox, in Chromium", () => {
  let dalil: Dalil;
  let url: string;
  let close: () => Promise<void>;
  let browser: Browser;
  const errors: string[] = [];

  beforeAll(async () => {
    const dir = tempDir();
    dalil = await startTestDalil(dir.path, { clock: new TestClock(), env: { DALIL_RATE_LIMIT_IP_PER_MINUTE: "0", DALIL_RATE_LIMIT_GLOBAL_PER_MINUTE: "0" } });
    const http = await startHttpServer(createHttpApp({ dalil, logger: silentLogger, root: projectRoot() }), { host: "127.0.0.1", port: 0 });
    url = http.url.replace("localhost", "127.0.0.1");
    close = async () => {
      await http.close();
      await dalil.close();
      dir.cleanup();
    };
    browser = await launchChromium();
    await dalil.users.create({ login: "amina", role: "facilitator", displayName: "Amina", password: PASSWORD }, new Date());
  });
  afterAll(async () => {
    await browser?.close();
    await close?.();
  });

  async function newPage(context: BrowserContext): Promise<Page> {
    const page = await context.newPage();
    page.on("pageerror", (error) => errors.push(error.message));
    // A dialog would be a payload running (alert, confirm): record it and close it.
    page.on("dialog", (dialog) => {
      errors.push(`dialog: ${dialog.message()}`);
      void dialog.dismiss();
    });
    return page;
  }

  /** Nothing ran and nothing became markup inside `root`. */
  async function expectInert(page: Page, root: string, where: string): Promise<void> {
    expect(await page.evaluate("window.__pwned"), `${where}: a payload ran`).toBeUndefined();
    expect(await page.locator(`${root} :is(${FORBIDDEN})`).count(), `${where}: markup was made of a message`).toBe(0);
    for (const href of await page.locator(`${root} a`).evaluateAll((links) => links.map((a) => a.getAttribute("href") ?? ""))) expect(href, where).toMatch(/^https:\/\//);
  }

  it("the person's messages, their history after a reload, the facilitator's inbox and the facilitator's replies", async () => {
    // The person, on the web chat.
    const person = await newPage(await browser.newContext({ bypassCSP: true, locale: "fr-FR", viewport: { width: 900, height: 800 } }));
    await person.goto(url);
    const bot = person.locator(".msg.bot");
    await expect.poll(() => bot.count()).toBeGreaterThan(0);
    const clickLast = async (label: string) => {
      const before = await bot.count();
      await bot.last().getByRole("button", { name: label, exact: true }).click();
      await expect.poll(() => bot.count()).toBeGreaterThan(before);
    };
    const type = async (text: string) => {
      const mine = await person.locator(".msg.me").count();
      await person.locator("#input").fill(text);
      await person.keyboard.press("Enter");
      await expect.poll(() => person.locator(".msg.me").count()).toBe(mine + 1);
      await expect.poll(() => person.locator("#status").innerText()).toBe("");
      expect(await person.evaluate("window.__pwned"), `web chat: ${JSON.stringify(text)} ran`).toBeUndefined();
    };
    await clickLast("Français");
    await clickLast("Continuer");
    // One payload answers the need question (not understood: it is not a need), then the person asks for someone.
    await type(PAYLOADS[0]!.text);
    await type("je veux parler à quelqu'un");
    await expect.poll(() => bot.last().innerText()).toContain("animateur");
    // With a facilitator now: each message is relayed to the ticket.
    for (const p of PAYLOADS.slice(1)) await type(p.text);

    const shown = async (page: Page, selector: string) => page.locator(selector).evaluateAll((nodes) => nodes.map((n) => n.textContent ?? ""));
    const check = async (where: string) => {
      await expectInert(person, "#log", where);
      const mine = await shown(person, ".msg.me");
      for (const p of PAYLOADS) expect(mine, `${where}: ${p.name} shown as written`).toContain(p.text);
      // Each bubble lays out its own direction: a U+202E inside cannot reverse what follows it.
      const bidi = await person.locator(".msg.me").evaluateAll((nodes) => nodes.map((n) => (globalThis as unknown as { getComputedStyle(e: unknown): { unicodeBidi: string; direction: string } }).getComputedStyle(n).unicodeBidi));
      for (const b of bidi) expect(["isolate", "plaintext"], where).toContain(b);
    };
    await check("web chat");
    const bubbles = await person.locator(".msg").count();
    await person.reload();
    await expect.poll(() => person.locator(".msg").count()).toBe(bubbles);
    await check("web chat after a reload (messages shown again from the page's history)");

    // The facilitator, in the inbox.
    const inbox = await newPage(await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } }));
    await inbox.goto(`${url}/inbox`);
    await inbox.fill("#login", "amina");
    await inbox.fill("#password", PASSWORD);
    await inbox.click("button[type=submit]");
    await inbox.waitForURL(/\/inbox$/);
    await inbox.locator("#queue button[data-ticket]").first().click();
    await expect.poll(() => inbox.locator("#thread .line.person").count()).toBeGreaterThanOrEqual(PAYLOADS.length);
    await expectInert(inbox, "#queue", "inbox queue");
    await expectInert(inbox, "#ticket", "inbox ticket");
    const thread = await shown(inbox, "#thread .line.person .what");
    for (const p of PAYLOADS) expect(thread, `inbox: ${p.name} shown as written`).toContain(p.text);
    // The person's words set their own direction (Arabic reads right to left in a French inbox) and stay isolated.
    const lines = await inbox.locator("#thread .line.person .what").evaluateAll((nodes) => nodes.map((n) => ({ text: n.textContent ?? "", dir: (globalThis as unknown as { getComputedStyle(e: unknown): { unicodeBidi: string; direction: string } }).getComputedStyle(n).direction, bidi: (globalThis as unknown as { getComputedStyle(e: unknown): { unicodeBidi: string; direction: string } }).getComputedStyle(n).unicodeBidi })));
    for (const line of lines) expect(["isolate", "plaintext"], line.text).toContain(line.bidi);
    expect(lines.find((l) => l.text.includes("بغيت طبيب"))?.dir).toBe("rtl");

    // The facilitator answers with markup of their own: the person's page shows it as text.
    await inbox.click("#claim");
    const reply = `<img src=x onerror="window.__pwned=2"> \u202Eـ <svg onload="window.__pwned=2"></svg>`;
    await inbox.locator("#reply-text").fill(reply);
    await inbox.click("#send-reply");
    await expect.poll(() => inbox.locator("#thread").innerText()).toContain("window.__pwned=2");
    await expectInert(inbox, "#ticket", "inbox after the reply");
    await expect.poll(() => person.locator(".msg.bot").last().textContent(), { timeout: 15_000 }).toContain(reply);
    await expectInert(person, "#log", "web chat after the facilitator's reply");
    expect(errors).toEqual([]);
  });
});
