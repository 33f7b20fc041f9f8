import { readFileSync } from "node:fs";
import { join } from "node:path";
import { serve, type ServerType } from "@hono/node-server";
import { Hono, type Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { secureHeaders } from "hono/secure-headers";
import type { Logger } from "pino";
import type { Dalil } from "../app/dalil.js";
import type { WhatsAppStatus } from "../channels/whatsapp/channel.js";
import { adminWhatsAppRoutes } from "./routes/admin-whatsapp.js";
import { loadStaff, type StaffEnv } from "./auth.js";
import { adminDirectoryRoutes } from "./routes/admin-directory.js";
import { adminUserRoutes } from "./routes/admin-users.js";
import { chatRoutes } from "./routes/chat.js";
import { dashboardRoutes } from "./routes/dashboard.js";
import { inboxRoutes } from "./routes/inbox.js";
import { staffAuthRoutes } from "./routes/staff-auth.js";
import { readStaticFiles } from "./static-files.js";
import { apiRateLimit, clientInfo, trustedProxies } from "./rate-limit.js";

/** Largest request body accepted anywhere: a 20,000-character message in Arabic fits; more gets a 400. */
export const MAX_BODY_BYTES = 64 * 1024;

export interface HttpDeps {
  dalil: Dalil;
  logger: Logger;
  root: string;
  /** Opens the administrator's pages until staff accounts exist. */
  adminToken?: string;
  /** The WhatsApp channel's state, for its QR page; absent when WhatsApp is off. */
  whatsapp?: { status(): WhatsAppStatus };
  /** Aborted when the process stops: long-lived answers (event streams) end at once instead of holding it up. */
  shutdown?: AbortSignal;
}

/**
 * The HTTP app: the web chat page and its files, the JSON API, health. Security headers on every answer (a CSP that
 * allows only the project's own scripts and styles, no inline code); client mistakes are 400s with a JSON error,
 * and anything unexpected a generic 500 that reveals nothing. The client's address and https come from the socket,
 * or from X-Forwarded-For/-Proto when the peer is a TRUSTED_PROXY; the JSON API is limited per address and for
 * everyone together (the per-person limit is the conversation service's).
 */
export function createHttpApp(deps: HttpDeps): Hono<StaffEnv> {
  const app = new Hono<StaffEnv>();
  const files = readStaticFiles(join(deps.root, "src", "web", "static"));
  // The charting library, served from its npm package: no CDN.
  files.set("vendor/chart.umd.min.js", { body: readFileSync(join(deps.root, "node_modules", "chart.js", "dist", "chart.umd.min.js")), type: "text/javascript; charset=utf-8" });

  app.use(
    "*",
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", "data:"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
      },
      referrerPolicy: "no-referrer",
      xFrameOptions: "DENY",
      permissionsPolicy: { geolocation: ["self"], camera: [], microphone: [] },
    }),
  );
  app.use(
    "*",
    bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => c.json({ error: `request body too large: at most ${MAX_BODY_BYTES} bytes` }, 400) }),
  );

  app.get("/healthz", async (c) => {
    let database = false;
    try {
      await deps.dalil.db.prisma.$queryRawUnsafe("SELECT 1");
      database = true;
    } catch (error) {
      deps.logger.error({ err: error }, "health check: database unreachable");
    }
    const content = deps.dalil.loaded.content;
    const body = { status: database ? "ok" : "unavailable", database, content: { version: content.version, flows: content.flows.size, languages: content.i18n.languages } };
    return c.json(body, database ? 200 : 503);
  });

  const { dalil } = deps;
  const language = dalil.config.FACILITATOR_LANGUAGE;
  const clock = dalil.jobDeps.clock;
  app.use("*", clientInfo({ trusted: trustedProxies(dalil.config.TRUSTED_PROXY), logger: deps.logger }));
  app.use(
    "/api/*",
    apiRateLimit({
      rateLimits: dalil.rateLimits,
      conversations: dalil.conversations,
      i18n: dalil.loaded.content.i18n,
      clock,
      perAddressPerMinute: dalil.config.DALIL_RATE_LIMIT_IP_PER_MINUTE,
      globalPerMinute: dalil.config.DALIL_RATE_LIMIT_GLOBAL_PER_MINUTE,
    }),
  );
  app.route("/api", chatRoutes(deps));
  // Staff pages: the session cookie is read once, each route says which roles it admits.
  app.use("/login", loadStaff(dalil.sessions, clock));
  app.use("/logout", loadStaff(dalil.sessions, clock));
  app.use("/inbox/*", loadStaff(dalil.sessions, clock));
  app.use("/inbox", loadStaff(dalil.sessions, clock));
  app.use("/admin/*", loadStaff(dalil.sessions, clock));
  app.use("/dashboard", loadStaff(dalil.sessions, clock));
  app.use("/dashboard/*", loadStaff(dalil.sessions, clock));
  app.route("/", staffAuthRoutes({ users: dalil.users, sessions: dalil.sessions, rateLimits: dalil.rateLimits, i18n: dalil.loaded.content.i18n, language, clock, logger: deps.logger }));
  app.route("/inbox", inboxRoutes({ handoff: dalil.handoff, tickets: dalil.tickets, users: dalil.users, content: dalil.loaded.content, directory: dalil.directory, language }));
  app.route("/dashboard", dashboardRoutes({ prisma: dalil.db.prisma, directory: dalil.directory, content: dalil.loaded.content, language, k: dalil.config.REPORT_MIN_CELL, clock }));
  app.route("/admin/directory", adminDirectoryRoutes({ directory: dalil.directory, content: dalil.loaded.content, language, clock }));
  app.route("/admin/users", adminUserRoutes({ users: dalil.users, i18n: dalil.loaded.content.i18n, language, clock }));
  app.route("/admin", adminWhatsAppRoutes(deps));

  const serveFile = (c: Context<StaffEnv>, name: string) => {
    const file = files.get(name);
    if (!file) return c.json({ error: "not found" }, 404);
    return c.body(new Uint8Array(file.body), 200, { "content-type": file.type, "cache-control": name.endsWith(".html") ? "no-cache" : "public, max-age=3600" });
  };
  app.get("/", (c) => serveFile(c, "index.html"));
  app.get("/static/:name", (c) => serveFile(c, c.req.param("name")));
  app.get("/static/vendor/:name", (c) => serveFile(c, `vendor/${c.req.param("name")}`));

  app.notFound((c) => c.json({ error: "not found" }, 404));
  app.onError((error, c) => {
    // The route's pattern, not the path: paths carry session ids and logins.
    deps.logger.error({ err: error, method: c.req.method, route: c.req.routePath }, "unexpected error answering a request");
    return c.json({ error: "internal error" }, 500);
  });
  return app;
}

const CLOSE_GRACE_MS = 10_000;

/** Listens on host:port; resolves once listening, with the URL people open and a way to stop. */
export function startHttpServer(app: Hono<StaffEnv>, options: { host: string; port: number }): Promise<{ server: ServerType; url: string; close: () => Promise<void> }> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, hostname: options.host, port: options.port }, (info) => {
      const host = options.host === "127.0.0.1" || options.host === "0.0.0.0" || options.host === "::" ? "localhost" : options.host;
      resolve({
        server,
        url: `http://${host}:${info.port}`,
        close: () =>
          new Promise<void>((done) => {
            // Stop accepting, let requests in flight finish, drop idle keep-alive sockets; whatever still hangs on
            // after the grace period is cut.
            const cut = setTimeout(() => (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.(), CLOSE_GRACE_MS);
            cut.unref();
            server.close(() => {
              clearTimeout(cut);
              done();
            });
            (server as unknown as { closeIdleConnections?: () => void }).closeIdleConnections?.();
          }),
      });
    });
    server.once("error", reject);
  });
}
