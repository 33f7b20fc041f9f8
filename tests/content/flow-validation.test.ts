import { describe, expect, it } from "vitest";
import { ContentError, formatIssue } from "../../src/content/errors.js";
import { loadContent } from "../../src/content/load.js";

function problems(flowsDir: string): string[] {
  try {
    loadContent({ flowsDir });
  } catch (error) {
    if (error instanceof ContentError) return error.issues.map(formatIssue);
    throw error;
  }
  throw new Error("expected the content to be refused");
}

describe("flow validation", () => {
  it("loads the project's own content without a problem", () => {
    expect(() => loadContent()).not.toThrow();
  });

  it("reports every mistake of a broken flow at once, with file, line, step and field", () => {
    const found = problems("tests/content/fixtures/broken/flows");
    const file = "tests/content/fixtures/broken/flows/intake.yaml";
    expect(found).toEqual(
      expect.arrayContaining([
        `${file}:13 › step "privacy" › type: Unknown step type: expected one of "ask_language", "message", "ask_need", "ask_place", "ask_choice", "refer", "ask_followup", "handoff", "end", received "mesage"; did you mean "message"?`,
        expect.stringMatching(new RegExp(`^${file}:22 › step "city" › text: Invalid input: expected string, received undefined$`)),
        expect.stringMatching(new RegExp(`^${file}:32 › step "sex" › options\\[1\\]\\.id: Invalid option for save_as "sex": expected one of "female", "male", "undisclosed", received "woman"$`)),
        `${file}:38 › step "referral" › colour: Unknown field "colour": expected one of "id", "type", "limit", "max_km", "next"`,
        expect.stringMatching(new RegExp(`^${file}:20 › step "need" › next: Unknown step: expected one of "language", "privacy", "need", "city", "sex", "referral", "goodbye", received "cty"; did you mean "city"\\?$`)),
      ]),
    );
    // Steps that parsed are checked further even though others did not.
    expect(found).toEqual(expect.arrayContaining([
      `${file} › step "goodbye": Missing translation: "intake:no_such_key" is not in locales/fr, locales/ar, locales/en`,
      `${file} › step "language" › propose.ar-Latn: Unknown language: expected one of "fr", "ar", "en", received "kab"`,
    ]));
    expect(found).toHaveLength(7);
  });

  it("reports unknown step references, with the closest known step", () => {
    const found = problems("tests/content/fixtures/references/flows");
    const file = "tests/content/fixtures/references/flows/intake.yaml";
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^${file}:\\d+ › step "need" › next: Unknown step: expected one of .*, received "cty"; did you mean "city"\\?$`)),
        expect.stringMatching(new RegExp(`^${file}:\\d+ › step "sex" › options\\[1\\]\\.next: Unknown step: .*received "gooodbye"; did you mean "goodbye"\\?$`)),
        `${file} › step "goodbye": Missing translation: "intake:no_such_key" is not in locales/fr, locales/ar, locales/en`,
        `${file} › step "language" › propose.ar-Latn: Unknown language: expected one of "fr", "ar", "en", received "kab"`,
      ]),
    );
    expect(found).toHaveLength(4);
  });

  it("reports invalid YAML with its line", () => {
    const found = problems("tests/content/fixtures/bad-yaml/flows");
    expect(found.length).toBeGreaterThanOrEqual(1);
    expect(found[0]).toMatch(/^tests\/content\/fixtures\/bad-yaml\/flows\/intake\.yaml:5: Invalid YAML: /);
  });

  it("a ContentError's message lists every problem, one per line", () => {
    try {
      loadContent({ flowsDir: "tests/content/fixtures/references/flows" });
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message.split("\n")).toHaveLength(5);
      expect((error as Error).message).toMatch(/^Content has 4 problems:/);
    }
  });
});
