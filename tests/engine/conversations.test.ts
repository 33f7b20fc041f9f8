/**
 * Scripted conversations, one per language, from "hello" to referrals, through the real flow, locales, lexicon,
 * gazetteer and sample directory, with the state held in memory.
 */
import { describe, expect, it } from "vitest";
import { haversineKm } from "../../src/triage/gazetteer.js";
import type { RequestRecord } from "../../src/engine/messages.js";
import { Conversation } from "../helpers/converse.js";
import { realContent, testContext } from "../helpers/content.js";

const INEZGANE = { code: "09.273.01.15", lat: 30.355077, lon: -9.555138 };

/** Health services of the sample directory, nearest to Inezgane first, computed here independently of the engine. */
function healthByDistanceFromInezgane(): string[] {
  const { directory } = realContent();
  return directory.services
    .filter((s) => s.active && s.categories.includes("health"))
    .map((s) => ({ id: s.id, km: Math.min(...s.sites.map((site) => haversineKm(INEZGANE.lat, INEZGANE.lon, site.location.lat, site.location.lon))) }))
    .sort((a, b) => a.km - b.km)
    .map((s) => s.id);
}

function loggedRequest(c: Conversation): RequestRecord {
  const logged = c.events.filter((e) => e.type === "request_logged");
  expect(logged).toHaveLength(1);
  return (logged[0] as { request: RequestRecord }).request;
}

describe("a scripted conversation reaches referrals", () => {
  it("in French: a person in Inezgane asking for a doctor gets health services nearest Inezgane first", () => {
    const c = new Conversation(testContext());
    let r = c.send("Bonjour, j'ai besoin d'un médecin à Inezgane");
    expect(r.outbound.at(-1)!.text).toContain("français");
    expect(r.outbound.at(-1)!.choices![0]!.id).toBe("language.fr");
    c.press("language.fr");
    expect(c.step).toBe("privacy");
    r = c.press("privacy.continue");
    // The first message already said what and where: straight to the profile questions.
    expect(r.outbound.map((m) => m.text).join("\n")).toContain("Santé");
    expect(c.step).toBe("sex");
    c.send("Femme");
    c.press("age_band.18-59");
    r = c.press("status.undisclosed");
    const cards = r.outbound.filter((m) => m.role === "referral");
    expect(cards).toHaveLength(3);
    const expected = healthByDistanceFromInezgane().slice(0, 3);
    const request = loggedRequest(c);
    expect(request.referrals).toEqual(expected);
    expect(cards[0]!.text).toContain("km");
    expect(cards[0]!.text).toContain("openstreetmap.org");
    expect(cards[0]!.location).toBeDefined();
    expect(request).toMatchObject({ language: "fr", commune: INEZGANE.code, region: "09", categories: ["health"], sex: "female", ageBand: "18-59", status: "undisclosed", outcome: "referred", urgent: false });
    expect(c.step).toBe("after");
    expect(r.dir).toBe("ltr");
  });

  it("in Arabic: buttons and Arabic-Indic numbers, right to left", () => {
    const c = new Conversation(testContext());
    let r = c.send("السلام عليكم");
    expect(r.outbound.at(-1)!.choices![0]!.id).toBe("language.ar");
    c.press("language.ar");
    c.press("privacy.continue");
    r = c.send("بغيت طبيب");
    expect(c.step).toBe("place");
    expect(r.dir).toBe("rtl");
    r = c.send("إنزكان");
    expect(c.step).toBe("sex");
    c.send("١"); // the first option: female
    c.send("٢"); // the second option: 18-59
    r = c.send("٦"); // the sixth option: prefer not to say
    const cards = r.outbound.filter((m) => m.role === "referral");
    expect(cards.length).toBeGreaterThan(0);
    expect(r.language).toBe("ar");
    expect(r.dir).toBe("rtl");
    const request = loggedRequest(c);
    expect(request).toMatchObject({ language: "ar", commune: INEZGANE.code, categories: ["health"], sex: "female", ageBand: "18-59", status: "undisclosed", outcome: "referred" });
    expect(request.referrals).toEqual(healthByDistanceFromInezgane().slice(0, 3));
    expect(cards[0]!.text).toMatch(/[\u0600-\u06FF]/);
  });

  it("in English: no place to sleep in Oujda, with a shared location and skipped profile questions", () => {
    const c = new Conversation(testContext());
    c.send("hello");
    c.press("language.en");
    c.press("privacy.continue");
    c.send("no place to sleep");
    expect(c.state!.request.categories).toEqual(["shelter"]);
    c.send({ kind: "location", lat: 34.6814, lon: -1.9086 });
    expect(c.state!.request.commune).toBe("02.411.01.23");
    c.press("sex.undisclosed");
    c.press("age_band.undisclosed");
    const r = c.press("status.undisclosed");
    const request = loggedRequest(c);
    expect(request).toMatchObject({ language: "en", commune: "02.411.01.23", region: "02", categories: ["shelter"], sex: "undisclosed", outcome: "referred" });
    const { directory } = realContent();
    for (const id of request.referrals) expect(directory.get(id)!.categories).toContain("shelter");
    expect(r.outbound.filter((m) => m.role === "referral").length).toBe(request.referrals.length);
  });

  it("a second request skips the profile questions already answered and logs a second row", () => {
    const c = new Conversation(testContext());
    c.send("bonjour");
    c.press("language.fr");
    c.press("privacy.continue");
    c.press("need.employment");
    c.send("Agadir");
    c.press("sex.male");
    c.press("age_band.18-59");
    c.press("status.migrant");
    c.press("after.new");
    expect(c.step).toBe("need");
    c.press("need.education");
    c.send("Tiznit");
    expect(c.step).toBe("after");
    const logged = c.events.filter((e) => e.type === "request_logged").map((e) => (e as { request: RequestRecord }).request);
    expect(logged.map((l) => [l.categories, l.commune, l.sex])).toEqual([
      [["employment"], "09.001.01.01", "male"],
      [["education"], "09.581.01.07", "male"],
    ]);
    expect(new Set(logged.map((l) => l.id)).size).toBe(2);
  });
});
