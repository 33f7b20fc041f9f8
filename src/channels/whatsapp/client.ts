import { rm } from "node:fs/promises";
import { join } from "node:path";
// A default import: named imports pass tsc and vitest but fail at run time (whatsapp-web.js is CommonJS).
import wweb from "whatsapp-web.js";
import type { WhatsAppClientLike } from "./channel.js";

const { Client, LocalAuth, Location } = wweb;

/** Chromium flags that work as root in a container, without background traffic to Google. */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-setuid-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export interface RealClientOptions {
  /** LocalAuth keeps the logged-in session here, so a restart needs no new scan. */
  sessionDir: string;
  executablePath: string;
  /** Pair by code instead of QR: the programme's number, international form without + (e.g. 2126XXXXXXXX). */
  pairingNumber?: string;
}

const CLIENT_ID = "dalil";

export function realClientFactory(options: RealClientOptions): () => WhatsAppClientLike {
  return () =>
    new Client({
      authStrategy: new LocalAuth({ clientId: CLIENT_ID, dataPath: options.sessionDir }),
      puppeteer: { executablePath: options.executablePath, headless: true, args: CHROMIUM_ARGS },
      ...(options.pairingNumber ? { pairWithPhoneNumber: { phoneNumber: options.pairingNumber, showNotification: true } } : {}),
    }) as unknown as WhatsAppClientLike;
}

export function makeLocation(lat: number, lon: number, options: { name: string; address?: string }): unknown {
  return new Location(lat, lon, options);
}

/** Deletes the saved session (LocalAuth's folder), so that the next start asks for a new QR scan. */
export async function clearSession(sessionDir: string): Promise<void> {
  await rm(join(sessionDir, `session-${CLIENT_ID}`), { recursive: true, force: true });
}
