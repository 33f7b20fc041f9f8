import { describe, expect, it } from "vitest";
import { normalise, tokenForms, tokenize, tokenizeClauses } from "../../src/triage/normalise.js";

describe("normalise", () => {
  const cases: [string, string][] = [
    ["Médecin", "medecin"],
    ["AIDEEEEZ-moi !!!", "aidez moi"],
    ["j'ai besoin", "j ai besoin"],
    ["Aït-Melloul", "ait melloul"],
    ["أكادير", "اكادير"],
    ["إنزكان", "انزكان"],
    ["مدرسة", "مدرسه"],
    ["مستشفى", "مستشفي"],
    ["الناظور", "الناضور"],
    ["بـــزاااف", "بزاف"],
    ["مَرِيض", "مريض"],
    ["٢٠٢٦", "2026"],
    ["bghit tbib 3afak", "bghit tbib 3afak"],
    ["\u202Egnp.exe\u200B", "gnp exe"],
    ["ŒUVRE", "oeuvre"],
    ["   ", ""],
  ];
  for (const [input, expected] of cases) {
    it(`${JSON.stringify(input)} → ${JSON.stringify(expected)}`, () => expect(normalise(input)).toBe(expected));
  }

  it("strips Arabic clitics from a word, keeping a stem of two letters or more", () => {
    expect(tokenForms(normalise("فالناظور"))).toContain("ناضور");
    expect(tokenForms(normalise("والطبيب"))).toContain("طبيب");
    expect(tokenForms("bonjour")).toEqual(["bonjour"]);
    expect(tokenForms("ول")).toEqual(["ول"]);
  });

  it("tells which clause each word is in, with the same words as tokenize", () => {
    const text = "je ne suis pas malade, je cherche du travail. merci!";
    const { tokens, clauses } = tokenizeClauses(text);
    expect(tokens).toEqual(tokenize(text));
    expect(clauses).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1, 2]);
    expect(tokenizeClauses("ماشي مريض، بغيت نخدم؟").clauses).toEqual([0, 0, 1, 1]);
    expect(tokenizeClauses("  ").tokens).toEqual([]);
  });
});
