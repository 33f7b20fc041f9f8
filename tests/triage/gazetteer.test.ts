import { describe, expect, it } from "vitest";
import { realContent } from "../helpers/content.js";

const gazetteer = () => realContent().content.triage.gazetteer;
const code = (text: string, expectingPlace = true) => gazetteer().find(text, { expectingPlace })?.candidates.map((c) => c.code) ?? null;

describe("gazetteer", () => {
  it("holds every commune of Morocco", () => {
    expect(gazetteer().communes).toHaveLength(1503);
  });

  const places: [string, string][] = [
    ["Taroudant", "09.541.01.13"],
    ["Taroudannt", "09.541.01.13"],
    ["تارودانت", "09.541.01.13"],
    ["Ouled Teima", "09.541.01.09"],
    ["Oulad Teima", "09.541.01.09"],
    ["Nador", "02.381.01.05"],
    ["الناظور", "02.381.01.05"],
    ["الناضور", "02.381.01.05"],
    ["Beni Ansar", "02.381.01.03"],
    ["Bni Ansar", "02.381.01.03"],
    ["agadir", "09.001.01.01"],
    ["AGADIR", "09.001.01.01"],
    ["Ait Melloul", "09.273.01.05"],
    ["Aït-Melloul", "09.273.01.05"],
    ["أكادير", "09.001.01.01"],
    ["Inezgane", "09.273.01.15"],
  ];
  for (const [text, expected] of places) {
    it(`finds ${text}`, () => expect(code(text)).toEqual([expected]));
  }

  it("finds a place inside a sentence", () => {
    expect(code("je suis à ait melloul et je cherche un médecin", false)).toEqual(["09.273.01.05"]);
    expect(code("بغيت نخدم فالناظور", false)).toEqual(["02.381.01.05"]);
    expect(code("je suis à Casablanca", false)).toEqual(["06.141.01.0"]);
  });

  it("does not take ordinary words for places", () => {
    expect(code("ma tata est malade", false)).toBeNull();
    expect(code("j'ai besoin d'aide pour mes papiers", false)).toBeNull();
    expect(code("I need a doctor please", false)).toBeNull();
  });

  it("finds another spelling of a name by its consonants, as a place to confirm", () => {
    const found = gazetteer().find("mol dar bgha ykhrjna, f ait mloul", { expectingPlace: false });
    expect(found?.candidates.map((c) => c.code)).toEqual(["09.273.01.05"]);
    expect(found?.fuzzy).toBe(true);
  });

  it("prefers where the person is to where they come from", () => {
    expect(code("they deported us from Tangier to Tiznit yesterday", false)).toEqual(["09.581.01.07"]);
    expect(code("جيت من تطوان لأكادير", false)).toEqual(["09.001.01.01"]);
  });

  it("does not take everyday words in other languages for places", () => {
    // "massa" is pasta in Portuguese, and "a" an article there, not "à".
    expect(gazetteer().find("a massa que nos deram estava estragada", { expectingPlace: false, language: "pt" })).toBeNull();
    expect(code("je suis a massa", false)).toEqual(["09.163.05.21"]);
    expect(code("صباح الخير", false)).toBeNull(); // good morning; Sabbah is a commune
    expect(code("وأحتاج إلى المساعدة", false)).toBeNull(); // the help; M'saada is a commune
    expect(code("صاحبي طاح وما بقاش كيتنفس", false)).toBeNull(); // he fell; Tah is a commune
  });

  it("takes a name sent alone as the place, unless it is an everyday word", () => {
    expect(code("Tata", false)).toEqual(["09.551.01.07"]);
    expect(code("safi", false)).toBeNull(); // "ok" in Darija
    expect(code("safi", true)).toEqual(["07.431.01.03"]);
  });

  it("takes a name that is also a word after a place cue", () => {
    expect(code("je suis à Tata", false)).toEqual(["09.551.01.07"]);
  });

  it("tolerates typos only when a place was asked for", () => {
    expect(code("Taroudantt", true)).toContain("09.541.01.13");
    expect(code("inezgaan", true)).toContain("09.273.01.15");
    expect(code("je suis à inezgaan", false)).toBeNull();
  });

  it("finds the nearest commune of a point, and nothing outside the country", () => {
    expect(gazetteer().nearest(30.3551, -9.5551)?.commune.code).toBe("09.273.01.15");
    expect(gazetteer().nearest(34.68, -1.91)?.commune.code).toBe("02.411.01.23");
    expect(gazetteer().nearest(48.8566, 2.3522)).toBeNull(); // Paris
    expect(gazetteer().nearest(40.4168, -3.7038)).toBeNull(); // Madrid
    expect(gazetteer().nearest(30.4, -11.2)).toBeNull(); // the Atlantic, 160 km off Agadir
    expect(gazetteer().nearest(Number.NaN, 0)).toBeNull();
  });
});
