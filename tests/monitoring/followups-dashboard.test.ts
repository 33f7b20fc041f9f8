/**
 * The dashboard's "Follow-up of referrals" section and the low-reach list of its review, over real HTTP, on the
 * follow-up fixture (tests/monitoring/followups-fixture.ts): suppressed for staff, unsuppressed for an administrator
 * who asks.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClock } from "../helpers/store.js";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { REVIEW_DAY, addFollowupFixture } from "./followups-fixture.js";

let server: TestServer;
const PASSWORD = "a long enough password";
const Q1 = "from=2026-01-01&to=2026-03-31&region=09";
/** Service B's name as the page writes it (escaped). */
const B_NAME = "Association Santé Solidaire du Souss (exemple) — Programme d&#39;accès aux soins des migrants";

beforeAll(async () => {
  server = await startTestServer({ clock: new TestClock(REVIEW_DAY) });
  await server.dalil.users.create({ login: "stats", role: "staff", password: PASSWORD }, REVIEW_DAY);
  await server.dalil.users.create({ login: "boss", role: "admin", password: PASSWORD }, REVIEW_DAY);
  await addFollowupFixture(server.dalil.db.prisma);
});
afterAll(async () => {
  await server?.close();
});

let clients = 0;
async function signIn(login: string): Promise<string> {
  const form = await fetch(`${server.url}/login`);
  const loginCookie = form.headers.get("set-cookie")!.split(";")[0]!;
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1]!;
  const response = await fetch(`${server.url}/login`, { method: "POST", redirect: "manual", headers: { cookie: loginCookie, "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": `192.0.2.${++clients}` }, body: new URLSearchParams({ _csrf: csrf, login, password: PASSWORD }) });
  return response.headers.get("set-cookie")!.split(";")[0]!;
}
async function dashboard(login: string, query: string): Promise<string> {
  const response = await fetch(`${server.url}/dashboard?${query}`, { headers: { cookie: await signIn(login) } });
  expect(response.status).toBe(200);
  return response.text();
}
/** The cells of the table row headed by `name` in the section, as text. */
function row(html: string, name: string): string[] {
  const found = new RegExp(`<tr><th scope="row">${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}</th>(.*?)</tr>`).exec(html);
  expect(found, `a row for ${name}`).not.toBeNull();
  return [...found![1]!.matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((m) => m[1]!);
}

describe("the dashboard's follow-up section", () => {
  it("shows referrals, asked and the rates per service and sex, suppressed, with the service's name", async () => {
    const html = await dashboard("stats", Q1);
    const start = html.indexOf('<section class="report" id="followup">');
    expect(start).toBeGreaterThan(html.indexOf("Tendance mensuelle par sexe"));
    const section = html.slice(start, html.indexOf("</section>", start));
    expect(section).toContain("<h2>Suivi des orientations</h2>");
    expect(section).toContain("<h3>Par service et par sexe</h3>");
    // Women, men, people who did not say (the "not asked" column has nothing: left out), then the total; each with
    // referrals, asked, answer rate, reached rate, helped rate.
    expect(section).toContain('<th scope="colgroup" colspan="5">Femme</th><th scope="colgroup" colspan="5">Homme</th><th scope="colgroup" colspan="5">Non précisé</th><th scope="colgroup" colspan="5">Total</th>');
    // B: 7 referrals of women, hidden ("x") because the 2 of men are; 2 women asked: "<5"; no rate on so few.
    expect(row(section, B_NAME)).toEqual(["x", "&lt;5", "—", "—", "—", "&lt;5", "0", "—", "—", "—", "0", "0", "—", "—", "—", "9", "&lt;5", "—", "—", "—"]);
    // A, everyone: 20 referrals, 18 asked; helped 10 of 16 answered (63 %).
    expect(row(section, "Centre de santé urbain d&#39;Inezgane (exemple) — Consultations de médecine générale et soins de santé primaires").slice(15)).toEqual(["20", "18", "—", "—", "63 %"]);
    // By commune: Agadir is C's figures, but no other commune holds fewer than 5 asked: its 7 asked show here.
    expect(section).toContain("<h3>Par commune et par sexe</h3>");
    expect(row(section, "Agadir").slice(15)).toEqual(["8", "7", "—", "—", "0 %"]);
    // Reasons: 7 could-not answers, each reason under 5.
    expect(row(section, "papiers demandés")).toEqual(["&lt;5", "&lt;5", "&lt;5"]);
    expect(section).toContain("« — » : pas de taux");
    expect(section).not.toContain("<script");
  });

  it("shows the true figures to an administrator who asks for internal ones", async () => {
    const html = await dashboard("boss", `${Q1}&internal=1`);
    const section = html.slice(html.indexOf('id="followup"'));
    // B, women: 7 referrals, 2 asked, both answered (100 %), none reached.
    expect(row(section, B_NAME).slice(0, 5)).toEqual(["7", "2", "100 %", "0 %", "0 %"]);
    expect(row(section, "papiers demandés")).toEqual(["1", "2", "3"]);
  });

  it("lists the service few people reached in the weekly review", async () => {
    const html = await dashboard("stats", Q1);
    const review = html.slice(html.indexOf('id="review"'));
    expect(review).toContain("Services que la plupart des personnes n&#39;ont pas pu joindre (moins de 50 %, au moins 5 réponses sur 90 jours) (1)");
    expect(review).toContain("<li>BAOM d&#39;Inezgane (exemple) — Accueil et orientation des migrants: 1/6 (17 %)</li>");
    expect(review).not.toContain("Centre de santé urbain d&#39;Inezgane (exemple) — Consultations de médecine générale et soins de santé primaires: ");
  });
});
