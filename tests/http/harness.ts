/**
 * A Dalil behind a real HTTP server with settings of the test's choosing (TRUSTED_PROXY, limits), a logger of its
 * choosing, and helpers to sign staff in. tests/helpers/server.ts starts the default one.
 */
import type { Logger } from "pino";
import { startDalil, type Dalil } from "../../src/app/dalil.js";
import type { WhatsAppStatus } from "../../src/channels/whatsapp/channel.js";
import { parseConfig } from "../../src/config.js";
import { projectRoot } from "../../src/content/files.js";
import { createHttpApp, startHttpServer } from "../../src/http/server.js";
import { realContent } from "../helpers/content.js";
import { TEST_SECRET, onPostgres, testDatabaseUrl } from "../helpers/postgres.js";
import { TestClock, silentLogger, tempDir } from "../helpers/store.js";

export const PASSWORD = "a long enough password";

export interface Harness {
  url: string;
  dalil: Dalil;
  clock: TestClock;
  app: ReturnType<typeof createHttpApp>;
  /** POST /api/chat with extra headers (x-forwarded-for...). */
  chat(body: unknown, headers?: Record<string, string>): Promise<{ status: number; json: any; headers: Headers }>;
  /** Signs in through the login form; `headers` go with the POST (x-forwarded-for, x-forwarded-proto). */
  signIn(login: string, password?: string, headers?: Record<string, string>): Promise<SignIn>;
  close(): Promise<void>;
}

export interface SignIn {
  status: number;
  location: string | null;
  /** `dalil_session=...`, empty when refused. */
  cookie: string;
  /** The whole Set-Cookie of the session, with its attributes. */
  setCookie: string;
  /** The session's CSRF token (from its home page), empty when refused. */
  csrf: string;
  body: string;
}

export async function startHarness(options: { env?: Record<string, string>; clock?: TestClock; logger?: Logger; adminToken?: string; whatsapp?: { status(): WhatsAppStatus }; jobs?: boolean } = {}): Promise<Harness> {
  const dir = tempDir();
  const clock = options.clock ?? new TestClock();
  const logger = options.logger ?? silentLogger;
  const config = parseConfig({ DATABASE_URL: await testDatabaseUrl(dir.path), DALIL_VAR_DIR: dir.path, ...(onPostgres ? { DALIL_SECRET: TEST_SECRET } : {}), ...options.env });
  const dalil = await startDalil(config, { root: projectRoot(), logger, loaded: realContent(), jobs: options.jobs ?? false, clock: clock.read });
  const app = createHttpApp({ dalil, logger, root: projectRoot(), ...(options.adminToken ? { adminToken: options.adminToken } : {}), ...(options.whatsapp ? { whatsapp: options.whatsapp } : {}) });
  const http = await startHttpServer(app, { host: "127.0.0.1", port: 0 });
  const url = http.url.replace("localhost", "127.0.0.1");
  return {
    url,
    dalil,
    clock,
    app,
    async chat(body, headers = {}) {
      const response = await fetch(`${url}/api/chat`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: typeof body === "string" ? body : JSON.stringify(body) });
      return { status: response.status, json: await response.json(), headers: response.headers };
    },
    async signIn(login, password = PASSWORD, headers = {}) {
      const form = await fetch(`${url}/login`);
      const loginCookie = form.headers.get("set-cookie")!.split(";")[0]!;
      const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1]!;
      const response = await fetch(`${url}/login`, { method: "POST", redirect: "manual", headers: { cookie: loginCookie, "content-type": "application/x-www-form-urlencoded", ...headers }, body: new URLSearchParams({ _csrf: csrf, login, password }) });
      const setCookie = response.headers.getSetCookie().find((c) => c.startsWith("dalil_session=")) ?? "";
      const cookie = setCookie.split(";")[0] ?? "";
      let sessionCsrf = "";
      if (cookie && response.status === 303) {
        const home = await (await fetch(`${url}${response.headers.get("location")}`, { headers: { cookie } })).text();
        sessionCsrf = (/name="csrf-token" content="([^"]+)"/.exec(home) ?? /name="_csrf" value="([^"]+)"/.exec(home))?.[1] ?? "";
      }
      return { status: response.status, location: response.headers.get("location"), cookie, setCookie, csrf: sessionCsrf, body: await response.text() };
    },
    async close() {
      await http.close();
      await dalil.close();
      dir.cleanup();
    },
  };
}
