import { startDalil } from "./app/dalil.js";
import { parseConfig } from "./config.js";
import { projectRoot } from "./content/files.js";
import { ContentError } from "./content/load.js";
import { createHttpApp, startHttpServer } from "./http/server.js";
import { createLogger } from "./logger.js";
import { TelegramChannel, TelegramStartError } from "./channels/telegram/bot.js";

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
  const app = createHttpApp({ dalil, logger, root });
  const channels = ["web"];

  const telegram = config.TELEGRAM_BOT_TOKEN
    ? new TelegramChannel(
        {
          token: config.TELEGRAM_BOT_TOKEN,
          ...(config.TELEGRAM_API_ROOT ? { apiRoot: config.TELEGRAM_API_ROOT } : {}),
          ...(config.TELEGRAM_WEBHOOK_URL && config.TELEGRAM_WEBHOOK_SECRET ? { webhook: { url: config.TELEGRAM_WEBHOOK_URL, secret: config.TELEGRAM_WEBHOOK_SECRET } } : {}),
        },
        { conversations: dalil.conversations, i18n: dalil.loaded.content.i18n, logger },
      )
    : null;
  if (telegram && config.TELEGRAM_WEBHOOK_URL) app.post(new URL(config.TELEGRAM_WEBHOOK_URL).pathname, telegram.webhookHandler());

  const http = await startHttpServer(app, { host: config.HOST, port: config.PORT });
  if (telegram) {
    await telegram.start();
    channels.push(config.TELEGRAM_WEBHOOK_URL ? "telegram (webhook)" : "telegram (polling)");
  }
  logger.info({ channels }, "channels live");
  process.stdout.write(`\nDalil is running: open ${http.url}\nChannels: ${channels.join(", ")}\n\n`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "stopping: finishing requests in flight");
    await telegram?.stop();
    await http.close();
    await dalil.close();
    logger.info("stopped");
  };
  process.once("SIGTERM", () => void stop("SIGTERM"));
  process.once("SIGINT", () => void stop("SIGINT"));
}

main().catch((error: unknown) => {
  process.stderr.write(error instanceof ContentError || error instanceof TelegramStartError ? `${error.message}\n` : `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
