import { startDalil } from "./app/dalil.js";
import { parseConfig } from "./config.js";
import { projectRoot } from "./content/files.js";
import { ContentError } from "./content/load.js";
import { createHttpApp, startHttpServer } from "./http/server.js";
import { resolve } from "node:path";
import qrcodeTerminal from "qrcode-terminal";
import type { Dalil } from "./app/dalil.js";
import { WhatsAppChannel } from "./channels/whatsapp/channel.js";
import { clearSession, makeLocation, realClientFactory } from "./channels/whatsapp/client.js";
import type { Config } from "./config.js";
import { createLogger, type Logger } from "./logger.js";
import { PendingInboundStore } from "./store/pending-inbound.js";
import { Sealer } from "./store/sealed.js";
import { TelegramChannel, TelegramStartError } from "./channels/telegram/bot.js";
import { TelegramFacilitatorGroup } from "./channels/telegram/facilitators.js";

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
  const whatsapp = config.WHATSAPP_ENABLED ? createWhatsApp(config, dalil, root, logger) : null;
  const shutdown = new AbortController();
  const app = createHttpApp({ dalil, logger, root, shutdown: shutdown.signal, ...(config.DALIL_ADMIN_TOKEN ? { adminToken: config.DALIL_ADMIN_TOKEN } : {}), ...(whatsapp ? { whatsapp } : {}) });
  const channels = ["web"];

  const telegram = config.TELEGRAM_BOT_TOKEN
    ? new TelegramChannel(
        {
          token: config.TELEGRAM_BOT_TOKEN,
          ...(config.TELEGRAM_API_ROOT ? { apiRoot: config.TELEGRAM_API_ROOT } : {}),
          ...(config.TELEGRAM_WEBHOOK_URL && config.TELEGRAM_WEBHOOK_SECRET ? { webhook: { url: config.TELEGRAM_WEBHOOK_URL, secret: config.TELEGRAM_WEBHOOK_SECRET } } : {}),
        },
        {
          conversations: dalil.conversations,
          i18n: dalil.loaded.content.i18n,
          logger,
          pending: { store: new PendingInboundStore(dalil.db.prisma), sealer: new Sealer(dalil.secret, "pending-inbound"), clock: () => new Date() },
        },
      )
    : null;
  if (telegram && config.TELEGRAM_WEBHOOK_URL) app.post(new URL(config.TELEGRAM_WEBHOOK_URL).pathname, telegram.webhookHandler());

  if (telegram) {
    dalil.delivery.register("telegram", (address, _language, messages) => telegram.send(Number(address), messages));
    if (config.TELEGRAM_FACILITATOR_CHAT_ID) {
      const chatId = Number(config.TELEGRAM_FACILITATOR_CHAT_ID);
      const group = new TelegramFacilitatorGroup({ api: telegram.bot.api, chatId, handoff: dalil.handoff, tickets: dalil.tickets, content: dalil.loaded.content, directory: dalil.directory, language: config.FACILITATOR_LANGUAGE, logger });
      telegram.setFacilitatorGroup(chatId, group);
      dalil.handoff.registerNotifier(group);
    }
  }
  if (whatsapp) dalil.delivery.register("whatsapp", (address, language, messages) => whatsapp.send(address, language, messages));

  const http = await startHttpServer(app, { host: config.HOST, port: config.PORT });
  if (telegram) {
    await telegram.start();
    channels.push(config.TELEGRAM_WEBHOOK_URL ? "telegram (webhook)" : "telegram (polling)");
  }
  if (whatsapp) {
    await whatsapp.start();
    channels.push(`whatsapp (${config.DALIL_ADMIN_TOKEN ? `QR code at ${http.url}/admin/whatsapp and` : "QR code"} in this terminal)`);
  }
  logger.info({ channels }, "channels live");
  process.stdout.write(`\nDalil is running: open ${http.url}\nChannels: ${channels.join(", ")}\n\n`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "stopping: finishing requests in flight");
    shutdown.abort();
    await telegram?.stop();
    await whatsapp?.stop();
    await http.close();
    await dalil.close();
    logger.info("stopped");
  };
  process.once("SIGTERM", () => void stop("SIGTERM"));
  process.once("SIGINT", () => void stop("SIGINT"));
}

/** WhatsApp through whatsapp-web.js: a logged-in WhatsApp Web session in Debian's Chromium, kept under var/. */
function createWhatsApp(config: Config, dalil: Dalil, root: string, logger: Logger): WhatsAppChannel {
  const sessionDir = resolve(root, config.WHATSAPP_SESSION_DIR);
  return new WhatsAppChannel({
    conversations: dalil.conversations,
    pending: new PendingInboundStore(dalil.db.prisma),
    sealer: new Sealer(dalil.secret, "pending-inbound"),
    i18n: dalil.loaded.content.i18n,
    logger,
    createClient: realClientFactory({ sessionDir, executablePath: config.PUPPETEER_EXECUTABLE_PATH, ...(config.WHATSAPP_PAIRING_NUMBER ? { pairingNumber: config.WHATSAPP_PAIRING_NUMBER } : {}) }),
    makeLocation,
    clearSession: () => clearSession(sessionDir),
    onQr: (qr) => qrcodeTerminal.generate(qr, { small: true }, (art) => process.stdout.write(`\nScan with WhatsApp (Linked devices › Link a device):\n${art}\n`)),
  });
}

main().catch((error: unknown) => {
  process.stderr.write(error instanceof ContentError || error instanceof TelegramStartError ? `${error.message}\n` : `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
