import { startDalil } from "./app/dalil.js";
import { runTerminalChat } from "./channels/terminal.js";
import { parseConfig } from "./config.js";
import { projectRoot } from "./content/files.js";
import { ContentError } from "./content/load.js";
import { createLogger } from "./logger.js";

/** `npm start`: check the content, open the database (migrating it), then talk to Dalil in this terminal. */
async function main(): Promise<void> {
  const config = parseConfig(process.env);
  const logger = createLogger(config.LOG_LEVEL);
  const dalil = await startDalil(config, { root: projectRoot(), logger });
  await runTerminalChat((inbound) => dalil.conversations.handle("web", "terminal", inbound), process.stdin, process.stdout);
  await dalil.close();
}

main().catch((error: unknown) => {
  process.stderr.write(error instanceof ContentError ? `${error.message}\n` : `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
