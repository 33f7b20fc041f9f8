import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { projectRoot } from "../../src/content/files.js";

function dalil(args: string[], input: string) {
  const result = spawnSync(process.execPath, ["src/bin/dalil.mjs", ...args], { cwd: projectRoot(), input, encoding: "utf8", timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("dalil triage", () => {
  it("answers one JSON line per input line, in the documented format", () => {
    const input = ['{"text": "j\'ai besoin d\'un médecin à Inezgane"}', '{"text": "بغيت نخدم فالناظور"}', '{"text": "no place to sleep"}'].join("\n");
    const { code, stdout } = dalil(["triage"], input);
    expect(code).toBe(0);
    const lines = stdout.trim().split("\n").map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3);
    expect(lines[0]).toEqual({ text: "j'ai besoin d'un médecin à Inezgane", language: "fr", categories: ["health"], urgent: false, place: { code: "09.273.01.15", name: "Inezgane", region: "09" } });
    expect(lines[1]).toMatchObject({ language: "ar", categories: ["employment"], urgent: false, place: { code: "02.381.01.05", region: "02" } });
    expect(lines[2]).toMatchObject({ language: "en", categories: ["shelter"], place: null });
    for (const line of lines) expect(Object.keys(line)).toEqual(["text", "language", "categories", "urgent", "place"]);
  });

  it("keeps going past a bad line, answers it with an error and exits 1", () => {
    const { code, stdout } = dalil(["triage"], 'not json\n{"text": 3}\n{"text": "je veux mourir"}\n');
    expect(code).toBe(1);
    const lines = stdout.trim().split("\n").map((l) => JSON.parse(l));
    expect(lines[0].error).toMatch(/line 1/);
    expect(lines[1].error).toMatch(/line 2/);
    expect(lines[2]).toMatchObject({ urgent: true });
  });
});
