import { Hono, type Context } from "hono";
import { z } from "zod";
import { CATEGORIES, CHANNELS } from "../../codes.js";
import type { Content } from "../../engine/context.js";
import type { PrismaClient } from "../../generated/prisma/client.js";
import type { Dimension, ReportFilters } from "../../monitoring/dimensions.js";
import { DIMENSION_NAMES } from "../../monitoring/dimensions.js";
import { toCsv, type Labeler } from "../../monitoring/export.js";
import { createLabeler } from "../../monitoring/labels.js";
import { peopleByMonth, requestLog, totals } from "../../monitoring/report.js";
import { reportTable, type ReportTable } from "../../monitoring/tables.js";
import { directoryReview } from "../../monitoring/directory-review.js";
import { followupTable, formatRate, reasonTable, type Figures, type FollowupTable } from "../../monitoring/followups.js";
import type { DirectoryStore } from "../../store/directory-store.js";
import { requireRole, type StaffEnv } from "../auth.js";
import { escapeHtml, escapeHtml as e, page } from "../html.js";

export interface DashboardDeps {
  prisma: PrismaClient;
  directory: DirectoryStore;
  content: Content;
  language: string;
  k: number;
  clock: () => Date;
}

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const filtersSchema = z.object({
  from: date.optional(),
  to: date.optional(),
  region: z.string().regex(/^\d{2}$/).optional(),
  province: z.string().regex(/^\d{2}\.\d{3}$/).optional(),
  commune: z.string().regex(/^\d{2}\.\d{3}\.\d{2}\.\d{1,2}$/).optional(),
  category: z.enum(CATEGORIES).optional(),
  channel: z.enum(CHANNELS).optional(),
});

/** The quarter the day is in: the default period. */
function currentQuarter(now: Date): { from: string; to: string } {
  const year = now.getUTCFullYear();
  const q = Math.floor(now.getUTCMonth() / 3);
  const end = new Date(Date.UTC(year, q * 3 + 3, 0));
  return { from: `${year}-${String(q * 3 + 1).padStart(2, "0")}-01`, to: end.toISOString().slice(0, 10) };
}

/** The tables of the dashboard, in order: their dimensions and their title's key. */
const TABLES: { by: Dimension[]; title: string }[] = [
  { by: ["category", "sex"], title: "by_category_sex" },
  { by: ["commune", "sex"], title: "by_commune_sex" },
  { by: ["age_band", "sex"], title: "by_age_sex" },
  { by: ["status", "sex"], title: "by_status_sex" },
  { by: ["channel"], title: "by_channel" },
  { by: ["language"], title: "by_language" },
  { by: ["month", "sex"], title: "by_month_sex" },
];

/**
 * The staff dashboard: totals, the tables by sex, charts, CSV export (with HXL tags if wanted), and the request log.
 * For `staff` and `admin`; every figure is suppressed, except for an administrator who asks for internal figures.
 */
