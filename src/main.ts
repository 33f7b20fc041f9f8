import { startDalil } from "./app/dalil.js";
import { parseConfig } from "./config.js";
import { projectRoot } from "./content/files.js";
import { ContentError } from "./content/load.js";
import { createHttpApp, startHttpServer } from "./http/server.js";
import { createLogger } from "./logger.js";

/**
 * `npm start`: check the content, open the database (migrating it and importing the sample directory into an empty
 * one), then serve the web chat and the JSON API. SIGTERM or SIGINT stops taking requests, finishes those in flight
 * and closes the database.
 */
async function main(): Promise<void> {
  const config = parseConfig(process.env);
  const logger = createLogger(config.LOG_LEVEL);
  const root = projectRoot();
  const dalil = await startDalil(config, { root, logger });
  const http = await startHttpServer(createHttpApp({ dalil, logger, root }), { host: config.HOST, port: config.PORT });
  logger.info({ channels: ["web"] }, "channels live");
  process.stdout.write(`\nDalil is running: open ${http.url}\n\n`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "stopping: finishing requests in flight");
    await http.close();
    await dalil.close();
    logger.info("stopped");
  };
  process.once("SIGTERM", () => void stop("SIGTERM"));
  process.once("SIGINT", () => void stop("SIGINT"));
}

main().catch((error: unknown) => {
  process.stderr.write(error instanceof ContentError ? `${error.message}\n` : `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
