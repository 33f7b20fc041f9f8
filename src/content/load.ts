import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { parse as parseCsv } from "csv-parse/sync";
import { z } from "zod";
import { CATEGORIES } from "../codes.js";
import { Directory, joinDirectoryFiles } from "../directory/directory.js";
import { directoryFileSchema, type DirectoryFile } from "../directory/schema.js";
import type { Content, EmergencyNumber } from "../engine/context.js";
import type { Flow } from "../engine/flow.js";
import { ENGINE_KEYS } from "../engine/keys.js";
import { FOLLOWUP_KEYS } from "../engine/followup.js";
import { followupSettingsSchema } from "../engine/followup-settings.js";
import { stepTypeOf, type FlowStep } from "../engine/steps/index.js";
import { Gazetteer, communeRowSchema, placeAliasesSchema, type CommuneRow } from "../triage/gazetteer.js";
import { categoryLexiconSchema, commandLexiconSchema, languageMarkersSchema, urgentLexiconSchema } from "../triage/lexicon-schema.js";
import { NeedModel, needModelSchema } from "../triage/need-model.js";
import { normalise } from "../triage/normalise.js";
import { realWordsSchema } from "../triage/real-words.js";
import { Triage } from "../triage/triage.js";
import { ContentError, type ContentIssue } from "./errors.js";
import { check, listFiles, projectRoot, readYaml, type YamlFile } from "./files.js";
import { parseFlow } from "./flows.js";
import { loadLocales } from "./locales.js";
import { quoteList } from "./suggest.js";

const emergencySchema = z
  .object({
    country: z.string().length(2),
    numbers: z.array(z.object({ service: z.string().regex(/^[a-z_]+$/), number: z.string().regex(/^[0-9]{2,6}$/), note: z.string().optional() }).strict()).min(1),
  })
  .strict();

export interface LoadOptions {
  /** Project root; the folder of Dalil's package.json by default. */
  root?: string;
  /** Folders, relative to the root, for tests that load broken fixtures. */
  flowsDir?: string;
  localesDir?: string;
  dataDir?: string;
  /** The directory files' folder; `<dataDir>/directory` by default. */
  directoryDir?: string;
  mainFlow?: string;
  defaultLanguage?: string;
  /** False to leave out the learned need model (`npm run triage:train` replaces it, whatever its state). */
  needModel?: boolean;
}

export interface LoadedContent {
  content: Content;
  /** The directory as the data files describe it (the database holds the live one once imported). */
  directoryFiles: { file: string; data: DirectoryFile }[];
  directory: Directory;
}

/**
 * Loads and checks every content file: flows, locales, lexicon, gazetteer, emergency numbers, directory. Throws one
 * ContentError listing all problems (file, line, step or record, field) when anything is wrong, so start-up fails
 * before a person meets a broken conversation.
 */
