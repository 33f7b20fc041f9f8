import { existsSync, readFileSync, readdirSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { LineCounter, isNode, parseDocument, type Document } from "yaml";
import type { z } from "zod";
import type { ContentIssue } from "./errors.js";
import { didYouMean, quoteList } from "./suggest.js";

/**
 * The project root: the nearest folder above this module holding Dalil's package.json. Found by walking up rather
 * than by a fixed `../..`, so the same code works from `src/` under tsx and from a build in `dist/`.
 */
export function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest) && /"name":\s*"dalil"/.test(readFileSync(manifest, "utf8"))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error("Cannot find Dalil's package.json above " + fileURLToPath(import.meta.url));
    dir = parent;
  }
}

/** Files of a folder with one of the extensions, sorted by name; an empty list when the folder does not exist. */
export function listFiles(folder: string, extensions: readonly string[]): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((name) => extensions.some((ext) => name.endsWith(ext)))
    .sort()
    .map((name) => join(folder, name));
}

/** A parsed YAML file that can tell on which line a value sits. */
export interface YamlFile {
  /** Path relative to the root, used in messages. */
  file: string;
  value: unknown;
  lineOf(path: readonly PropertyKey[]): number | undefined;
}

export function readYaml(root: string, path: string, issues: ContentIssue[]): YamlFile | null {
  const file = relative(root, resolve(root, path));
  let text: string;
  try {
    text = readFileSync(resolve(root, path), "utf8");
  } catch (error) {
    issues.push({ file, path: [], message: `Cannot read the file: ${(error as Error).message}` });
    return null;
  }
  const lineCounter = new LineCounter();
  const doc: Document = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    for (const e of doc.errors) {
      const line = lineCounter.linePos(e.pos[0]).line;
      issues.push({ file, ...(line ? { line } : {}), path: [], message: `Invalid YAML: ${e.message.split("\n")[0]}` });
    }
    return null;
  }
  return {
    file,
    value: doc.toJS(),
    lineOf(path) {
      // The deepest node that exists: a missing field is reported at the line of the record that lacks it.
      for (let n = path.length; n >= 0; n--) {
        const node = doc.getIn(path.slice(0, n) as unknown[], true);
        if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
      }
      return undefined;
    },
  };
}

/** Validate a value with a zod schema, turning each zod issue into a located content issue. */
export function check<S extends z.ZodType>(
  schema: S,
  value: unknown,
  source: { file: string; lineOf?: (path: readonly PropertyKey[]) => number | undefined },
  issues: ContentIssue[],
  options: { basePath?: readonly PropertyKey[]; where?: string } = {},
): z.infer<S> | null {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const push = (path: readonly PropertyKey[], message: string) => {
    const line = source.lineOf?.([...(options.basePath ?? []), ...path]);
    issues.push({ file: source.file, ...(line ? { line } : {}), ...(options.where ? { where: options.where } : {}), path, message });
  };
  for (const issue of result.error.issues) {
    if (issue.code === "unrecognized_keys") {
      // One issue per unknown field, at the field's own line, with the fields that are allowed there.
      const allowed = issue.path.length === 0 ? fieldsOf(schema) : [];
      for (const key of issue.keys) {
        push([...issue.path, key], `Unknown field "${key}"${allowed.length > 0 ? `: expected one of ${quoteList(allowed)}${didYouMean(key, allowed)}` : ""}`);
      }
    } else {
      push(issue.path, issue.message);
    }
  }
  return null;
}

/** The field names of an object schema, when the schema is one. */
function fieldsOf(schema: z.ZodType): string[] {
  const shape = (schema as { shape?: Record<string, unknown> }).shape;
  return shape ? Object.keys(shape) : [];
}
