import { createHash, timingSafeEqual } from "node:crypto";
import type { Context } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { clientOf } from "./rate-limit.js";

const COOKIE = "dalil_admin";

const digest = (text: string) => createHash("sha256").update(`dalil-admin\u0000${text}`).digest();

/**
 * Until staff accounts exist, the administrator's pages open with DALIL_ADMIN_TOKEN: typed once into a form, then kept
 * as a digest in an HttpOnly, SameSite=Strict cookie (the token itself never sits in the browser), Secure over https.
 */
export function hasAdminToken(c: Context, token: string | undefined): boolean {
  if (!token) return false;
  const cookie = getCookie(c, COOKIE);
  if (!cookie || !/^[0-9a-f]{64}$/.test(cookie)) return false;
  return timingSafeEqual(Buffer.from(cookie, "hex"), digest(token));
}

export function tokenMatches(given: string, token: string | undefined): boolean {
  return token !== undefined && timingSafeEqual(digest(given), digest(token));
}

export function rememberAdmin(c: Context, token: string): void {
  setCookie(c, COOKIE, digest(token).toString("hex"), {
    httpOnly: true,
    sameSite: "Strict",
    // Over https, directly or behind a trusted proxy that says so (X-Forwarded-Proto, see TRUSTED_PROXY).
    secure: clientOf(c).https,
    path: "/admin",
    maxAge: 12 * 3600,
  });
}
