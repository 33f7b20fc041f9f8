import { randomBytes, timingSafeEqual } from "node:crypto";
import type { Context, MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { SessionStore } from "../accounts/sessions.js";
import { SESSION_HOURS } from "../accounts/sessions.js";
import type { Role, StaffUser } from "../accounts/users.js";
import { clientOf, type ClientInfo } from "./rate-limit.js";

export const SESSION_COOKIE = "dalil_session";

/** What a request of a signed-in staff member carries. */
export interface StaffContext {
  user: StaffUser;
  csrf: string;
  token: string;
}

export type StaffEnv = { Variables: { staff: StaffContext | undefined; client: ClientInfo } };

/** Over https, directly or through a trusted proxy (X-Forwarded-Proto from anyone else is not believed). */
export const isHttps = (c: Context) => clientOf(c).https;

export function setSessionCookie(c: Context, token: string): void {
  setCookie(c, SESSION_COOKIE, token, { httpOnly: true, secure: isHttps(c), sameSite: "Lax", path: "/", maxAge: SESSION_HOURS * 3600 });
}

export function clearSessionCookie(c: Context): void {
  deleteCookie(c, SESSION_COOKIE, { path: "/", httpOnly: true, secure: isHttps(c), sameSite: "Lax" });
}

/** Reads the session cookie, if any, into `c.get("staff")`. */
export function loadStaff(sessions: SessionStore, clock: () => Date): MiddlewareHandler<StaffEnv> {
  return async (c, next) => {
    const token = getCookie(c, SESSION_COOKIE);
    const found = token && token.length < 100 ? await sessions.find(token, clock()) : null;
    c.set("staff", found ? { ...found, token: token! } : undefined);
    await next();
  };
}

const sameText = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * Roles allowed on a route. Without a session: pages redirect to /login, APIs answer 401. With the wrong role: 403.
 * Requests that change something (anything but GET/HEAD) must echo the session's CSRF token, in the `x-csrf-token`
 * header or a `_csrf` form field.
 */
export function requireRole(...roles: Role[]): MiddlewareHandler<StaffEnv> {
  return async (c, next) => {
    const staff = c.get("staff");
    const api = c.req.path.includes("/api/") || c.req.header("accept")?.includes("application/json");
    if (!staff) {
      if (api) return c.json({ error: "sign in first" }, 401);
      return c.redirect(`/login?next=${encodeURIComponent(c.req.path)}`, 303);
    }
    if (!roles.includes(staff.user.role)) {
      return api ? c.json({ error: `forbidden: this needs the role ${roles.join(" or ")}` }, 403) : c.text(`Forbidden: this page needs the role ${roles.join(" or ")}.`, 403);
    }
    if (c.req.method !== "GET" && c.req.method !== "HEAD") {
      let given = c.req.header("x-csrf-token") ?? "";
      if (!given && c.req.header("content-type")?.includes("application/x-www-form-urlencoded")) {
        const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
        given = typeof form._csrf === "string" ? form._csrf : "";
      }
      if (!sameText(given, staff.csrf)) return api ? c.json({ error: "missing or wrong CSRF token" }, 403) : c.text("Forbidden: the form has expired, reload the page.", 403);
    }
    await next();
  };
}

/** Forms that open a session (staff sign-in, the administrator token), each with its cookie, sent back only to its own path. */
const PRE_SESSION_FORMS = {
  login: { cookie: "dalil_login_csrf", path: "/login" },
  admin: { cookie: "dalil_admin_csrf", path: "/admin" },
} as const;
export type PreSessionForm = keyof typeof PRE_SESSION_FORMS;

/**
 * A random token for a form shown before any session (sign-in, the administrator token), kept in a cookie and echoed
 * by the form (double submit).
 */
export function formCsrf(c: Context, form: PreSessionForm): string {
  const { cookie, path } = PRE_SESSION_FORMS[form];
  const existing = getCookie(c, cookie);
  if (existing && /^[A-Za-z0-9_-]{32}$/.test(existing)) return existing;
  const token = randomBytes(24).toString("base64url");
  setCookie(c, cookie, token, { httpOnly: true, secure: isHttps(c), sameSite: "Strict", path, maxAge: 3600 });
  return token;
}

export function formCsrfMatches(c: Context, form: PreSessionForm, given: unknown): boolean {
  const cookie = getCookie(c, PRE_SESSION_FORMS[form].cookie);
  return typeof given === "string" && cookie !== undefined && sameText(given, cookie);
}

export const loginCsrf = (c: Context): string => formCsrf(c, "login");
export const loginCsrfMatches = (c: Context, given: unknown): boolean => formCsrfMatches(c, "login", given);

/** Where a user lands after signing in. */
export function homeOf(role: Role): string {
  return role === "facilitator" ? "/inbox" : role === "staff" ? "/dashboard" : "/admin/users";
}

/** A `next` parameter is followed only to a path on this site. */
export function safeNext(next: unknown): string | null {
  return typeof next === "string" && /^\/(?!\/)[A-Za-z0-9/_\-.?=&%]*$/.test(next) ? next : null;
}
