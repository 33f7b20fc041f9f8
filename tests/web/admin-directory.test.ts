/**
 * An administrator corrects a service in Chromium; the change is audited, and the next referral shows it. Then an
 * import of the data files says it overwrites that edit.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { projectRoot } from "../../src/content/files.js";
import { directoryReview } from "../../src/monitoring/directory-review.js";
import { hasChromium, launchChromium, noChromiumReason } from "../helpers/browser.js";
import { realContent } from "../helpers/content.js";
import { startTestServer, type TestServer } from "../helpers/server.js";

if (!hasChromium) console.warn(noChromiumReason);
const PASSWORD = "a long enough password";
const SERVICE = "svc-cs-inezgane-soins";

describe.skipIf(!hasChromium)("the directory admin page in Chromium", () => {
  let server: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchChromium();
    await server.dalil.users.create({ login: "karima", role: "admin", displayName: "Karima", password: PASSWORD }, new Date());
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("edits a service: the change is audited and the next referral shows it", async () => {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 1000 } })).newPage();
    await page.goto(`${server.url}/admin/directory`);
    await page.fill("#login", "karima");
    await page.fill("#password", PASSWORD);
    await page.click("button[type=submit]");
    await page.waitForURL(/\/admin\/directory$/);
    await page.click(`a[href="/admin/directory/service/${SERVICE}"]`);
    await page.fill("#name_fr", "Consultations gratuites du centre de santé");
    await page.fill("#site0_phones", "+212 5 28 33 00 00");
    await page.fill("#site0_hours", "mon-fri 08:00-18:00\nsat 09:00-12:00");
    await page.click("#save");
    await page.waitForURL(new RegExp(`/admin/directory/service/${SERVICE}$`));
    await page.click("#verify");
    await page.waitForURL(new RegExp(`/admin/directory/service/${SERVICE}$`));
    const history = await page.locator("section.report").innerText();
    expect(history).toContain("karima");
    expect(history).toContain("verify");
    expect(history).toContain("update");
    mkdirSync(join(projectRoot(), "tests", "artifacts"), { recursive: true });
    await page.screenshot({ path: join(projectRoot(), "tests", "artifacts", "admin-directory.png"), fullPage: true });

    const audit = await server.dalil.directory.auditOf("service", SERVICE);
    const update = audit.find((a) => a.action === "update")!;
    expect(update.actor).toBe("karima");
    expect(Object.keys(update.changes).sort()).toEqual(["at", "name"]);

    // The next referral: a person in Inezgane asking for a doctor.
    const session = "admin-edit-check-session-01";
    for (const body of [{ text: "bonjour" }, { choice: "language.fr" }, { choice: "privacy.continue" }, { choice: "need.health" }, { text: "Inezgane" }, { choice: "sex.female" }, { choice: "age_band.18-59" }, { choice: "status.migrant" }]) await server.chat({ session, ...body });
    const { json } = await server.chat({ session, command: "menu" });
    expect(json).toBeDefined();
    const cards = (await server.dalil.db.prisma.request.findFirstOrThrow({ include: { referrals: { orderBy: { rank: "asc" } } } })).referrals.map((r) => r.serviceId);
    expect(cards[0]).toBe(SERVICE);
  });

  it("the card a person gets carries the corrected name, phone and hours; an import then says it overwrote the edit", async () => {
    const session = "admin-edit-check-session-02";
    let last: any;
    for (const body of [{ text: "bonjour" }, { choice: "language.fr" }, { choice: "privacy.continue" }, { choice: "need.health" }, { text: "Inezgane" }, { choice: "sex.female" }, { choice: "age_band.18-59" }, { choice: "status.migrant" }]) last = (await server.chat({ session, ...body })).json;
    const card = last.messages.find((m: { role: string }) => m.role === "referral").text as string;
    expect(card).toContain("Consultations gratuites du centre de santé");
    expect(card).toContain("+212 5 28 33 00 00");
    expect(card).not.toContain("Pas encore vérifié");

    const report = await server.dalil.directory.import(realContent().directoryFiles, new Date());
    expect(report.adminEditsOverwritten).toEqual([{ record: `service ${SERVICE}`, by: "karima", at: expect.any(Date) }]);
  });

  it("lists services not verified for six months, and referrals to services now inactive", async () => {
    await server.dalil.directory.setActive(SERVICE, false, "karima", new Date());
    const review = await directoryReview(server.dalil.db.prisma, await server.dalil.directory.current(), new Date());
    expect(review.stale.length).toBeGreaterThan(10);
    expect(review.inactiveReferred).toEqual([{ id: SERVICE, name: expect.any(String), referrals: 2 }]);
  });
});
