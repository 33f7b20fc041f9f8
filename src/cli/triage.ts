import { createInterface } from "node:readline";
import { z } from "zod";
import type { Triage } from "../triage/triage.js";

const lineSchema = z.object({ text: z.string() }).loose();

/** The triage of one text, as the `dalil triage` command prints it. */
export function triageLine(triage: Triage, text: string, options: { expectingPlace: boolean }) {
  const result = triage.analyse(text, { expectingPlace: options.expectingPlace });
  const commune = result.place?.candidates[0];
  return {
    text,
    language: result.language,
    categories: result.categories.map((c) => c.code),
    urgent: result.urgent,
    place: commune ? { code: commune.code, name: commune.nameFr, region: commune.regionCode } : null,
  };
}

/**
 * Reads JSON lines `{"text": "..."}` and writes one JSON line per input line. A bad line gets
 * `{"error": "..."}` in its place (so outputs stay aligned with inputs) and makes the exit code 1.
 */
export async function runTriageCommand(
  triage: Triage,
  input: NodeJS.ReadableStream,
  output: NodeJS.WritableStream,
  options: { expectingPlace: boolean },
): Promise<number> {
  let failures = 0;
  let lineNumber = 0;
  for await (const line of createInterface({ input, crlfDelay: Infinity })) {
    lineNumber++;
    if (line.trim() === "") continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      failures++;
      output.write(JSON.stringify({ error: `line ${lineNumber}: not JSON; expected {"text": "..."}` }) + "\n");
      continue;
    }
    const checked = lineSchema.safeParse(parsed);
    if (!checked.success) {
      failures++;
      output.write(JSON.stringify({ error: `line ${lineNumber}: expected {"text": "..."} with text a string` }) + "\n");
      continue;
    }
    output.write(JSON.stringify(triageLine(triage, checked.data.text, options)) + "\n");
  }
  return failures > 0 ? 1 : 0;
}
