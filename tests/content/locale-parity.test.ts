/**
 * Every language has every key the others have, and every plural form its grammar needs (Arabic has six:
 * zero, one, two, few, many, other). The reference is computed from the files, never hand-listed.
 */
import { describe, expect, it } from "vitest";
import { flattenKeys, loadLocales } from "../../src/content/locales.js";
import { projectRoot } from "../../src/content/files.js";
import type { ContentIssue } from "../../src/content/errors.js";

const PLURAL = /_(zero|one|two|few|many|other)$/;

function keysByLanguage() {
  const issues: ContentIssue[] = [];
  const loaded = loadLocales(projectRoot(), "locales", "fr", issues);
  expect(issues).toEqual([]);
  const result = new Map<string, Set<string>>();
  for (const [language, namespaces] of loaded!.tables) {
    result.set(language, new Set([...namespaces].flatMap(([ns, table]) => flattenKeys(ns, table))));
  }
  return result;
}

describe("locale parity", () => {
  const byLanguage = keysByLanguage();
  const languages = [...byLanguage.keys()];

  it("has at least French, Arabic and English", () => {
    expect(languages).toEqual(expect.arrayContaining(["fr", "ar", "en"]));
  });

  it("every language has every key another language has", () => {
    const base = (key: string) => key.replace(PLURAL, "");
    const all = new Set([...byLanguage.values()].flatMap((keys) => [...keys].map(base)));
    const gaps: string[] = [];
    for (const [language, keys] of byLanguage) {
      const own = new Set([...keys].map(base));
      for (const key of all) if (!own.has(key)) gaps.push(`${language} › ${key}`);
    }
    expect(gaps).toEqual([]);
  });

  it("every plural key has the forms its language needs", () => {
    const gaps: string[] = [];
    for (const [language, keys] of byLanguage) {
      const needed = new Intl.PluralRules(language).resolvedOptions().pluralCategories;
      const plurals = new Set([...keys].filter((k) => PLURAL.test(k)).map((k) => k.replace(PLURAL, "")));
      for (const key of plurals) for (const form of needed) if (!keys.has(`${key}_${form}`)) gaps.push(`${language} › ${key}_${form}`);
    }
    expect(gaps).toEqual([]);
  });

  it("no value is empty or left untranslated with a placeholder mismatch", () => {
    const { tables } = (() => {
      const issues: ContentIssue[] = [];
      return loadLocales(projectRoot(), "locales", "fr", issues)!;
    })();
    const placeholders = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
    const value = (language: string, ns: string, path: string) => path.split(".").reduce<unknown>((node, part) => (node as Record<string, unknown>)?.[part], tables.get(language)?.get(ns));
    const gaps: string[] = [];
    for (const key of byLanguage.get("fr")!) {
      const [ns, path] = key.split(":") as [string, string];
      const reference = value("fr", ns, path);
      for (const language of languages) {
        const v = value(language, ns, path);
        if (typeof v !== "string" || v.trim() === "") gaps.push(`${language} › ${key}: empty`);
        else if (typeof reference === "string" && placeholders(v).join() !== placeholders(reference).join()) gaps.push(`${language} › ${key}: placeholders ${placeholders(v)} differ from fr ${placeholders(reference)}`);
      }
    }
    expect(gaps).toEqual([]);
  });
});