export function loadContent(options: LoadOptions = {}): LoadedContent {
  const root = options.root ?? projectRoot();
  const flowsDir = options.flowsDir ?? "flows";
  const localesDir = options.localesDir ?? "locales";
  const dataDir = options.dataDir ?? "data";
  const mainFlow = options.mainFlow ?? "intake";
  const defaultLanguage = options.defaultLanguage ?? "fr";
  const issues: ContentIssue[] = [];
  const hash = createHash("sha256");
  const yaml = (path: string) => {
    const file = readYaml(root, path, issues);
    if (file) hash.update(path).update(JSON.stringify(file.value));
    return file;
  };

  const locales = loadLocales(root, localesDir, defaultLanguage, issues);

  const flows = new Map<string, Flow>();
  const parsedSteps: { file: string; steps: FlowStep[] }[] = [];
  for (const path of listFiles(join(root, flowsDir), [".yaml", ".yml"])) {
    const file = yaml(relative(root, path));
    if (!file) continue;
    const { flow, steps } = parseFlow(file, issues);
    parsedSteps.push({ file: file.file, steps });
    if (flow) {
      if (flows.has(flow.id)) issues.push({ file: flow.file, path: ["id"], message: `Duplicate flow id "${flow.id}", also in ${flows.get(flow.id)!.file}` });
      flows.set(flow.id, flow);
    }
  }
  if (!flows.has(mainFlow) && !issues.some((i) => i.file.startsWith(flowsDir))) {
    issues.push({ file: flowsDir, path: [], message: `Missing the main flow: expected a flow with id "${mainFlow}", found ${quoteList([...flows.keys()])}` });
  }

  const lexicon = (name: string) => yaml(`${dataDir}/lexicon/${name}.yaml`);
  const categoriesFile = lexicon("categories");
  const urgentFile = lexicon("urgent");
  const languagesFile = lexicon("languages");
  const commandsFile = lexicon("commands");
  const realWordsFile = lexicon("real-words");
  const categories = categoriesFile && check(categoryLexiconSchema, categoriesFile.value, categoriesFile, issues);
  const urgent = urgentFile && check(urgentLexiconSchema, urgentFile.value, urgentFile, issues);
  const markers = languagesFile && check(languageMarkersSchema, languagesFile.value, languagesFile, issues);
  const commands = commandsFile && check(commandLexiconSchema, commandsFile.value, commandsFile, issues);
  const realWords = realWordsFile && check(realWordsSchema, realWordsFile.value, realWordsFile, issues);
  const model = options.needModel === false ? null : readNeedModel(root, `${dataDir}/lexicon/need-model.json`, issues, hash);

  const rows = readCommunes(root, `${dataDir}/places/communes.csv`, issues, hash);
  const aliasesFile = yaml(`${dataDir}/places/aliases.yaml`);
  const aliases = aliasesFile && check(placeAliasesSchema, aliasesFile.value, aliasesFile, issues);
  // Place names that are also everyday words ("casa" is a house in Spanish) need a cue such as "à" or "in".
  const ordinaryWords = new Set([
    ...(markers ? Object.values(markers.markers).flat().map(normalise) : []),
    ...(categories ? Object.values(categories.categories).flatMap((byLanguage) => Object.values(byLanguage).flat().map((t) => normalise(typeof t === "string" ? t : t.term))) : []),
  ]);
  const gazetteer = rows && aliases ? new Gazetteer(rows, aliases, ordinaryWords) : null;
  if (gazetteer && aliases && aliasesFile) {
    for (const code of gazetteer.unknownCodes(aliases)) {
      issues.push({ file: aliasesFile.file, path: ["aliases", code], message: `Unknown commune code "${code}": not in ${dataDir}/places/communes.csv` });
    }
  }

  const followupFile = yaml(`${dataDir}/followup.yaml`);
  const followup = followupFile && check(followupSettingsSchema, followupFile.value, followupFile, issues);

  const emergencyFile = yaml(`${dataDir}/emergency.yaml`);
  const emergency = emergencyFile && check(emergencySchema, emergencyFile.value, emergencyFile, issues);

  const directoryFiles: { file: string; data: DirectoryFile }[] = [];
  const directoryYaml = new Map<string, YamlFile>();
  /** An issue in a directory file, located by line and by record id. */
  const directoryIssue = (file: string, path: PropertyKey[], message: string): ContentIssue => {
    const yamlFile = directoryYaml.get(file);
    const line = yamlFile?.lineOf(path);
    return inRecord({ file, ...(line ? { line } : {}), path, message }, yamlFile?.value);
  };
  for (const path of listFiles(join(root, options.directoryDir ?? join(dataDir, "directory")), [".yaml", ".yml"])) {
    const file = yaml(relative(root, path));
    if (!file) continue;
    directoryYaml.set(file.file, file);
    const before = issues.length;
    const data = check(directoryFileSchema, file.value, file, issues, {});
    for (let i = before; i < issues.length; i++) issues[i] = inRecord(issues[i]!, file.value);
    if (data) directoryFiles.push({ file: file.file, data });
  }
  const { directory, problems } = joinDirectoryFiles(directoryFiles);
  issues.push(...problems.map((p) => directoryIssue(p.file, p.path, p.message)));

  if (locales) {
    const { translator } = locales;
    const requireKey = (key: string, file: string, where: string | undefined, path: PropertyKey[]) => {
      const missing = translator.languages.filter((language) => !translator.has(language, key));
      if (missing.length > 0) issues.push({ file, ...(where ? { where } : {}), path, message: `Missing translation: "${key}" is not in ${missing.map((l) => `${localesDir}/${l}`).join(", ")}` });
    };
    for (const key of [...ENGINE_KEYS, ...FOLLOWUP_KEYS]) requireKey(key, localesDir, "engine", []);
    if (followup && followupFile) followup.reasons.forEach((code, i) => requireKey(`followup:reason.${code}`, followupFile.file, undefined, ["reasons", i]));
    for (const code of CATEGORIES) requireKey(`common:category.${code}`, localesDir, "categories", []);
    for (const flow of parsedSteps) {
      for (const step of flow.steps) {
        for (const key of stepTypeOf(step).references(step).keys) requireKey(key, flow.file, `step "${step.id}"`, []);
        if (step.type === "ask_language") {
          for (const [detected, language] of Object.entries(step.propose)) {
            if (language && !translator.languages.includes(language)) issues.push({ file: flow.file, where: `step "${step.id}"`, path: ["propose", detected], message: `Unknown language: expected one of ${quoteList(translator.languages)}, received "${language}"` });
          }
        }
        if (step.type === "ask_place" && gazetteer) {
          step.suggest.forEach((code, i) => {
            if (!gazetteer.get(code)) issues.push({ file: flow.file, where: `step "${step.id}"`, path: ["suggest", i], message: `Unknown commune code "${code}"` });
          });
        }
      }
    }
    if (emergency && emergencyFile) {
      for (const e of emergency.numbers) requireKey(`common:emergency.service.${e.service}`, emergencyFile.file, `number "${e.number}"`, []);
    }
    for (const { file, data } of directoryFiles) {
      data.services.forEach((s, i) => {
        s.languages.forEach((code, j) => {
          const missing = translator.languages.filter((language) => !translator.has(language, `common:language.names.${code}`));
          if (missing.length > 0) issues.push(directoryIssue(file, ["services", i, "languages", j], `Unknown language "${code}": add its name as common:language.names.${code} to ${missing.map((l) => `${localesDir}/${l}`).join(", ")}`));
        });
      });
    }
  }
  if (gazetteer) {
    for (const { file, data } of directoryFiles) {
      data.locations.forEach((l, i) => {
        if (!gazetteer.get(l.commune)) issues.push(directoryIssue(file, ["locations", i, "commune"], `Unknown commune code "${l.commune}": not in ${dataDir}/places/communes.csv`));
      });
    }
  }

  if (issues.length > 0 || !locales || !gazetteer || !categories || !urgent || !markers || !commands || !realWords || !emergency || !followup) {
    throw new ContentError(issues.length > 0 ? issues : [{ file: root, path: [], message: "Content could not be loaded" }]);
  }
  const content: Content = {
    flows,
    mainFlow,
    i18n: locales.translator,
    triage: new Triage({ categories, urgent, languages: markers, commands, realWords: realWords.words, gazetteer, ...(model ? { model } : {}) }),
    emergency: emergency.numbers.map((e): EmergencyNumber => ({ service: e.service, number: e.number })),
    followup,
    version: hash.digest("hex").slice(0, 12),
  };
  return { content, directoryFiles, directory };
}

