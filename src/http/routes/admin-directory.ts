import { Hono, type Context } from "hono";
import { CATEGORIES, POPULATIONS } from "../../codes.js";
import type { Content } from "../../engine/context.js";
import { localized } from "../../directory/directory.js";
import { formatExceptionsText, formatHoursText, parseExceptionsText, parseHoursText } from "../../directory/hours-text.js";
import { locationSchema, serviceSchema, type LocationRecord, type LocalizedText, type ServiceRecord } from "../../directory/schema.js";
import type { DirectoryStore } from "../../store/directory-store.js";
import { localDate } from "../../directory/hours.js";
import { requireRole, type StaffEnv } from "../auth.js";
import { escapeHtml as e, page } from "../html.js";

export interface AdminDirectoryDeps {
  directory: DirectoryStore;
  content: Content;
  language: string;
  clock: () => Date;
}

/** Entries nobody verified with the service for this long are listed for checking. */
export const VERIFY_EVERY_DAYS = 183;

const SITE_SLOTS = 3;
const LANGS = ["fr", "ar", "en"] as const;

/**
 * The directory as administrators keep it: list and search, add and edit services and locations (hours typed as
 * "mon-fri 08:30-16:30", exceptions as "2027-02-08..2027-03-09 mon-fri 09:00-15:00 # Ramadan"), deactivate (never
 * delete: the request log points to services), mark verified, and the entries not verified for six months. Every
 * change is audited with the administrator's login.
 */
