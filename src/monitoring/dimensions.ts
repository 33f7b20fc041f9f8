import { Prisma } from "../generated/prisma/client.js";
import { AGE_BANDS, CATEGORIES, CHANNELS, OUTCOMES, SEXES, STATUSES } from "../codes.js";

/**
 * What became of a referral's follow-up, as the `followup` dimension codes it: the answers about the service first
 * (helped, reached_not_helped, not_yet, could_not), then the others, then `waiting` and `not_asked`.
 */
export const FOLLOWUP_OUTCOMES = ["helped", "reached_not_helped", "not_yet", "could_not", "stopped", "no_answer", "undelivered", "waiting", "not_asked"] as const;

/**
 * What a report can be broken down by. Each is one SQL expression over `request r` (and `request_category rc`,
 * `request_referral rr`, `followup f`: see `reportJoins`).
 */
export const DIMENSIONS = {
  category: { sql: "rc.category", values: [...CATEGORIES] as string[] },
  sex: { sql: "r.sex", values: [...SEXES, "not_asked"] as string[] },
  age_band: { sql: "r.age_band", values: [...AGE_BANDS, "not_asked"] as string[] },
  status: { sql: "r.status", values: [...STATUSES, "not_asked"] as string[] },
  channel: { sql: "r.channel", values: [...CHANNELS] as string[] },
  language: { sql: "r.language", values: null },
  region: { sql: "r.region", values: null },
  province: { sql: "substr(r.commune, 1, 6)", values: null },
  commune: { sql: "r.commune", values: null },
  outcome: { sql: "r.outcome", values: [...OUTCOMES] as string[] },
  handoff_outcome: { sql: "r.handoff_outcome", values: null },
  month: { sql: "substr(r.date, 1, 7)", values: null },
  urgent: { sql: "r.urgent", values: null },
  /** The service referred to: the unit becomes the referral (a request referred to three services counts three times). */
  service: { sql: "rr.service_id", values: null },
  /** What became of the referral's follow-up: its answer, `waiting` (no answer yet), `not_asked` (no row, or cancelled). */
  followup: {
    sql: "CASE WHEN f.id IS NULL OR f.state = 'cancelled' THEN 'not_asked' WHEN f.answer IS NULL THEN 'waiting' ELSE f.answer END",
    values: [...FOLLOWUP_OUTCOMES] as string[],
  },
  /** Why the person could not reach the service (`could_not` answers; null otherwise or when not given). */
  reason: { sql: "f.reason", values: null },
} as const satisfies Record<string, { sql: string; values: string[] | null }>;

export type Dimension = keyof typeof DIMENSIONS;
export const DIMENSION_NAMES = Object.keys(DIMENSIONS) as Dimension[];

/**
 * The dimensions a report really uses. With `service`, the unit is the referral and `outcome` means what became of
 * it: the follow-up outcome (`followup`). `--by service,outcome,sex` is `--by service,followup,sex`.
 */
export function resolveDimensions(by: readonly Dimension[]): Dimension[] {
  const resolved = by.includes("service") ? by.map((d) => (d === "outcome" ? "followup" : d)) : [...by];
  return [...new Set(resolved)];
}

/** What a report counts: requests, or referrals when it is broken down by service or follow-up. */
export function reportUnit(by: readonly Dimension[]): "requests" | "referrals" {
  return by.some((d) => d === "service" || d === "followup" || d === "reason") ? "referrals" : "requests";
}

/**
 * The joins the dimensions need. `service` joins every referral of the request; `followup` and `reason` join the
 * referral's follow-up row, through the rank-1 referral (the one followed up) when `service` is not among them.
 */
export function reportJoins(by: readonly Dimension[]): Prisma.Sql {
  const joins: string[] = [];
  if (by.includes("category")) joins.push("JOIN request_category rc ON rc.request_id = r.id");
  const followup = by.includes("followup") || by.includes("reason");
  if (by.includes("service")) joins.push("JOIN request_referral rr ON rr.request_id = r.id");
  else if (followup) joins.push("JOIN request_referral rr ON rr.request_id = r.id AND rr.rank = 1");
  if (followup) joins.push("LEFT JOIN followup f ON f.request_id = rr.request_id AND f.service_id = rr.service_id");
  // Constant text chosen from the dimension names, never from input.
  return joins.length === 0 ? Prisma.empty : Prisma.raw(joins.join(" "));
}

/** Which requests a report covers. Dates are local dates (YYYY-MM-DD), both ends included. */
export interface ReportFilters {
  from?: string;
  to?: string;
  region?: string;
  province?: string;
  commune?: string;
  category?: string;
  channel?: string;
}

/** The WHERE clause for the filters, parameterised (never string-built from input). */
export function whereClause(filters: ReportFilters): Prisma.Sql {
  const parts: Prisma.Sql[] = [];
  if (filters.from) parts.push(Prisma.sql`r.date >= ${filters.from}`);
  if (filters.to) parts.push(Prisma.sql`r.date <= ${filters.to}`);
  if (filters.region) parts.push(Prisma.sql`r.region = ${filters.region}`);
  if (filters.province) parts.push(Prisma.sql`substr(r.commune, 1, 6) = ${filters.province}`);
  if (filters.commune) parts.push(Prisma.sql`r.commune = ${filters.commune}`);
  if (filters.channel) parts.push(Prisma.sql`r.channel = ${filters.channel}`);
  if (filters.category) parts.push(Prisma.sql`EXISTS (SELECT 1 FROM request_category xc WHERE xc.request_id = r.id AND xc.category = ${filters.category})`);
  return parts.length === 0 ? Prisma.sql`1 = 1` : Prisma.join(parts, " AND ");
}