const RECORD_KINDS: Record<string, string> = { organisations: "organisation", locations: "location", services: "service" };

/** `services[3].categories[0]` in a directory file → `service "svc-x"` › `categories[0]`: authors know records by id. */
function inRecord(issue: ContentIssue, raw: unknown): ContentIssue {
  const [list, index, ...rest] = issue.path;
  const kind = typeof list === "string" ? RECORD_KINDS[list] : undefined;
  if (!kind || typeof index !== "number") return issue;
  const id = (raw as Record<string, { id?: unknown }[] | undefined> | undefined)?.[list as string]?.[index]?.id;
  return { ...issue, where: typeof id === "string" ? `${kind} "${id}"` : `${list as string}[${index}]`, path: rest };
}

function readCommunes(root: string, path: string, issues: ContentIssue[], hash: ReturnType<typeof createHash>): CommuneRow[] | null {
  let text: string;
  try {
    text = readFileSync(join(root, path), "utf8");
  } catch (error) {
    issues.push({ file: path, path: [], message: `Cannot read the file: ${(error as Error).message}` });
    return null;
  }
  hash.update(text);
  const records = parseCsv(text, { columns: true, skip_empty_lines: true }) as Record<string, string>[];
  const rows: CommuneRow[] = [];
  records.forEach((record, i) => {
    const row = check(communeRowSchema, record, { file: path, lineOf: () => i + 2 }, issues, { where: `commune "${record.name_fr ?? i}"` });
    if (row) rows.push(row);
  });
  return rows;
}

/**
 * The learned need model, when the data folder has one: a country or region without labelled messages yet runs on its
 * lexicon alone. JSON rather than YAML: it is generated, and most of it is one long base64 string.
 */
function readNeedModel(root: string, path: string, issues: ContentIssue[], hash: ReturnType<typeof createHash>): NeedModel | null {
  if (!existsSync(join(root, path))) return null;
  let value: unknown;
  try {
    const text = readFileSync(join(root, path), "utf8");
    hash.update(text);
    value = JSON.parse(text);
  } catch (error) {
    issues.push({ file: path, path: [], message: `Cannot read the model: ${(error as Error).message} (regenerate it with npm run triage:train)` });
    return null;
  }
  const file = check(needModelSchema, value, { file: path }, issues);
  return file && new NeedModel(file);
}

export { ContentError };
export type { Directory };
