import { randomId, runTerminalChat } from "./channels/terminal.js";
import { ContentError, loadContent } from "./content/load.js";

/** `npm start`: load and check the content, then talk to Dalil in this terminal. */
async function main(): Promise<void> {
  const { content, directory } = loadContent();
  await runTerminalChat(() => ({ content, directory, now: new Date(), newId: randomId }), process.stdin, process.stdout);
}

main().catch((error: unknown) => {
  process.stderr.write(error instanceof ContentError ? `${error.message}\n` : `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