export function adminDirectoryRoutes(deps: AdminDirectoryDeps): Hono<StaffEnv> {
  const app = new Hono<StaffEnv>();
  const i18n = deps.content.i18n;
  const t = (key: string, vars?: Record<string, string | number>) => e(i18n.t(deps.language, `staff:directory.${key}`, vars));
  app.use("*", requireRole("admin"));
  const html = (c: Context<StaffEnv>, title: string, body: string, status: 200 | 400 | 404 = 200) =>
    c.html(page({ title, body: `<header class="bar"><strong>${t("title")}</strong><nav><a href="/admin/directory">${t("list")}</a> <a href="/admin/users">${e(i18n.t(deps.language, "staff:users.title"))}</a></nav></header><main class="dashboard">${body}</main>`, language: deps.language, dir: i18n.dir(deps.language), stylesheet: "dashboard.css" }), status, { "cache-control": "no-store" });
  const csrfField = (c: Context<StaffEnv>) => `<input type="hidden" name="_csrf" value="${e(c.get("staff")!.csrf)}">`;
  const actor = (c: Context<StaffEnv>) => c.get("staff")!.user.login;
  const stale = (lastVerified: string | null) => lastVerified === null || lastVerified < localDate(new Date(deps.clock().getTime() - VERIFY_EVERY_DAYS * 86_400_000));

  app.get("/", async (c) => {
    const directory = await deps.directory.current();
    const q = (c.req.query("q") ?? "").toLowerCase();
    const only = c.req.query("only");
    const services = directory.services.filter((s) => {
      const text = `${s.id} ${s.organisation.name} ${JSON.stringify(s.name)}`.toLowerCase();
      return (!q || text.includes(q)) && (only !== "stale" || (s.active && stale(s.lastVerified))) && (only !== "inactive" || !s.active);
    });
    const rows = services
      .map((s) => `<tr><td><a href="/admin/directory/service/${encodeURIComponent(s.id)}">${e(s.organisation.name)} — ${e(localized(s.name, deps.language))}</a></td><td>${e(s.categories.join(", "))}</td><td>${s.active ? t("active") : `<strong>${t("inactive")}</strong>`}</td><td>${s.lastVerified ? e(`${s.lastVerified} (${s.verifiedBy ?? "?"})`) : t("never_verified")}${s.active && stale(s.lastVerified) ? " ⚠️" : ""}</td></tr>`)
      .join("");
    return html(
      c,
      i18n.t(deps.language, "staff:directory.title"),
      `<form method="get" class="filters"><fieldset><label>${t("search")} <input name="q" value="${e(q)}"></label>
<label>${t("show")} <select name="only"><option value="">${t("all")}</option><option value="stale"${only === "stale" ? " selected" : ""}>${t("stale", { days: VERIFY_EVERY_DAYS })}</option><option value="inactive"${only === "inactive" ? " selected" : ""}>${t("inactive")}</option></select></label>
<button type="submit">${t("apply")}</button></fieldset></form>
<p><a href="/admin/directory/service/new">${t("add_service")}</a> · <a href="/admin/directory/location/new">${t("add_location")}</a></p>
<section class="report"><table class="log"><thead><tr><th>${t("service")}</th><th>${t("categories")}</th><th>${t("state")}</th><th>${t("last_verified")}</th></tr></thead><tbody>${rows}</tbody></table></section>`,
    );
  });

  const serviceForm = async (c: Context<StaffEnv>, record: Partial<ServiceRecord>, isNew: boolean, errors: string[] = [], status: 200 | 400 = 200) => {
    const file = await deps.directory.exportFile();
    const text = (value: LocalizedText | undefined, lang: string) => (value === undefined ? "" : typeof value === "string" ? (lang === "fr" ? value : "") : (value[lang] ?? ""));
    const sites = [...(record.at ?? []), ...Array.from({ length: Math.max(1, SITE_SLOTS - (record.at?.length ?? 0)) }, () => undefined)].slice(0, Math.max(SITE_SLOTS, record.at?.length ?? 0) + 1);
    const audit = record.id && !isNew ? await deps.directory.auditOf("service", record.id) : [];
    const body = `<h1>${isNew ? t("add_service") : e(record.id ?? "")}</h1>
${errors.length ? `<ul class="error" role="alert">${errors.map((x) => `<li>${e(x)}</li>`).join("")}</ul>` : ""}
<form method="post" action="/admin/directory/service/${isNew ? "new" : encodeURIComponent(record.id ?? "")}" class="card wide">${csrfField(c)}
<label for="id">${t("id")}</label><input id="id" name="id" value="${e(record.id ?? "")}" ${isNew ? "required" : "readonly"} pattern="[a-z0-9][a-z0-9_.\\-]{1,79}">
<label for="organisation">${t("organisation")}</label><select id="organisation" name="organisation">${file.organisations.map((o) => `<option value="${e(o.id)}"${o.id === record.organisation ? " selected" : ""}>${e(o.name)}</option>`).join("")}</select>
${LANGS.map((l) => `<label for="name_${l}">${t("name")} (${l})</label><input id="name_${l}" name="name_${l}" value="${e(text(record.name, l))}" ${l === "fr" ? "required" : ""}>`).join("\n")}
${LANGS.map((l) => `<label for="description_${l}">${t("description")} (${l})</label><textarea id="description_${l}" name="description_${l}" rows="2">${e(text(record.description, l))}</textarea>`).join("\n")}
<fieldset><legend>${t("categories")}</legend>${CATEGORIES.map((code) => `<label class="check"><input type="checkbox" name="categories" value="${code}"${record.categories?.includes(code) ? " checked" : ""}> ${e(i18n.t(deps.language, `common:category.${code}`))}</label>`).join("")}</fieldset>
<fieldset><legend>${t("populations")}</legend>${POPULATIONS.map((code) => `<label class="check"><input type="checkbox" name="populations" value="${code}"${record.populations?.includes(code) ? " checked" : ""}> ${e(code)}</label>`).join("")}</fieldset>
<label for="languages">${t("languages")}</label><input id="languages" name="languages" value="${e((record.languages ?? []).join(", "))}" placeholder="ar, fr, zgh">
<label for="cost">${t("cost")}</label><select id="cost" name="cost">${["free", "paid", "mixed"].map((v) => `<option value="${v}"${record.cost === v ? " selected" : ""}>${v}</option>`).join("")}</select>
<label class="check"><input type="checkbox" name="active" value="1"${record.active !== false ? " checked" : ""}> ${t("active")}</label>
${sites
  .map(
    (site, i) => `<fieldset><legend>${t("site")} ${i + 1}</legend>
<label for="site${i}_location">${t("location")}</label><select id="site${i}_location" name="site${i}_location"><option value="">—</option>${file.locations.map((l) => `<option value="${e(l.id)}"${site?.location === l.id ? " selected" : ""}>${e(localized(l.name, deps.language))} (${e(l.commune)})</option>`).join("")}</select>
<label for="site${i}_phones">${t("phones")}</label><input id="site${i}_phones" name="site${i}_phones" value="${e((site?.phones ?? []).join(", "))}">
<label for="site${i}_hours">${t("hours")}</label><textarea id="site${i}_hours" name="site${i}_hours" rows="3" placeholder="mon-fri 08:30-16:30">${e(site ? formatHoursText(site.hours) : "")}</textarea>
<label for="site${i}_exceptions">${t("exceptions")}</label><textarea id="site${i}_exceptions" name="site${i}_exceptions" rows="2" placeholder="2026-11-18 closed # ...">${e(site ? formatExceptionsText(site.exceptions) : "")}</textarea></fieldset>`,
  )
  .join("\n")}
<button type="submit" id="save">${t("save")}</button></form>
${isNew ? "" : `<form method="post" action="/admin/directory/service/${encodeURIComponent(record.id ?? "")}/verify">${csrfField(c)}<button type="submit" id="verify">${t("mark_verified")}</button> ${record.last_verified ? e(`${record.last_verified} (${record.verified_by ?? "?"})`) : t("never_verified")}</form>
<form method="post" action="/admin/directory/service/${encodeURIComponent(record.id ?? "")}/${record.active === false ? "activate" : "deactivate"}">${csrfField(c)}<button type="submit" id="toggle-active">${record.active === false ? t("activate") : t("deactivate")}</button></form>
<section class="report"><h2>${t("history")}</h2><table class="log"><tbody>${audit.map((a) => `<tr><td>${e(a.at.toISOString().slice(0, 16).replace("T", " "))}</td><td>${e(a.actor)}</td><td>${e(a.action)}</td><td>${e(Object.keys(a.changes).join(", "))}</td></tr>`).join("")}</tbody></table></section>`}`;
    return html(c, record.id ?? "new", body, status);
  };

  app.get("/service/new", (c) => serviceForm(c, { categories: [], populations: [], languages: [], cost: "free", active: true, at: [] }, true));
  app.get("/service/:id", async (c) => {
    const file = await deps.directory.exportFile();
    const record = file.services.find((s) => s.id === c.req.param("id"));
    return record ? serviceForm(c, record, false) : html(c, "404", `<p>${t("not_found")}</p>`, 404);
  });

  app.post("/service/:id", async (c) => {
    const isNew = c.req.param("id") === "new";
    const form = await c.req.parseBody({ all: true });
    const { record, errors } = await serviceFromForm(form, deps, isNew ? null : c.req.param("id"));
    if (errors.length > 0 || !record) return serviceForm(c, record ?? {}, isNew, errors, 400);
    await deps.directory.saveService(record, actor(c), deps.clock());
    return c.redirect(`/admin/directory/service/${encodeURIComponent(record.id)}`, 303);
  });

  app.post("/service/:id/:action{verify|deactivate|activate}", async (c) => {
    const id = c.req.param("id");
    const now = deps.clock();
    const ok = c.req.param("action") === "verify" ? await deps.directory.markVerified(id, actor(c), now, localDate(now)) : await deps.directory.setActive(id, c.req.param("action") === "activate", actor(c), now);
    return ok ? c.redirect(`/admin/directory/service/${encodeURIComponent(id)}`, 303) : html(c, "404", `<p>${t("not_found")}</p>`, 404);
  });

  const locationForm = (c: Context<StaffEnv>, l: Partial<LocationRecord>, isNew: boolean, errors: string[] = [], status: 200 | 400 = 200) => {
    const text = (value: LocalizedText | undefined, lang: string) => (value === undefined ? "" : typeof value === "string" ? (lang === "fr" ? value : "") : (value[lang] ?? ""));
    return html(
      c,
      l.id ?? "new",
      `<h1>${isNew ? t("add_location") : e(l.id ?? "")}</h1>${errors.length ? `<ul class="error" role="alert">${errors.map((x) => `<li>${e(x)}</li>`).join("")}</ul>` : ""}
<form method="post" action="/admin/directory/location/${isNew ? "new" : encodeURIComponent(l.id ?? "")}" class="card wide">${csrfField(c)}
<label for="id">${t("id")}</label><input id="id" name="id" value="${e(l.id ?? "")}" ${isNew ? "required" : "readonly"}>
${LANGS.map((lang) => `<label for="name_${lang}">${t("name")} (${lang})</label><input id="name_${lang}" name="name_${lang}" value="${e(text(l.name, lang))}">`).join("")}
${LANGS.map((lang) => `<label for="address_${lang}">${t("address")} (${lang})</label><input id="address_${lang}" name="address_${lang}" value="${e(text(l.address, lang))}">`).join("")}
<label for="commune">${t("commune")}</label><input id="commune" name="commune" value="${e(l.commune ?? "")}" placeholder="09.273.01.15">
<label for="lat">${t("lat")}</label><input id="lat" name="lat" value="${e(String(l.lat ?? ""))}"><label for="lon">${t("lon")}</label><input id="lon" name="lon" value="${e(String(l.lon ?? ""))}">
<button type="submit">${t("save")}</button></form>`,
      status,
    );
  };
  app.get("/location/new", (c) => locationForm(c, {}, true));
  app.get("/location/:id", async (c) => {
    const l = (await deps.directory.exportFile()).locations.find((x) => x.id === c.req.param("id"));
    return l ? locationForm(c, l, false) : html(c, "404", `<p>${t("not_found")}</p>`, 404);
  });
  app.post("/location/:id", async (c) => {
    const isNew = c.req.param("id") === "new";
    const form = await c.req.parseBody();
    const localizedField = (prefix: string): LocalizedText | undefined => {
      const map = Object.fromEntries(LANGS.map((l) => [l, String(form[`${prefix}_${l}`] ?? "").trim()]).filter(([, v]) => v !== ""));
      return Object.keys(map).length === 0 ? undefined : map;
    };
    const candidate = { id: isNew ? String(form.id ?? "").trim() : c.req.param("id"), name: localizedField("name") ?? "", ...(localizedField("address") ? { address: localizedField("address") } : {}), commune: String(form.commune ?? "").trim(), lat: Number(form.lat), lon: Number(form.lon) };
    const parsed = locationSchema.safeParse(candidate);
    const errors = parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    if (parsed.success && !deps.content.triage.gazetteer.get(parsed.data.commune)) errors.push(`commune: unknown commune code "${parsed.data.commune}"`);
    if (!parsed.success || errors.length > 0) return locationForm(c, candidate as Partial<LocationRecord>, isNew, errors, 400);
    await deps.directory.saveLocation(parsed.data, actor(c), deps.clock());
    return c.redirect(`/admin/directory/location/${encodeURIComponent(parsed.data.id)}`, 303);
  });

  return app;
}

