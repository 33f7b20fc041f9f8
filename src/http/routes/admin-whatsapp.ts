import { Hono, type Context } from "hono";
import QRCode from "qrcode";
import type { WhatsAppStatus } from "../../channels/whatsapp/channel.js";
import { hasAdminToken, rememberAdmin, tokenMatches } from "../admin-token.js";
import { escapeHtml, page } from "../html.js";
import { formCsrf, formCsrfMatches, type StaffEnv } from "../auth.js";
import { addressKey, clientOf } from "../rate-limit.js";
import type { HttpDeps } from "../server.js";

/** Failed token attempts per client address and minute, so that the token cannot be guessed by trying. */
const LOGIN_ATTEMPTS = { limit: 5, windowMs: 60_000 };

/**
 * The page where a staff member links the programme's phone: the QR code to scan (or the pairing code to type),
 * refreshed every few seconds, and the connection's state. Administrators only.
 */
export function adminWhatsAppRoutes(deps: HttpDeps): Hono<StaffEnv> {
  const admin = new Hono<StaffEnv>();
  const i18n = deps.dalil.loaded.content.i18n;
  const language = i18n.defaultLanguage;
  const t = (key: string, vars?: Record<string, string | number>) => escapeHtml(i18n.t(language, `admin:${key}`, vars));
  // Through the context, so that cookies set on it (the form's CSRF token) go out with the page.
  const render = (c: Context<StaffEnv>, body: string, status: 200 | 401 | 403 | 429 = 200, refresh?: number) =>
    c.html(page({ title: i18n.t(language, "admin:whatsapp.title"), body, language, dir: i18n.dir(language), ...(refresh ? { refreshSeconds: refresh } : {}) }), status, { "cache-control": "no-store" });
  const loginForm = (c: Context<StaffEnv>, error?: string) =>
    `<main class="card"><h1>${t("whatsapp.title")}</h1>${error ? `<p class="error" role="alert">${error}</p>` : ""}
<form method="post" action="/admin/token"><input type="hidden" name="_csrf" value="${escapeHtml(formCsrf(c, "admin"))}"><label for="token">${t("token.label")}</label>
<input id="token" name="token" type="password" autocomplete="current-password" required minlength="24">
<button type="submit">${t("token.submit")}</button></form></main>`;

  admin.get("/whatsapp", async (c) => {
    // An administrator's session opens it; so does DALIL_ADMIN_TOKEN (before any account exists). Another role's
    // session is refused like on every administrator page.
    const staff = c.get("staff");
    const allowed = staff?.user.role === "admin" || hasAdminToken(c, deps.adminToken);
    if (!allowed && staff) return c.text("Forbidden: this page needs the role admin.", 403, { "cache-control": "no-store" });
    if (!allowed && !deps.adminToken) return render(c, `<main class="card"><h1>${t("whatsapp.title")}</h1><p>${t("token.not_configured")}</p></main>`, 403);
    if (!allowed) return render(c, loginForm(c), 401);
    const status: WhatsAppStatus | undefined = deps.whatsapp?.status();
    if (!status) return render(c, `<main class="card"><h1>${t("whatsapp.title")}</h1><p>${t("whatsapp.disabled")}</p></main>`);
    let body = `<main class="card"><h1>${t("whatsapp.title")}</h1><p class="state state-${status.state}">${t(`whatsapp.state.${status.state}`)}</p>`;
    if (status.state === "qr" && status.qr) {
      const svg = await QRCode.toString(status.qr, { type: "svg", margin: 2, width: 300, errorCorrectionLevel: "M" });
      body += `<figure class="qr">${svg}</figure><ol class="steps"><li>${t("whatsapp.step1")}</li><li>${t("whatsapp.step2")}</li><li>${t("whatsapp.step3")}</li></ol>`;
    }
    if (status.state === "pairing" && status.pairingCode) body += `<p class="code">${escapeHtml(status.pairingCode)}</p><p>${t("whatsapp.pairing")}</p>`;
    if (status.reason) body += `<p class="muted">${escapeHtml(status.reason)}</p>`;
    body += `<p class="muted">${t("whatsapp.ban_risk")}</p></main>`;
    return render(c, body, 200, status.state === "ready" ? 30 : 5);
  });

  admin.post("/token", async (c) => {
    if (!deps.adminToken) return render(c, `<main class="card"><p>${t("token.not_configured")}</p></main>`, 403);
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    if (!formCsrfMatches(c, "admin", form._csrf)) return render(c, loginForm(c, escapeHtml(i18n.t(language, "staff:login.expired"))), 403);
    // The address a trusted proxy forwarded, else the socket's; failed attempts only (a success is taken back).
    const key = `admin-login:${addressKey(clientOf(c).ip)}`;
    const check = await deps.dalil.rateLimits.hit(key, { ...LOGIN_ATTEMPTS, nowMs: deps.dalil.jobDeps.clock().getTime() });
    if (!check.allowed) {
      if (check.firstRefusal) deps.logger.warn("administrator token: too many failed attempts, refusing for a while");
      return render(c, loginForm(c, t("token.throttled")), 429);
    }
    const given = typeof form.token === "string" ? form.token.slice(0, 500) : "";
    if (!tokenMatches(given, deps.adminToken)) {
      deps.logger.info("administrator token refused");
      return render(c, loginForm(c, t("token.wrong")), 401);
    }
    await deps.dalil.rateLimits.undo(key);
    deps.logger.info("administrator token accepted");
    rememberAdmin(c, deps.adminToken);
    return c.redirect("/admin/whatsapp", 303);
  });

  return admin;
}
