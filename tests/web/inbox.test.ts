/**
 * End to end over real HTTP: a person on the web chat asks for a human; a facilitator signs in to the inbox in
 * Chromium, claims the ticket, replies; the person receives the reply through the events stream; the facilitator
 * closes the ticket with an outcome, which lands on the request row.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { projectRoot } from "../../src/content/files.js";
import { hasChromium, launchChromium, noChromiumReason } from "../helpers/browser.js";
import { startTestServer, type TestServer } from "../helpers/server.js";

if (!hasChromium) console.warn(noChromiumReason);
const SESSION = "person-on-the-web-chat-0001";
const PASSWORD = "correct horse battery staple";

describe.skipIf(!hasChromium)("the facilitators' inbox in Chromium", () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchChromium();
    await server.dalil.users.create({ login: "amina", role: "facilitator", displayName: "Amina", password: PASSWORD }, new Date());
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("takes a person from the web chat to a facilitator and back", async () => {
    for (const body of [{ command: "start" }, { choice: "language.fr" }, { choice: "privacy.continue" }, { text: "je veux parler à quelqu'un, j'ai un problème de papiers à Inezgane" }]) {
      const { status } = await server.chat({ session: SESSION, ...body });
      expect(status).toBe(200);
    }
    // The person's page listens for messages that arrive later.
    const events = fetch(`${server.url}/api/events/${SESSION}`);

    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`${server.url}/inbox`);
    expect(page.url()).toContain("/login");
    await page.fill("#login", "amina");
    await page.fill("#password", PASSWORD);
    await page.click("button[type=submit]");
    await page.waitForURL(/\/inbox$/);

    const ticketButton = page.locator("#queue button[data-ticket]").first();
    await expect.poll(() => ticketButton.innerText()).toContain("Papiers et droits");
    await ticketButton.click();
    await expect.poll(() => page.locator("pre.handoff-card").innerText()).toContain("Inezgane");
    expect(await page.locator("#thread").innerText()).toContain("je veux parler à quelqu'un");
    await page.click("#claim");
    await page.locator("#reply-text").fill("Bonjour, je suis Amina. Pouvez-vous passer au BAOM d'Inezgane demain matin ?");
    await page.click("#send-reply");
    await expect.poll(() => page.locator("#thread").innerText()).toContain("Pouvez-vous passer");

    const stream = (await events).body!.getReader();
    let received = "";
    while (!received.includes("Amina (animateur·rice)")) received += new TextDecoder().decode((await stream.read()).value);
    await stream.cancel();
    expect(received).toContain("Pouvez-vous passer au BAOM d'Inezgane demain matin ?");

    // The person answers; the facilitator sees it without reloading.
    await server.chat({ session: SESSION, text: "Oui, merci beaucoup" });
    await expect.poll(() => page.locator("#thread").innerText(), { timeout: 15_000 }).toContain("Oui, merci beaucoup");

    await page.selectOption("#outcome", "referred_by_facilitator");
    await page.click("#close");
    await expect.poll(async () => (await server.dalil.db.prisma.request.findFirst({ where: { outcome: "handoff_requested" } }))?.handoffOutcome).toBe("referred_by_facilitator");
    mkdirSync(join(projectRoot(), "tests", "artifacts"), { recursive: true });
    await page.screenshot({ path: join(projectRoot(), "tests", "artifacts", "inbox.png") });
    expect(errors).toEqual([]);

    // Back with the bot.
    const { json } = await server.chat({ session: SESSION, text: "menu" });
    expect(json.messages.at(-1).choices.map((c: { id: string }) => c.id)).toContain("need.health");
  });
});
