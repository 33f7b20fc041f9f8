import { describe, expect, it } from "vitest";
import { realContent } from "../helpers/content.js";

const triage = () => realContent().content.triage;

describe("categories", () => {
  const cases: [string, string][] = [
    ["mon fils est malade", "health"],
    ["j'ai besoin d'un médecin", "health"],
    ["no place to sleep", "shelter"],
    ["بغيت نخدم", "employment"],
    ["bghit tbib 3afak", "health"],
    ["carte de séjour", "legal"],
    ["I want to go back to my country", "return"],
    ["inscrire mon enfant à l'école", "education"],
    ["on n'a rien à manger", "basic_needs"],
  ];
  for (const [text, expected] of cases) {
    it(`${text} → ${expected}`, () => expect(triage().analyse(text).categories[0]?.code).toBe(expected));
  }

  it("ranks several needs in one message", () => {
    const codes = triage().analyse("my employer took my passport and doesn't pay me").categories.map((c) => c.code);
    expect(codes.length).toBeGreaterThanOrEqual(2);
    expect(codes).toEqual(expect.arrayContaining(["employment"]));
  });

  it("puts `other` after any specific need", () => {
    const codes = triage().analyse("bonjour, j'ai besoin d'un médecin").categories.map((c) => c.code);
    expect(codes[0]).toBe("health");
    expect(codes).not.toContain("other");
  });

  it("finds nothing in noise", () => {
    expect(triage().analyse("xqzt vvv").categories).toEqual([]);
  });
});

describe("urgency", () => {
  const urgent = ["mon mari me frappe maintenant", "my wife is pregnant and bleeding a lot", "مرتي حاملة وكتنزف", "je veux mourir", "they locked me in and took my passport"];
  for (const text of urgent) it(`urgent: ${text}`, () => expect(triage().analyse(text).urgent).toBe(true));
  const calm = ["mon fils est malade", "je suis enceinte et je cherche un médecin", "I need a job", "j'ai besoin de papiers"];
  for (const text of calm) it(`not urgent: ${text}`, () => expect(triage().analyse(text).urgent).toBe(false));
});

describe("language", () => {
  const cases: [string, string][] = [
    ["Bonjour, j'ai besoin d'aide", "fr"],
    ["Hello, I need help please", "en"],
    ["السلام عليكم", "ar"],
    ["بغيت نخدم فالناظور", "ar"],
    ["salam bghit tbib 3afak", "ar-Latn"],
    ["hola, necesito ayuda por favor", "es"],
    ["olá, preciso de ajuda por favor", "pt"],
    ["🙏", "und"],
  ];
  for (const [text, expected] of cases) it(`${text} → ${expected}`, () => expect(triage().analyse(text).language).toBe(expected));
});

describe("commands", () => {
  it("takes a whole-message command in any language", () => {
    expect(triage().analyse("menu").command).toBe("menu");
    expect(triage().analyse("Supprimer mes données").command).toBe("delete");
    expect(triage().analyse("احذف بياناتي").command).toBe("delete");
    expect(triage().analyse("langue").command).toBe("language");
  });

  it("finds a wish to talk to a person inside a sentence, but not a command word inside one", () => {
    expect(triage().analyse("svp je veux parler à quelqu'un").command).toBe("human");
    expect(triage().analyse("bghit nhder m3a chi wa7ed").command).toBe("human");
    expect(triage().analyse("بغيت نهضر مع شي واحد").command).toBe("human");
    expect(triage().analyse("le menu du restaurant").command).toBeNull();
  });
});
