import { Hono, type Context } from "hono";
import type { Logger } from "pino";
import type { SessionStore } from "../../accounts/sessions.js";
import type { UserStore } from "../../accounts/users.js";
import type { Translator } from "../../engine/context.js";
import type { RateLimits } from "../../store/rate-limits.js";
import { clearSessionCookie, homeOf, loginCsrf, loginCsrfMatches, requireRole, safeNext, setSessionCookie, type StaffEnv } from "../auth.js";
import { escapeHtml, page } from "../html.js";
import { addressKey, clientOf } from "../rate-limit.js";

export interface StaffAuthDeps {
  users: UserStore;
  sessions: SessionStore;
  rateLimits: RateLimits;
  i18n: Translator;
  language: string;
  clock: () => Date;
  /** Sign-ins and refusals are logged with the role or the reason only: never a login, an address or a password. */
  logger?: Logger;
}

/**
 * Failed sign-in attempts allowed per client address and per login in 15 minutes; past either, every attempt is refused
 * (even with the right password) until the window ends. The same for a login that does not exist, so the answer does
 * not tell which logins do.
 */
export const SIGN_IN_ATTEMPTS = { limit: 10, windowMs: 15 * 60_000 };

/** Sign in and out of the staff pages (inbox, dashboard, administration). */
export function staffAuthRoutes(deps: StaffAuthDeps): Hono<StaffEnv> {
  const app = new Hono<StaffEnv>();
  const t = (key: string) => escapeHtml(deps.i18n.t(deps.language, `staff:${key}`));
  // Through the context, so that cookies set on it (the login form's token) go out with the page.
  const html = (c: Context<StaffEnv>, body: string, status: 200 | 401 | 403 | 429 = 200) =>
    c.html(page({ title: deps.i18n.t(deps.language, "staff:login.title"), body, language: deps.language, dir: deps.i18n.dir(deps.language) }), status, { "cache-control": "no-store" });
  const form = (csrf: string, next: string | null, error?: string) =>
    `<main class="card"><h1>${t("login.title")}</h1>${error ? `<p class="error" role="alert">${error}</p>` : ""}
<form method="post" action="/login">
<input type="hidden" name="_csrf" value="${escapeHtml(csrf)}">${next ? `<input type="hidden" name="next" value="${escapeHtml(next)}">` : ""}
<label for="login">${t("login.login")}</label><input id="login" name="login" autocomplete="username" required autofocus>
<label for="password">${t("login.password")}</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">${t("login.submit")}</button></form></main>`;

  app.get("/login", (c) => html(c, form(loginCsrf(c), safeNext(c.req.query("next")))));

  app.post("/login", async (c) => {
    const body = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    const next = safeNext(body.next);
    const csrf = loginCsrf(c);
    if (!loginCsrfMatches(c, body._csrf)) return html(c, form(csrf, next, t("login.expired")), 403);
    const login = typeof body.login === "string" ? body.login.trim().toLowerCase().slice(0, 64) : "";
    const password = typeof body.password === "string" ? body.password.slice(0, 500) : "";
    // The address a trusted proxy forwarded, else the socket's: a client cannot choose the one it is counted under.
    const clientKey = `login-client:${addressKey(clientOf(c).ip)}`;
    const loginKey = `login-user:${login}`;
    const now = deps.clock();
    // Counted before checking the password, so that attempts sent all at once are counted too; a success is taken back.
    const byClient = await deps.rateLimits.hit(clientKey, { ...SIGN_IN_ATTEMPTS, nowMs: now.getTime() });
    const byLogin = await deps.rateLimits.hit(loginKey, { ...SIGN_IN_ATTEMPTS, nowMs: now.getTime() });
    if (!byClient.allowed || !byLogin.allowed) {
      if (byClient.firstRefusal || byLogin.firstRefusal) deps.logger?.warn({ by: byClient.allowed ? "login" : "client" }, "staff sign-in: too many failed attempts, refusing for a while");
      return html(c, form(csrf, next, t("login.throttled")), 429);
    }
    const user = await deps.users.verify(login, password, now);
    if (!user) {
      deps.logger?.info("staff sign-in refused: wrong login or password");
      return html(c, form(csrf, next, t("login.wrong")), 401);
    }
    await deps.rateLimits.undo(clientKey);
    await deps.rateLimits.undo(loginKey);
    deps.logger?.info({ role: user.role }, "staff signed in");
    const session = await deps.sessions.create(user.id, now);
    setSessionCookie(c, session.token);
    return c.redirect(next ?? homeOf(user.role), 303);
  });

  app.post("/logout", requireRole("admin", "staff", "facilitator"), async (c) => {
    const staff = c.get("staff");
    if (staff) await deps.sessions.delete(staff.token);
    clearSessionCookie(c);
    return c.redirect("/login", 303);
  });

  return app;
}
