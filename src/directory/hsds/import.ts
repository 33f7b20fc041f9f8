import { existsSync, statSync } from "node:fs";
import { basename, dirname, isAbsolute, relative } from "node:path";
import { toDotPath, type ContentIssue } from "../../content/errors.js";
import type { Content } from "../../engine/context.js";
import { joinDirectoryFiles } from "../directory.js";
import { directoryFileSchema, type DirectoryFile } from "../schema.js";
import type { HsdsDataset, HsdsObject } from "./dataset.js";
import { readCsvForm } from "./read-csv.js";
import { readJsonForm } from "./read-json.js";
import { toDalil, type HsdsImportContext, type Mapped } from "./to-dalil.js";

export type { HsdsImportContext } from "./to-dalil.js";

/**
 * Either the whole directory the HSDS data describes, valid for `DirectoryStore.import` (one file), with notices about
 * what was derived; or every problem found, and no data at all.
 */
export type HsdsImportResult = { files: { file: string; data: DirectoryFile }[]; notices: string[] } | { issues: ContentIssue[] };

/** The checks that depend on Dalil's content: communes from the gazetteer, language names from the locales. */
export function hsdsImportContext(content: Content): HsdsImportContext {
  const { i18n } = content;
  return {
    gazetteer: content.triage.gazetteer,
    hasLanguageName: (code) => i18n.languages.every((language) => i18n.has(language, `common:language.names.${code}`)),
  };
}

/**
 * Reads Open Referral HSDS 3.0 data: a JSON file (an array of services, or one service) or a datapackage (a folder of
 * CSV files, or its datapackage.json). Mapping rules: `./export.ts`. Every problem is reported at once, each with its
 * file, CSV line, record and field; the result passes `directoryFileSchema` and `joinDirectoryFiles`, or is issues.
 */
export function readHsds(path: string, context: HsdsImportContext): HsdsImportResult {
  const file = shown(path);
  if (!existsSync(path)) return { issues: [{ file, path: [], message: "No such file or folder" }] };
  let dataset: HsdsDataset;
  if (statSync(path).isDirectory()) dataset = readCsvForm(path, file);
  else if (basename(path) === "datapackage.json") dataset = readCsvForm(dirname(path), shown(dirname(path)));
  else dataset = readJsonForm(path, file);

  const mapped = toDalil(dataset, context);
  if (dataset.issues.list.length > 0) return { issues: dataset.issues.list };

  // The mapping checked what it maps; the directory's own schema and reference checks have the last word.
  const parsed = directoryFileSchema.safeParse(mapped.data);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) place(dataset, mapped, file, issue.path, issue.message);
    return { issues: dataset.issues.list };
  }
  const files = [{ file, data: parsed.data }];
  const { problems } = joinDirectoryFiles(files);
  for (const problem of problems) place(dataset, mapped, file, problem.path, problem.message);
  if (dataset.issues.list.length > 0) return { issues: dataset.issues.list };
  return { files, notices: mapped.notices };
}

const LISTS = ["organisations", "locations", "services"] as const;

/** A problem at a path of the Dalil records, reported at the HSDS record it came from (with Dalil's field path). */
function place(dataset: HsdsDataset, mapped: Mapped, file: string, path: readonly PropertyKey[], message: string): void {
  const [list, index, ...rest] = path;
  const origin: HsdsObject | undefined = LISTS.includes(list as (typeof LISTS)[number]) && typeof index === "number" ? mapped.origins[list as (typeof LISTS)[number]][index] : undefined;
  // The path is Dalil's, not the file's: it goes in the message, and the problem sits at the HSDS record.
  if (origin) dataset.issues.at(origin, [], `Dalil's ${rest.length > 0 ? toDotPath(rest) : "record"}: ${message}`);
  else dataset.issues.push({ file, path: [...path], message });
}

/** A path as messages show it: relative to the working folder when inside it. */
function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel) ? rel : path;
}
