import { describe, expect, it } from "vitest";
import { looksArabizi, skeleton } from "../../src/triage/arabizi.js";
import { normalise } from "../../src/triage/normalise.js";

const key = (word: string) => skeleton(normalise(word));

describe("consonant skeletons", () => {
  it("give one key to the Latin spellings of a Darija word", () => {
    expect(key("kaytnffsch")).toBe(key("kaytnfsch"));
    expect(key("khdma")).toBe(key("khedma"));
    expect(key("5dma")).toBe(key("khdma"));
    expect(key("sbitar")).toBe(key("sbitaar"));
    expect(key("ouled")).toBe(key("wlad"));
  });

  it("give the same key to a word in Arabic script and in Latin letters", () => {
    expect(key("سبيطار")).toBe(key("sbitar"));
    expect(key("خدمة")).toBe(key("khdma"));
    expect(key("كيضربني")).toBe(key("kaydrbni"));
    expect(key("ولدي")).toBe(key("wldi"));
    expect(key("عافاك")).toBe(key("3afak"));
  });

  it("leave out the article, attached or assimilated", () => {
    expect(key("lwra9")).toBe(key("wra9"));
    expect(key("ddwa")).toBe(key("dwa"));
    expect(key("الطبيب")).toBe(key("طبيب"));
    expect(key("فالزنقة")).toBe(key("zen9a"));
  });

  it("keep the letters that make words different", () => {
    expect(key("nkri")).not.toBe(key("n9ra")); // to rent, to study
    expect(key("3afak")).not.toBe(key("afak"));
    expect(key("bonjour")).not.toBe("");
    expect(key("😀")).toBe("");
  });

  it("keep the first letters of a word that only looks like و + ال", () => {
    expect(key("والدين")).toBe(key("walidin")); // parents
    expect(key("والدين")).not.toBe(key("دين"));
    expect(key("والخدمة")).toBe(key("خدمة"));
  });
});

describe("Arabizi words", () => {
  it("are Latin words that write Arabic letters with digits", () => {
    for (const word of ["3afak", "m3a", "7na", "t9ra", "2idmaj", "wa7ed"]) expect(looksArabizi(word), word).toBe(true);
    for (const word of ["2026", "15ans", "h24", "bonjour", "3"]) expect(looksArabizi(word), word).toBe(false);
  });
});
