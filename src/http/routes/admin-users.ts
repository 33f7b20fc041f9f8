import { Hono } from "hono";
import { AccountError, ROLES, type Role, type UserStore } from "../../accounts/users.js";
import type { Translator } from "../../engine/context.js";
import { requireRole, type StaffEnv } from "../auth.js";
import { escapeHtml, page } from "../html.js";

/** Administrators manage staff accounts: list, add, disable or enable, set a new password. */
export function adminUserRoutes(deps: { users: UserStore; i18n: Translator; language: string; clock: () => Date }): Hono<StaffEnv> {
  const app = new Hono<StaffEnv>();
  const t = (key: string, vars?: Record<string, string>) => escapeHtml(deps.i18n.t(deps.language, `staff:${key}`, vars));
  app.use("*", requireRole("admin"));

  const render = async (csrf: string, message?: { error?: string; ok?: string }, status: 200 | 400 = 200) => {
    const users = await deps.users.list();
    const rows = users
      .map(
        (u) => `<tr><td>${escapeHtml(u.login)}</td><td>${escapeHtml(u.displayName)}</td><td>${t(`roles.${u.role}`)}</td><td>${u.disabled ? t("users.disabled") : t("users.active")}</td>
<td><form method="post" action="/admin/users/${encodeURIComponent(u.login)}/${u.disabled ? "enable" : "disable"}"><input type="hidden" name="_csrf" value="${escapeHtml(csrf)}"><button type="submit">${u.disabled ? t("users.enable") : t("users.disable")}</button></form></td></tr>`,
      )
      .join("\n");
    const body = `<main class="card wide"><h1>${t("users.title")}</h1>
${message?.error ? `<p class="error" role="alert">${escapeHtml(message.error)}</p>` : ""}${message?.ok ? `<p role="status">${escapeHtml(message.ok)}</p>` : ""}
<table><thead><tr><th>${t("users.login")}</th><th>${t("users.name")}</th><th>${t("users.role")}</th><th>${t("users.status")}</th><th></th></tr></thead><tbody>${rows}</tbody></table>
<h2>${t("users.add")}</h2>
<form method="post" action="/admin/users"><input type="hidden" name="_csrf" value="${escapeHtml(csrf)}">
<label for="login">${t("users.login")}</label><input id="login" name="login" required pattern="[a-z0-9][a-z0-9._\\-]{1,39}">
<label for="name">${t("users.name")}</label><input id="name" name="displayName">
<label for="role">${t("users.role")}</label><select id="role" name="role">${ROLES.map((r) => `<option value="${r}">${t(`roles.${r}`)}</option>`).join("")}</select>
<label for="password">${t("users.password")}</label><input id="password" name="password" type="password" autocomplete="new-password" required minlength="12">
<button type="submit">${t("users.create")}</button></form>
<form method="post" action="/logout"><input type="hidden" name="_csrf" value="${escapeHtml(csrf)}"><button type="submit" class="link">${t("logout")}</button></form></main>`;
    return new Response(page({ title: deps.i18n.t(deps.language, "staff:users.title"), body, language: deps.language, dir: deps.i18n.dir(deps.language) }), {
      status,
      headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" },
    });
  };

  app.get("/", (c) => render(c.get("staff")!.csrf));
  app.post("/", async (c) => {
    const form = await c.req.parseBody();
    const role = String(form.role ?? "") as Role;
    try {
      if (!ROLES.includes(role)) throw new AccountError(`role: expected one of ${ROLES.join(", ")}`);
      await deps.users.create({ login: String(form.login ?? "").trim().toLowerCase(), role, displayName: String(form.displayName ?? ""), password: String(form.password ?? "") }, deps.clock());
      return render(c.get("staff")!.csrf, { ok: deps.i18n.t(deps.language, "staff:users.created") });
    } catch (error) {
      if (error instanceof AccountError) return render(c.get("staff")!.csrf, { error: error.message }, 400);
      throw error;
    }
  });
  app.post("/:login/:action{disable|enable}", async (c) => {
    const login = c.req.param("login");
    if (login === c.get("staff")!.user.login) return render(c.get("staff")!.csrf, { error: deps.i18n.t(deps.language, "staff:users.not_yourself") }, 400);
    try {
      await deps.users.setDisabled(login, c.req.param("action") === "disable");
      return render(c.get("staff")!.csrf);
    } catch (error) {
      if (error instanceof AccountError) return render(c.get("staff")!.csrf, { error: error.message }, 400);
      throw error;
    }
  });
  return app;
}
