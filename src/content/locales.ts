import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { basename, join, relative } from "node:path";
import i18next, { type i18n } from "i18next";
import { z } from "zod";
import type { Translator } from "../engine/context.js";
import type { ContentIssue } from "./errors.js";
import { check, listFiles } from "./files.js";

/** `locales/<code>/meta.json`: how the language names itself, and how to format dates and numbers in it. */
const metaSchema = z
  .object({
    name: z.string().min(1),
    intl: z.string().min(2),
    /** Position in the language menu; lower first. */
    order: z.number().int(),
  })
  .strict();

/** Nested string tables, as i18next reads them. */
type Table = { [key: string]: string | Table };
const tableSchema: z.ZodType<Table> = z.lazy(() => z.record(z.string(), z.union([z.string(), tableSchema])));

export interface LoadedLocales {
  translator: Translator;
  /** language → namespace → table, for checks that compare languages. */
  tables: Map<string, Map<string, Table>>;
}

/**
 * Reads `locales/<language>/<namespace>.json` for every language folder (a new folder is a new language, no code
 * change) into one i18next instance. Interpolated values are not HTML-escaped here: each channel escapes for
 * its own medium (the web chat sets text, never HTML).
 */
export function loadLocales(root: string, folder: string, defaultLanguage: string, issues: ContentIssue[]): LoadedLocales | null {
  const dir = join(root, folder);
  if (!existsSync(dir)) {
    issues.push({ file: folder, path: [], message: "The locales folder is missing" });
    return null;
  }
  const languages = readdirSync(dir).filter((name) => statSync(join(dir, name)).isDirectory()).sort();
  const tables = new Map<string, Map<string, Table>>();
  const metas = new Map<string, z.infer<typeof metaSchema>>();
  const resources: Record<string, Record<string, Table>> = {};
  for (const language of languages) {
    const namespaces = new Map<string, Table>();
    for (const path of listFiles(join(dir, language), [".json"])) {
      const file = relative(root, path);
      let value: unknown;
      try {
        value = JSON.parse(readFileSync(path, "utf8"));
      } catch (error) {
        issues.push({ file, path: [], message: `Invalid JSON: ${(error as Error).message}` });
        continue;
      }
      const ns = basename(path, ".json");
      if (ns === "meta") {
        const meta = check(metaSchema, value, { file }, issues);
        if (meta) metas.set(language, meta);
        continue;
      }
      const table = check(tableSchema, value, { file }, issues);
      if (table) namespaces.set(ns, table);
    }
    if (!metas.has(language)) issues.push({ file: `${folder}/${language}/meta.json`, path: [], message: "Missing: every language needs a meta.json with its name, Intl locale and menu order" });
    tables.set(language, namespaces);
    resources[language] = Object.fromEntries(namespaces);
  }
  if (!languages.includes(defaultLanguage)) {
    issues.push({ file: folder, path: [], message: `The default language "${defaultLanguage}" has no folder; found: ${languages.join(", ")}` });
    return null;
  }
  const instance: i18n = i18next.createInstance();
  void instance.init({
    resources,
    lng: defaultLanguage,
    fallbackLng: defaultLanguage,
    supportedLngs: languages,
    ns: [...new Set(languages.flatMap((l) => [...(tables.get(l)?.keys() ?? [])]))],
    defaultNS: "common",
    initAsync: false,
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  const ordered = [...languages].sort((a, b) => (metas.get(a)?.order ?? 99) - (metas.get(b)?.order ?? 99) || a.localeCompare(b));
  const translator: Translator = {
    languages: ordered,
    defaultLanguage,
    t: (language, key, vars) => instance.t(key, { lng: language, ...vars }) as string,
    has: (language, key) => hasKey(tables.get(language), key),
    dir: (language) => instance.dir(language),
    intlLocale: (language) => metas.get(language)?.intl ?? language,
    name: (language) => metas.get(language)?.name ?? language,
  };
  return { translator, tables };
}

/** Whether `ns:a.b` (or its plural forms `a.b_one`, `a.b_other`...) exists in one language, without fallback. */
function hasKey(namespaces: Map<string, Table> | undefined, key: string): boolean {
  if (!namespaces) return false;
  const [ns, path] = key.includes(":") ? (key.split(":", 2) as [string, string]) : ["common", key];
  let node: string | Table | undefined = namespaces.get(ns);
  const parts = path.split(".");
  for (let i = 0; i < parts.length; i++) {
    if (node === undefined || typeof node === "string") return false;
    const part: string = parts[i]!;
    if (i === parts.length - 1 && node[part] === undefined) return node[`${part}_other`] !== undefined;
    node = node[part];
  }
  return typeof node === "string";
}

/** Every key of a table as `ns:a.b.c`, plural suffixes kept. */
export function flattenKeys(ns: string, table: Table, prefix = ""): string[] {
  return Object.entries(table).flatMap(([k, v]) => (typeof v === "string" ? [`${ns}:${prefix}${k}`] : flattenKeys(ns, v, `${prefix}${k}.`)));
}
