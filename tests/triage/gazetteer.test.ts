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

  it("prefers the place a word of the present or of living introduces to places told about", () => {
    expect(code("two weeks ago the police took my phone in Tangier. now my cousin and me are in Agadir", false)).toEqual(["09.001.01.01"]);
    expect(code("On m'a agressé à Casablanca l'an dernier. Maintenant, j'habite à Tiznit avec ma soeur", false)).toEqual(["09.581.01.07"]);
    expect(code("the office want me for Rabat on monday but i dey Oujda", false)).toEqual(["02.411.01.23"]);
    expect(code("ضربوني فطنجة العام اللي فات ودابا أنا فأكادير", false)).toEqual(["09.001.01.01"]);
    expect(code("I'm in Tiznit now, they brought us from Casablanca", false)).toEqual(["09.581.01.07"]);
    expect(code("قبضتني الشرطة في الناظور ورحلوني لتزنيت، هسي أنا في تزنيت ما عندي أي ورقة", false)).toEqual(["09.581.01.07"]); // هسي = now (Sudanese)
    expect(code("كنت خدام في الناظور، نحنا في بركان مع العائلة", false)).toEqual(["02.113.01.09"]); // "we are in"
    // Not where one comes from, nor an everyday word: "casa" is a house.
    expect(code("daba jit mn taourirt w bghit nmchi l oujda", false)).toEqual(["02.411.01.23"]);
    expect(gazetteer().find("ahora estoy en casa de una amiga en Nador", { expectingPlace: false, language: "es" })?.candidates[0]?.code).toBe("02.381.01.05");
  });

  it("takes where the person moved to, or the name just before \"and now\", over places told about", () => {
    expect(code("I worked in Casablanca as mason then moved to Agadir because of the farms", false)).toEqual(["09.001.01.01"]);
    expect(code("It was not salon. I escaped from her and I came to Oujda and now I do cleaning in one house, the woman from Casa called me", false)).toEqual(["02.411.01.23"]);
    expect(code("j'ai travaillé à Casablanca, puis j'ai déménagé à Agadir", false)).toEqual(["09.001.01.01"]);
    // "and now" still points at a name after it first
    expect(code("they brought us from Tangier and now we are in Tiznit", false)).toEqual(["09.581.01.07"]);
  });

  it("does not read a place in phrases that are never one", () => {
    expect(code("عندي الحمى من الصباح", false)).toBeNull(); // since the morning; Sabbah (صباح) is a commune
    expect(code("خرجت فالصباح وما رجعتش", false)).toBeNull();
    expect(code("جيت من ساحل العاج وساكن فوجدة", false)).toEqual(["02.411.01.23"]); // Côte d'Ivoire; Sahel is a commune
    expect(code("Sabbah", true)).toEqual(["04.501.05.05"]);
    expect(code("وأنا مختبئة في الحمام مع ابنتي", false)).toBeNull(); // the bathroom; El Hammam is a commune
    expect(code("قفلت ع حالي بالحمام مع البنات", false)).toBeNull();
    expect(code("El Hammam", true)).toEqual(["05.301.07.07"]);
    expect(code("أنا محتجزة في منزل في طنجة", false)).toEqual(["01.511.01.0"]); // a house; El Menzel is a commune
    expect(code("لقيت النمرة ديالكم فمجموعة ديال الواتساب", false)).toBeNull(); // a group, not Foum Jemaa
    expect(code("عنا ولاد صغار وما في شي بالبيت", false)).toBeNull(); // small children, not Oulad Sghir
    expect(code("3ndi jouj wlad sghar", false)).toBeNull();
    expect(code("أهلي في كسلا", false)).toBeNull(); // Kassala, in Sudan
  });

  const spellings: [string, string][] = [
    ["on dort devant la gare dinezgane", "09.273.01.15"],
    ["ana f lqli3a m3a wladi", "09.273.01.17"],
    ["kayn chi tbib f s3idia", "02.113.01.25"],
    ["هربنا من الغابة قرب راس الما", "02.381.01.15"],
    ["the police came to boukhalef last night", "01.511.01.0"],
    ["ساكنين فالبرنوصي", "06.141.01.0"],
    ["we sleep in sidi bernoussi", "06.141.01.0"],
    ["ana f l3ayoun sidi mellouk", "02.533.01.15"],
    ["lyoum ma bqach kay3rfna w yddih bardin. f a7fir", "02.113.01.01"], // "7" is ح in Arabizi
    ["7na 6 dyal sudan f lgerdane, ma l9inach fin nmchiw", "09.541.01.03"],
    ["البوليس شدو خويا فلاكار دانزكان", "09.273.01.15"], // the Darija "d" (of) glued in Arabic script
    ["kanbatou f lghaba 7da beni nsar", "02.381.01.03"],
    ["on est dans la forêt au dessus de Beni Ensar", "02.381.01.03"],
    ["mkhbia f 7anout f lfnideq", "01.573.01.01"],
    ["ana f tmsia m3a 3mti", "09.273.05.27"],
    ["mrat khouya hrbat 3ndna f l7oceima", "01.051.01.01"],
    ["no conozco a nadie en Alhucemas", "01.051.01.01"],
    ["7na 9rib l 3rwi", "02.381.01.01"],
    ["ana f ghaba d 3in sfa mn chhar", "02.411.03.03"],
  ];
  for (const [text, expected] of spellings) {
    it(`finds the place in "${text}"`, () => expect(code(text, false)).toEqual([expected]));
  }

  it("asks which Aioun \"l3youn\" is, and needs a cue for it: it is also \"the eyes\"", () => {
    expect(code("ana f l3youn", false)).toEqual(["02.533.01.15", "11.321.01.03"]);
    expect(code("bghit tbib dyal l3youn", false)).toBeNull();
  });

  it("does not take a district name that several cities have for one of them", () => {
    expect(code("on habite a hay mohammadi agadir", false)).toEqual(["09.001.01.01"]);
  });

  it("does not take everyday words in other languages for places", () => {
    // "massa" is pasta in Portuguese, and "a" an article there, not "à".
    expect(gazetteer().find("a massa que nos deram estava estragada", { expectingPlace: false, language: "pt" })).toBeNull();
    expect(code("je suis a massa", false)).toEqual(["09.163.05.21"]);
    expect(code("صباح الخير", false)).toBeNull(); // good morning; Sabbah is a commune
    expect(code("وأحتاج إلى المساعدة", false)).toBeNull(); // the help; M'saada is a commune
    expect(code("نحنا عيلة سورية بطنجة، ما عنا مصاري. في مساعدة حتى يرجع يدرس؟", false)).toEqual(["01.511.01.0"]); // is there help?
    expect(code("جيت للمغرب بمساعدة واحد الصاحب", false)).toBeNull(); // with the help of
    expect(code("M'saada", false)).toEqual(["04.491.05.09"]);
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
