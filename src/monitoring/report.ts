import { Prisma, type PrismaClient } from "../generated/prisma/client.js";
import { DIMENSIONS, reportJoins, whereClause, type Dimension, type ReportFilters } from "./dimensions.js";

/** One group of a breakdown: its values on each dimension, and how many requests. */
export interface ReportRow {
  keys: Record<string, string | null>;
  count: number;
}

const asCount = (v: unknown) => Number(v as number | bigint);
const asKey = (v: unknown): string | null => (v === null || v === undefined ? null : typeof v === "bigint" || typeof v === "number" || typeof v === "boolean" ? String(Number(v)) : String(v));

/**
 * Requests counted by the given dimensions, in SQL (GROUP BY over indexed columns; nothing is loaded row by row).
 * With `category` among the dimensions, a request with two categories counts once in each category's group. With
 * `service`, referrals are counted (every service offered); with `followup` or `reason` alone, rank-1 referrals (the
 * ones followed up).
 */
export async function breakdown(prisma: PrismaClient, filters: ReportFilters, by: readonly Dimension[]): Promise<ReportRow[]> {
  const join = reportJoins(by);
  if (by.length === 0) {
    const rows = await prisma.$queryRaw<{ n: unknown }[]>`SELECT count(*) AS n FROM request r WHERE ${whereClause(filters)}`;
    return [{ keys: {}, count: asCount(rows[0]?.n ?? 0) }];
  }
  const columns = Prisma.join(by.map((d, i) => Prisma.raw(`${DIMENSIONS[d].sql} AS d${i}`)), ", ");
  const groups = Prisma.join(by.map((_, i) => Prisma.raw(`d${i}`)), ", ");
  const rows = await prisma.$queryRaw<Record<string, unknown>[]>`SELECT ${columns}, count(*) AS n FROM request r ${join} WHERE ${whereClause(filters)} GROUP BY ${groups} ORDER BY ${groups}`;
  return rows.map((row) => ({ keys: Object.fromEntries(by.map((d, i) => [d, asKey(row[`d${i}`])])), count: asCount(row.n) }));
}

export interface Totals {
  requests: number;
  /** Requests that got at least one referral, and referrals made. */
  referredRequests: number;
  referrals: number;
  /** Requests handed to a facilitator. */
  handoffs: number;
  urgent: number;
  byOutcome: Record<string, number>;
}

export async function totals(prisma: PrismaClient, filters: ReportFilters): Promise<Totals> {
  const where = whereClause(filters);
  const [row] = await prisma.$queryRaw<Record<string, unknown>[]>`
    SELECT count(*) AS requests,
      sum(CASE WHEN r.outcome = 'handoff_requested' OR r.handoff_outcome IS NOT NULL THEN 1 ELSE 0 END) AS handoffs,
      sum(CASE WHEN r.urgent THEN 1 ELSE 0 END) AS urgent,
      sum(CASE WHEN EXISTS (SELECT 1 FROM request_referral x WHERE x.request_id = r.id) THEN 1 ELSE 0 END) AS referred
    FROM request r WHERE ${where}`;
  const [ref] = await prisma.$queryRaw<{ n: unknown }[]>`SELECT count(*) AS n FROM request_referral x JOIN request r ON r.id = x.request_id WHERE ${where}`;
  const outcomes = await breakdown(prisma, filters, ["outcome"]);
  return {
    requests: asCount(row?.requests ?? 0),
    referredRequests: asCount(row?.referred ?? 0),
    referrals: asCount(ref?.n ?? 0),
    handoffs: asCount(row?.handoffs ?? 0),
    urgent: asCount(row?.urgent ?? 0),
    byOutcome: Object.fromEntries(outcomes.map((o) => [o.keys.outcome ?? "", o.count])),
  };
}

/**
 * Distinct people per calendar month and channel, for the months the period touches. Never by sex or place: the
 * monthly keys cannot be joined to requests, by design.
 */
export async function peopleByMonth(prisma: PrismaClient, filters: Pick<ReportFilters, "from" | "to" | "channel">): Promise<{ month: string; channel: string; people: number }[]> {
  const parts: Prisma.Sql[] = [Prisma.sql`1 = 1`];
  if (filters.from) parts.push(Prisma.sql`month >= ${filters.from.slice(0, 7)}`);
  if (filters.to) parts.push(Prisma.sql`month <= ${filters.to.slice(0, 7)}`);
  if (filters.channel) parts.push(Prisma.sql`channel = ${filters.channel}`);
  const rows = await prisma.$queryRaw<{ month: string; channel: string; n: unknown }[]>`SELECT month, channel, count(*) AS n FROM person_month WHERE ${Prisma.join(parts, " AND ")} GROUP BY month, channel ORDER BY month, channel`;
  return rows.map((r) => ({ month: r.month, channel: r.channel, people: asCount(r.n) }));
}

/** The anonymised request log itself: codes only, newest first, a page at a time. */
export async function requestLog(prisma: PrismaClient, filters: ReportFilters, page: { offset: number; limit: number }) {
  const rows = await prisma.$queryRaw<Record<string, unknown>[]>`
    SELECT r.id, r.date, r.channel, r.language, r.region, r.commune, r.urgent, r.sex, r.age_band, r.status, r.outcome, r.handoff_outcome
    FROM request r WHERE ${whereClause(filters)} ORDER BY r.date DESC, r.id DESC LIMIT ${page.limit} OFFSET ${page.offset}`;
  const ids = rows.map((r) => String(r.id));
  const categories = ids.length === 0 ? [] : await prisma.requestCategory.findMany({ where: { requestId: { in: ids } }, orderBy: { rank: "asc" } });
  const referrals = ids.length === 0 ? [] : await prisma.requestReferral.groupBy({ by: ["requestId"], where: { requestId: { in: ids } }, _count: { _all: true } });
  return rows.map((r) => ({
    date: String(r.date),
    channel: String(r.channel),
    language: String(r.language),
    region: asKey(r.region),
    commune: asKey(r.commune),
    urgent: Boolean(Number(r.urgent)),
    sex: String(r.sex),
    ageBand: String(r.age_band),
    status: String(r.status),
    outcome: String(r.outcome),
    handoffOutcome: asKey(r.handoff_outcome),
    categories: categories.filter((c) => c.requestId === r.id).map((c) => c.category),
    referrals: referrals.find((x) => x.requestId === r.id)?._count._all ?? 0,
  }));
}
