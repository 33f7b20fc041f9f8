import { parseArgs } from "node:util";
import { runTriageCommand } from "./cli/triage.js";
import { randomId, runTerminalChat } from "./channels/terminal.js";
import { ContentError, loadContent } from "./content/load.js";

const USAGE = `Usage: dalil <command> [options]

Commands:
  triage [--expect-place]   Read JSON lines {"text": "..."} on stdin, write the triage of each as a JSON line:
                            {"text", "language", "categories", "urgent", "place": {"code", "name", "region"} | null}
                            --expect-place reads each text as an answer to "where are you?" (typos tolerated)
  chat                      Talk to Dalil in the terminal (in memory, nothing stored)
  check                     Load and check every content file (flows, locales, data); print the problems
  help                      This text
`;

/** The `dalil` command line. Returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case "triage": {
      const { values } = parseArgs({ args: rest, options: { "expect-place": { type: "boolean", default: false } } });
      const { content } = loadContent();
      return runTriageCommand(content.triage, process.stdin, process.stdout, { expectingPlace: values["expect-place"] ?? false });
    }
    case "chat": {
      const { content, directory } = loadContent();
      await runTerminalChat(() => ({ content, directory, now: new Date(), newId: randomId }), process.stdin, process.stdout);
      return 0;
    }
    case "check": {
      const { content, directory } = loadContent();
      console.log(`Content OK (version ${content.version}): ${content.flows.size} flow(s), ${content.i18n.languages.length} languages, ${content.triage.gazetteer.communes.length} communes, ${directory.services.length} services.`);
      return 0;
    }
    case undefined:
    case "help":
    case "--help":
      process.stdout.write(USAGE);
      return command === undefined ? 1 : 0;
    default:
      process.stderr.write(`Unknown command "${command}".\n\n${USAGE}`);
      return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(error instanceof ContentError ? `${error.message}\n` : `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
