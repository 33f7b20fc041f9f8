import { describe, expect, it } from "vitest";
import { Directory, type DirectoryService } from "../../src/directory/directory.js";
import { findReferrals, type ReferralQuery } from "../../src/directory/referrals.js";

const WEDNESDAY_11H = new Date("2026-11-25T10:00:00Z");
const HERE = { lat: 30.4168, lon: -9.5694 }; // Agadir
const ALWAYS = { mon: ["00:00-24:00"], tue: ["00:00-24:00"], wed: ["00:00-24:00"], thu: ["00:00-24:00"], fri: ["00:00-24:00"], sat: ["00:00-24:00"], sun: ["00:00-24:00"] };

/** A service at `km` kilometres north of Agadir (about 111 km per degree of latitude). */
function service(id: string, km: number, fields: Partial<DirectoryService> = {}, hours: Record<string, string[]> = ALWAYS): DirectoryService {
  return {
    id,
    organisation: { id: `org-${id}`, name: id, kind: "association" },
    name: id,
    categories: ["legal"],
    populations: [],
    languages: [],
    cost: "free",
    lastVerified: "2026-10-01",
    verifiedBy: "test",
    active: true,
    sites: [{ location: { id: `loc-${id}`, name: id, commune: "09.001.01.01", lat: HERE.lat + km / 111.2, lon: HERE.lon }, phones: [], hours, exceptions: [] }],
    ...fields,
  };
}

const query = (overrides: Partial<ReferralQuery> = {}): ReferralQuery => ({ categories: ["legal"], point: HERE, sex: "not_asked", now: WEDNESDAY_11H, limit: 3, maxKm: 60, ...overrides });
const ids = (directory: Directory, q: ReferralQuery) => findReferrals(directory, q).nearby.map((r) => r.service.id);

describe("referral ranking", () => {
  it("nearest first, all else equal", () => {
    expect(ids(new Directory([service("far", 8), service("near", 2), service("middle", 5)]), query())).toEqual(["near", "middle", "far"]);
  });

  it("a service that speaks the person's language comes first at similar distance, not at any distance", () => {
    const directory = new Directory([service("french", 1, { languages: ["fr"] }), service("arabic", 2.5, { languages: ["ar", "zgh"] }), service("arabic-far", 20, { languages: ["ar"] })]);
    expect(ids(directory, query({ language: "ar" }))).toEqual(["arabic", "french", "arabic-far"]);
    expect(ids(directory, query({ language: "fr" }))).toEqual(["french", "arabic", "arabic-far"]);
  });

  it("a verified service comes before an unverified one at similar distance", () => {
    const directory = new Directory([service("unverified", 1, { lastVerified: null, verifiedBy: null }), service("verified", 2)]);
    expect(ids(directory, query())).toEqual(["verified", "unverified"]);
    const far = new Directory([service("unverified", 1, { lastVerified: null, verifiedBy: null }), service("verified", 10)]);
    expect(ids(far, query())).toEqual(["unverified", "verified"]);
  });

  it("a service open now comes before one closed at similar distance", () => {
    const directory = new Directory([service("closed-now", 1, {}, { sat: ["09:00-12:00"] }), service("open-now", 1.5)]);
    expect(ids(directory, query())).toEqual(["open-now", "closed-now"]);
    const result = findReferrals(directory, query()).nearby;
    expect(result[1]!.status).toMatchObject({ open: false, next: { weekday: "sat", time: "09:00" } });
  });

  it("women-only services: offered to women, and to people who did not say, labelled; never to men", () => {
    const directory = new Directory([service("women", 1, { populations: ["women_only"] }), service("everyone", 3)]);
    expect(ids(directory, query({ sex: "male" }))).toEqual(["everyone"]);
    const woman = findReferrals(directory, query({ sex: "female" })).nearby;
    expect(woman.map((r) => [r.service.id, r.womenOnly])).toEqual([["women", false], ["everyone", false]]);
    const unsaid = findReferrals(directory, query({ sex: "undisclosed" })).nearby;
    expect(unsaid.map((r) => [r.service.id, r.womenOnly])).toEqual([["women", true], ["everyone", false]]);
  });

  it("an inactive service is never offered", () => {
    expect(ids(new Directory([service("off", 1, { active: false }), service("on", 5)]), query())).toEqual(["on"]);
  });

  it("several needs take turns: each need gets a service before any gets a second", () => {
    const directory = new Directory([service("legal-1", 1), service("legal-2", 2), service("work-1", 9, { categories: ["employment"] })]);
    expect(ids(directory, query({ categories: ["legal", "employment"] }))).toEqual(["legal-1", "work-1", "legal-2"]);
  });
});