/** A service from the edit form, checked like a directory file (schema, references, language names). */
async function serviceFromForm(form: Record<string, string | File | (string | File)[]>, deps: AdminDirectoryDeps, id: string | null): Promise<{ record: ServiceRecord | null; errors: string[] }> {
  const one = (key: string) => {
    const v = form[key];
    return (Array.isArray(v) ? v[0] : v)?.toString().trim() ?? "";
  };
  const many = (key: string) => {
    const v = form[key];
    return (Array.isArray(v) ? v : v === undefined ? [] : [v]).map(String);
  };
  const localizedField = (prefix: string): LocalizedText | undefined => {
    const map = Object.fromEntries(LANGS.map((l) => [l, one(`${prefix}_${l}`)]).filter(([, v]) => v !== ""));
    return Object.keys(map).length === 0 ? undefined : map;
  };
  const errors: string[] = [];
  const at: ServiceRecord["at"] = [];
  for (let i = 0; form[`site${i}_location`] !== undefined; i++) {
    const location = one(`site${i}_location`);
    if (!location) continue;
    try {
      at.push({ location, phones: one(`site${i}_phones`).split(",").map((p) => p.trim()).filter(Boolean), hours: parseHoursText(one(`site${i}_hours`)), exceptions: parseExceptionsText(one(`site${i}_exceptions`)) });
    } catch (error) {
      errors.push(`site ${i + 1}: ${(error as Error).message}`);
    }
  }
  const existing = id ? (await deps.directory.exportFile()).services.find((s) => s.id === id) : undefined;
  const candidate = {
    id: id ?? one("id"),
    organisation: one("organisation"),
    name: localizedField("name") ?? "",
    ...(localizedField("description") ? { description: localizedField("description") } : {}),
    categories: many("categories"),
    populations: many("populations"),
    languages: one("languages").split(",").map((l) => l.trim().toLowerCase()).filter(Boolean),
    cost: one("cost") || "free",
    last_verified: existing?.last_verified ?? null,
    verified_by: existing?.verified_by ?? null,
    active: one("active") === "1",
    at,
  };
  const parsed = serviceSchema.safeParse(candidate);
  if (!parsed.success) errors.push(...parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`));
  const file = await deps.directory.exportFile();
  if (id === null && file.services.some((s) => s.id === candidate.id)) errors.push(`id: "${candidate.id}" is already used`);
  if (!file.organisations.some((o) => o.id === candidate.organisation)) errors.push(`organisation: unknown "${candidate.organisation}"`);
  for (const site of at) if (!file.locations.some((l) => l.id === site.location)) errors.push(`location: unknown "${site.location}"`);
  for (const code of candidate.languages) if (!deps.content.i18n.has(deps.content.i18n.defaultLanguage, `common:language.names.${code}`)) errors.push(`languages: unknown language code "${code}"`);
  return { record: parsed.success && errors.length === 0 ? parsed.data : (candidate as unknown as ServiceRecord), errors };
}

