import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { joinDirectoryFiles, type Directory } from "../../src/directory/directory.js";
import { directoryFileSchema } from "../../src/directory/schema.js";
import { loadContent, type LoadedContent } from "../../src/content/load.js";
import type { EngineContext } from "../../src/engine/context.js";

let loaded: LoadedContent | undefined;

/** The project's real content (flows, locales, lexicon, gazetteer, sample directory), loaded once per test file. */
export function realContent(): LoadedContent {
  loaded ??= loadContent();
  return loaded;
}

/** A Wednesday, 11:00 in Casablanca (UTC+1 outside Ramadan): services with weekday hours are open. */
export const WEDNESDAY_11H = new Date("2026-11-25T10:00:00Z");

/** An engine context with a fixed clock and predictable ids ("id-1", "id-2", ...). */
export function testContext(options: { now?: Date; directory?: Directory } = {}): EngineContext {
  const { content, directory } = realContent();
  let n = 0;
  return { content, directory: options.directory ?? directory, now: options.now ?? WEDNESDAY_11H, newId: () => `id-${++n}` };
}

/** A small directory for step cases, so they do not change when the sample directory does. */
export function fixtureDirectory(): Directory {
  const file = join(import.meta.dirname, "..", "engine", "fixtures", "directory.yaml");
  const data = directoryFileSchema.parse(parse(readFileSync(file, "utf8")));
  const { directory, problems } = joinDirectoryFiles([{ file, data }]);
  if (problems.length > 0) throw new Error(problems.map((p) => p.message).join("\n"));
  return directory;
}
