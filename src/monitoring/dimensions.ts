import { Prisma } from "../generated/prisma/client.js";
import { AGE_BANDS, CATEGORIES, CHANNELS, OUTCOMES, SEXES, STATUSES } from "../codes.js";

/** What a report can be broken down by. Each is one SQL expression over `request r` (and `request_category rc`). */
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
} as const satisfies Record<string, { sql: string; values: string[] | null }>;

export type Dimension = keyof typeof DIMENSIONS;
export const DIMENSION_NAMES = Object.keys(DIMENSIONS) as Dimension[];

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
  if (filters.category) parts.push(Prisma.sql`EXISTS (SELECT 1 FROM request_category f WHERE f.request_id = r.id AND f.category = ${filters.category})`);
  return parts.length === 0 ? Prisma.sql`1 = 1` : Prisma.join(parts, " AND ");
}
