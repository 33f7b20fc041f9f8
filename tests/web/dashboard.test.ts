import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { projectRoot } from "../../src/content/files.js";
import { hasChromium, launchChromium, noChromiumReason } from "../helpers/browser.js";
import { startTestServer, type TestServer } from "../helpers/server.js";

if (!hasChromium) console.warn(noChromiumReason);
const PASSWORD = "a long enough password";

describe.skipIf(!hasChromium)("the staff dashboard in Chromium", () => {
  let server: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchChromium();
    await server.dalil.users.create({ login: "stats", role: "staff", displayName: "Salma", password: PASSWORD }, new Date());
    await server.dalil.users.create({ login: "helper", role: "facilitator", password: PASSWORD }, new Date());
    let n = 0;
    const categories = ["health", "legal", "employment", "shelter"] as const;
    for (const [month, count] of [["10", 40], ["11", 55]] as const) {
      for (let i = 0; i < count; i++) {
        await server.dalil.db.prisma.request.create({
          data: { id: `d${++n}`, date: `2026-${month}-${String((i % 27) + 1).padStart(2, "0")}`, channel: i % 3 === 0 ? "telegram" : "web", language: "fr", region: "09", commune: "09.273.01.15", urgent: false, sex: i % 2 === 0 ? "female" : "male", ageBand: "18-59", status: "migrant", outcome: "referred", categories: { create: [{ category: categories[i % 4]!, rank: 1 }] } },
        });
      }
    }
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function signIn(login: string) {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 1000 } })).newPage();
    await page.goto(`${server.url}/dashboard`);
    expect(page.url()).toContain("/login");
    await page.fill("#login", login);
    await page.fill("#password", PASSWORD);
    await page.click("button[type=submit]");
    return page;
  }

  it("shows this quarter's requests by need and sex for Souss-Massa, with charts", async () => {
    const page = await signIn("stats");
    await page.waitForURL(/\/dashboard/);
    await page.selectOption("select[name=region]", "09");
    await page.click(".filters button[type=submit]");
    await page.waitForURL(/region=09/);
    await expect.poll(() => page.evaluate("document.documentElement.dataset.chartsReady")).toBe("1");
    const headline = page.locator("section.report").filter({ hasText: "Demandes par besoin et par sexe" });
    const health = await headline.locator("tr", { hasText: "Santé et soins" }).innerText();
    expect(health.split("\t").map((s) => s.trim())).toEqual(["Santé et soins", "24", "0", "0", "0", "24"]);
    // The chart was drawn: its canvas has pixels that are not blank.
    const painted = await page.evaluate(`(() => { const c = document.getElementById("chart-category"); const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data; let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n; })()`);
    expect(painted).toBeGreaterThan(1000);
    const csv = await page.locator("a", { hasText: "CSV avec étiquettes HXL" }).first().getAttribute("href");
    const exported = await page.evaluate(`fetch(${JSON.stringify(csv)}).then((r) => r.text())`);
    expect(String(exported).split("\n")[1]).toContain("#sector");
    mkdirSync(join(projectRoot(), "tests", "artifacts"), { recursive: true });
    await page.screenshot({ path: join(projectRoot(), "tests", "artifacts", "dashboard.png"), fullPage: true });
  });

  it("refuses a facilitator", async () => {
    const page = await signIn("helper");
    const response = await page.goto(`${server.url}/dashboard`);
    expect(response!.status()).toBe(403);
  });
});