export function dashboardRoutes(deps: DashboardDeps): Hono<StaffEnv> {
  const app = new Hono<StaffEnv>();
  const i18n = deps.content.i18n;
  const t = (key: string, vars?: Record<string, string | number>) => escapeHtml(i18n.t(deps.language, `staff:dashboard.${key}`, vars));
  const label: Labeler = createLabeler(deps.content, deps.language);
  app.use("*", requireRole("staff", "admin"));

  const readFilters = (c: Context<StaffEnv>): { filters: ReportFilters; internal: boolean } | { error: string } => {
    const query = Object.fromEntries(Object.entries(c.req.query()).filter(([, v]) => v !== ""));
    const parsed = filtersSchema.safeParse(query);
    if (!parsed.success) return { error: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") };
    const quarter = currentQuarter(deps.clock());
    const filters: ReportFilters = { from: quarter.from, to: quarter.to, ...parsed.data };
    return { filters, internal: query.internal === "1" && c.get("staff")?.user.role === "admin" };
  };
  const filterQuery = (filters: ReportFilters, extra: Record<string, string> = {}) => new URLSearchParams({ ...(filters as Record<string, string>), ...extra }).toString();

  const renderTable = (table: ReportTable, title: string, filters: ReportFilters): string => {
    const colLabel = (c: string | null) => (table.columnDimension ? label(table.columnDimension, c) : i18n.t(deps.language, "staff:dashboard.requests"));
    const head = `<tr><th scope="col"></th>${table.columns.map((c) => `<th scope="col">${escapeHtml(colLabel(c))}</th>`).join("")}${table.columnDimension ? `<th scope="col">${t("total")}</th>` : ""}</tr>`;
    const rows = table.rows
      .map((r, i) => `<tr><th scope="row">${escapeHtml(table.rowDimension ? label(table.rowDimension, r) : String(r))}</th>${table.cells[i]!.map((v) => `<td>${escapeHtml(String(v))}</td>`).join("")}${table.columnDimension ? `<td class="total">${escapeHtml(String(table.rowTotals[i]))}</td>` : ""}</tr>`)
      .join("");
    const foot = `<tr class="total"><th scope="row">${t("total")}</th>${table.columnTotals.map((v) => `<td>${escapeHtml(String(v))}</td>`).join("")}${table.columnDimension ? `<td>${escapeHtml(String(table.total))}</td>` : ""}</tr>`;
    const by = table.by.join(",");
    return `<section class="report"><h2>${t(title)}</h2><table><thead>${head}</thead><tbody>${rows}</tbody><tfoot>${foot}</tfoot></table>
<p class="exports"><a href="/dashboard/export.csv?${escapeHtml(filterQuery(filters, { by }))}">${t("export")}</a> · <a href="/dashboard/export.csv?${escapeHtml(filterQuery(filters, { by, hxl: "1" }))}">${t("export_hxl")}</a></p></section>`;
  };

  const filterForm = (filters: ReportFilters, internal: boolean, isAdmin: boolean) => {
    const regions = new Map<string, string>();
    for (const c of deps.content.triage.gazetteer.communes) regions.set(c.regionCode, c.regionFr);
    const option = (value: string, text: string, selected: boolean) => `<option value="${escapeHtml(value)}"${selected ? " selected" : ""}>${escapeHtml(text)}</option>`;
    return `<form class="filters" method="get" action="/dashboard"><fieldset><legend>${t("filters")}</legend>
<label>${t("from")} <input type="date" name="from" value="${escapeHtml(filters.from ?? "")}"></label>
<label>${t("to")} <input type="date" name="to" value="${escapeHtml(filters.to ?? "")}"></label>
<label>${t("region")} <select name="region">${option("", i18n.t(deps.language, "staff:dashboard.all"), !filters.region)}${[...regions].sort().map(([code, name]) => option(code, `${code} ${name}`, filters.region === code)).join("")}</select></label>
<label>${t("province")} <input name="province" pattern="\\d{2}\\.\\d{3}" placeholder="09.273" value="${escapeHtml(filters.province ?? "")}"></label>
<label>${t("commune")} <input name="commune" pattern="\\d{2}\\.\\d{3}\\.\\d{2}\\.\\d{1,2}" placeholder="09.273.01.15" value="${escapeHtml(filters.commune ?? "")}"></label>
<label>${t("category")} <select name="category">${option("", i18n.t(deps.language, "staff:dashboard.all"), !filters.category)}${CATEGORIES.map((c) => option(c, label("category", c), filters.category === c)).join("")}</select></label>
<label>${t("channel")} <select name="channel">${option("", i18n.t(deps.language, "staff:dashboard.all"), !filters.channel)}${CHANNELS.map((c) => option(c, c, filters.channel === c)).join("")}</select></label>
${isAdmin ? `<label class="check"><input type="checkbox" name="internal" value="1"${internal ? " checked" : ""}> ${t("internal")}</label>` : ""}
<button type="submit">${t("apply")}</button></fieldset></form>`;
  };

  /**
   * Follow-up of referrals: per service and per commune, by sex, the referrals, how many were asked, and the answer,
   * reached and helped rates; then why people could not reach the service. Suppressed like the tables above.
   */
  const followupSection = async (filters: ReportFilters, internal: boolean) => {
    const f = (key: string) => e(i18n.t(deps.language, `staff:followup.${key}`));
    const named = createLabeler(deps.content, deps.language, await deps.directory.current());
    const options = { k: deps.k, internal };
    // Sexes with nothing in the period are left out (an empty column hides no one); women and men always show.
    const shownSexes = <T,>(sexes: string[], totals: T[], isEmpty: (v: T) => boolean) => sexes.map((sex, j) => ({ sex, j })).filter(({ sex, j }) => sex === "female" || sex === "male" || !isEmpty(totals[j]!));
    const figureCells = (x: Figures, total = false) => {
      const td = total ? `<td class="total">` : "<td>";
      return [String(x.referrals), String(x.asked), formatRate(x.answerRate), formatRate(x.reachedRate), formatRate(x.helpedRate)].map((v) => `${td}${e(v)}</td>`).join("");
    };
    const groupTable = (table: FollowupTable, title: string) => {
      const sexes = shownSexes(table.sexes, table.sexTotals, (v) => v.referrals === 0 && v.asked === 0);
      const measures = ["referrals", "asked", "answer_rate", "reached_rate", "helped_rate"].map((m) => `<th scope="col">${f(m)}</th>`).join("");
      const head = `<tr><th scope="col" rowspan="2">${f(table.grouping)}</th>${sexes.map(({ sex }) => `<th scope="colgroup" colspan="5">${e(label("sex", sex))}</th>`).join("")}<th scope="colgroup" colspan="5">${t("total")}</th></tr><tr>${measures.repeat(sexes.length + 1)}</tr>`;
      const rows = table.groups
        .map((group, i) => ({ name: named(table.grouping, group), i }))
        .sort((a, b) => a.name.localeCompare(b.name, deps.language))
        .map(({ name, i }) => `<tr><th scope="row">${e(name)}</th>${sexes.map(({ j }) => figureCells(table.cells[i]![j]!)).join("")}${figureCells(table.groupTotals[i]!, true)}</tr>`)
        .join("");
      const foot = `<tr class="total"><th scope="row">${t("total")}</th>${sexes.map(({ j }) => figureCells(table.sexTotals[j]!)).join("")}${figureCells(table.total)}</tr>`;
      return `<h3>${f(title)}</h3><table class="followup"><thead>${head}</thead><tbody>${rows}</tbody><tfoot>${foot}</tfoot></table>`;
    };
    const reasons = await reasonTable(deps.prisma, filters, { ...options, ...(deps.content.followup?.reasons ? { reasons: deps.content.followup.reasons } : {}) });
    const reasonSexes = shownSexes(reasons.sexes, reasons.sexTotals, (v) => v === 0);
    const reasonsHtml = `<h3>${f("reasons")}</h3><table><thead><tr><th scope="col">${f("reason_col")}</th>${reasonSexes.map(({ sex }) => `<th scope="col">${e(label("sex", sex))}</th>`).join("")}<th scope="col">${t("total")}</th></tr></thead><tbody>${reasons.reasons
      .map((reason, i) => `<tr><th scope="row">${e(label("reason", reason))}</th>${reasonSexes.map(({ j }) => `<td>${e(String(reasons.cells[i]![j]))}</td>`).join("")}<td class="total">${e(String(reasons.reasonTotals[i]))}</td></tr>`)
      .join("")}</tbody><tfoot><tr class="total"><th scope="row">${t("total")}</th>${reasonSexes.map(({ j }) => `<td>${e(String(reasons.sexTotals[j]))}</td>`).join("")}<td>${e(String(reasons.total))}</td></tr></tfoot></table>`;
    return `<section class="report" id="followup"><h2>${f("title")}</h2>
${groupTable(await followupTable(deps.prisma, filters, "service", options), "by_service")}
${groupTable(await followupTable(deps.prisma, filters, "commune", options), "by_commune")}
${reasonsHtml}
<p class="muted">${f("definitions")}${internal ? "" : ` ${f("hidden_rate")}`}</p></section>`;
  };

  /** The weekly directory review, for whoever keeps the directory current. */
  const reviewSection = async () => {
    const review = await directoryReview(deps.prisma, await deps.directory.current(), deps.clock(), { language: deps.language });
    const d = (key: string) => e(i18n.t(deps.language, `staff:directory.${key}`));
    const list = (items: string[]) => (items.length === 0 ? `<p class="muted">${d("nothing")}</p>` : `<ul>${items.join("")}</ul>`);
    return `<section class="report" id="review"><h2>${d("review")}</h2><h3>${d("review_stale")} (${review.stale.length})</h3>${list(review.stale.slice(0, 50).map((x) => `<li>${e(x.name)} — ${e(x.lastVerified ?? i18n.t(deps.language, "staff:directory.never_verified"))}</li>`))}
<h3>${d("review_inactive")} (${review.inactiveReferred.length})</h3>${list(review.inactiveReferred.map((x) => `<li>${e(x.name)}: ${x.referrals}</li>`))}
<h3>${d("review_low_reach")} (${review.lowReach.length})</h3>${list(review.lowReach.map((x) => `<li>${e(x.name)}: ${x.reached}/${x.answered} (${e(formatRate(x.rate))})</li>`))}</section>`;
  };

  app.get("/", async (c) => {
    const read = readFilters(c);
    if ("error" in read) return c.text(`Bad filter: ${read.error}`, 400);
    const { filters, internal } = read;
    const staff = c.get("staff")!;
    const k = deps.k;
    const hide = (n: number) => (!internal && n > 0 && n < k ? `<${k}` : String(n));
    const sums = await totals(deps.prisma, filters);
    const people = await peopleByMonth(deps.prisma, filters);
    const percent = (n: number) => (sums.requests === 0 ? "—" : `${Math.round((n / sums.requests) * 100)} %`);
    const cards = [
      [t("requests"), hide(sums.requests)],
      [t("referrals"), hide(sums.referrals)],
      [t("handoffs"), hide(sums.handoffs)],
      [t("urgent"), hide(sums.urgent)],
    ]
      .map(([name, value]) => `<div class="stat"><span class="value">${escapeHtml(value!)}</span><span class="name">${name}</span></div>`)
      .join("");
    const outcomes = Object.entries(sums.byOutcome)
      .map(([code, n]) => `<li>${escapeHtml(label("outcome", code))}: ${escapeHtml(hide(n))} (${internal || n >= k || n === 0 ? percent(n) : "—"})</li>`)
      .join("");
    const months = [...new Set(people.map((p) => p.month))];
    const channels = [...new Set(people.map((p) => p.channel))];
    const peopleTable = `<section class="report"><h2>${t("people_by_month")}</h2><table><thead><tr><th scope="col">${t("month")}</th>${channels.map((ch) => `<th scope="col">${escapeHtml(ch)}</th>`).join("")}</tr></thead><tbody>${months
      .map((m) => `<tr><th scope="row">${escapeHtml(m)}</th>${channels.map((ch) => `<td>${escapeHtml(hide(people.find((p) => p.month === m && p.channel === ch)?.people ?? 0))}</td>`).join("")}</tr>`)
      .join("")}</tbody></table></section>`;
    const tables: string[] = [];
    for (const spec of TABLES) tables.push(renderTable(await reportTable(deps.prisma, filters, spec.by, { k, internal }), spec.title, filters));
    const body = `<header class="bar"><strong>${t("title")}</strong><nav><a href="/dashboard/log?${escapeHtml(filterQuery(filters))}">${t("log")}</a>
<form method="post" action="/logout"><input type="hidden" name="_csrf" value="${escapeHtml(staff.csrf)}"><button type="submit">${escapeHtml(i18n.t(deps.language, "staff:logout"))}</button></form></nav></header>
<main class="dashboard">${internal ? `<p class="internal" role="alert">${t("internal_banner")}</p>` : ""}
${filterForm(filters, internal, staff.user.role === "admin")}
<section class="stats">${cards}</section>
<section class="report"><h2>${t("outcomes")}</h2><ul>${outcomes}</ul></section>
<section class="charts"><figure><canvas id="chart-category" role="img" aria-label="${t("by_category_sex")}"></canvas></figure><figure><canvas id="chart-month" role="img" aria-label="${t("by_month_sex")}"></canvas></figure></section>
${tables.join("\n")}
${peopleTable}
${await followupSection(filters, internal)}
${await reviewSection()}
<p class="muted">${internal ? t("internal_banner") : t("suppression", { k, k1: k - 1 })} ${t("multi")}</p></main>`;
    return c.html(
      page({
        title: i18n.t(deps.language, "staff:dashboard.title"),
        language: deps.language,
        dir: i18n.dir(deps.language),
        stylesheet: "dashboard.css",
        head: `<meta name="chart-data" content="/dashboard/data.json?${escapeHtml(filterQuery(filters, internal ? { internal: "1" } : {}))}">
<script src="/static/vendor/chart.umd.min.js"></script>
<script type="module" src="/static/dashboard.js"></script>`,
        body,
      }),
      200,
      { "cache-control": "no-store" },
    );
  });

  app.get("/data.json", async (c) => {
    const read = readFilters(c);
    if ("error" in read) return c.json({ error: read.error }, 400);
    const byCategory = await reportTable(deps.prisma, read.filters, ["category", "sex"], { k: deps.k, internal: read.internal });
    const byMonth = await reportTable(deps.prisma, read.filters, ["month", "sex"], { k: deps.k, internal: read.internal });
    // Hidden cells are null: a chart must not draw what the table hides.
    const series = (table: ReportTable) =>
      table.columns.map((sex, j) => ({ label: label("sex", sex), data: table.cells.map((line) => (typeof line[j] === "number" ? line[j] : null)) }));
    return c.json({
      category: { labels: byCategory.rows.map((r) => label("category", r)), series: series(byCategory) },
      month: { labels: byMonth.rows, series: series(byMonth) },
    });
  });

  app.get("/export.csv", async (c) => {
    const read = readFilters(c);
    if ("error" in read) return c.text(`Bad filter: ${read.error}`, 400);
    const by = (c.req.query("by") ?? "category,sex").split(",").filter(Boolean);
    if (by.some((d) => !DIMENSION_NAMES.includes(d as Dimension))) return c.text(`Bad dimension: expected some of ${DIMENSION_NAMES.join(", ")}`, 400);
    // Files leave the building: always suppressed, even for administrators.
    const table = await reportTable(deps.prisma, read.filters, by as Dimension[], { k: deps.k });
    const name = `dalil-${by.join("-")}-${read.filters.from ?? "start"}-${read.filters.to ?? "now"}.csv`;
    return c.body(toCsv(table, label, { hxl: c.req.query("hxl") === "1" }), 200, { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="${name}"` });
  });

  app.get("/log", async (c) => {
    const read = readFilters(c);
    if ("error" in read) return c.text(`Bad filter: ${read.error}`, 400);
    const pageNumber = Math.max(1, Math.min(100_000, Number(c.req.query("page") ?? "1") || 1));
    const size = 50;
    const rows = await requestLog(deps.prisma, read.filters, { offset: (pageNumber - 1) * size, limit: size + 1 });
    const more = rows.length > size;
    const cells = rows
      .slice(0, size)
      .map(
        (r) =>
          `<tr><td>${escapeHtml(r.date)}</td><td>${escapeHtml(r.channel)}</td><td>${escapeHtml(label("language", r.language))}</td><td>${escapeHtml(label("region", r.region))}</td><td>${escapeHtml(label("commune", r.commune))}</td><td>${escapeHtml(r.categories.map((x) => label("category", x)).join(", "))}</td><td>${r.urgent ? "🚨" : ""}</td><td>${escapeHtml(label("sex", r.sex))}</td><td>${escapeHtml(label("age_band", r.ageBand))}</td><td>${escapeHtml(label("status", r.status))}</td><td>${escapeHtml(label("outcome", r.outcome))}</td><td>${escapeHtml(r.handoffOutcome ? label("handoff_outcome", r.handoffOutcome) : "")}</td><td>${r.referrals}</td></tr>`,
      )
      .join("");
    const nav = `${pageNumber > 1 ? `<a href="/dashboard/log?${escapeHtml(filterQuery(read.filters, { page: String(pageNumber - 1) }))}">${t("previous")}</a>` : ""} ${more ? `<a href="/dashboard/log?${escapeHtml(filterQuery(read.filters, { page: String(pageNumber + 1) }))}">${t("next")}</a>` : ""}`;
    const head = ["date", "channel", "language", "region", "commune", "categories", "urgent", "sex", "age", "status", "outcome_col", "handoff_outcome", "referral_count"].map((k) => `<th scope="col">${t(k)}</th>`).join("");
    const body = `<header class="bar"><strong>${t("log_title")}</strong><nav><a href="/dashboard?${escapeHtml(filterQuery(read.filters))}">${t("back")}</a></nav></header>
<main class="dashboard"><table class="log"><thead><tr>${head}</tr></thead><tbody>${cells}</tbody></table><p class="pager">${nav}</p></main>`;
    return c.html(page({ title: i18n.t(deps.language, "staff:dashboard.log_title"), language: deps.language, dir: i18n.dir(deps.language), stylesheet: "dashboard.css", body }), 200, { "cache-control": "no-store" });
  });

  return app;
}
