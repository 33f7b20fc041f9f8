import { Prisma, type PrismaClient } from "../generated/prisma/client.js";
import { DIMENSIONS, FOLLOWUP_OUTCOMES, whereClause, type ReportFilters } from "./dimensions.js";
import { COMPLEMENTARY, protectMatrix, type Cell } from "./suppress.js";

/**
 * Referral follow-ups in figures: of the referrals made, how many were followed up ("asked"), how many of those got
 * an answer about the service, and how many people reached it or were helped there; by service or commune, crossed
 * with sex. Definitions (README, "Follow-up of referrals"):
 *
 * - referrals: `request_referral` rows (every service offered, any rank) of the requests in the filters;
 * - asked: follow-ups whose question went out (state sent, reminding, reminded or closed, and not `undelivered`);
 * - answered: asked, with an answer about the service (helped, reached_not_helped, not_yet, could_not): `stopped`
 *   and `no_answer` say nothing about the service;
 * - reached: helped + reached_not_helped; helped: helped;
 * - answer rate = answered / asked, reached rate = reached / answered, helped rate = helped / answered.
 */

export { FOLLOWUP_OUTCOMES };
export type FollowupOutcome = (typeof FOLLOWUP_OUTCOMES)[number];
/** The reasons row for a `could_not` answer without a reason. */
export const NOT_GIVEN = "not_given";
/** The reasons of `data/followup.yaml` when the content does not say (their order in the reasons table). */
export const DEFAULT_REASONS = ["closed", "too_far", "cost", "documents", "language", "unwelcome", "other"] as const;

/** SQL over `followup f`: the question went out. Constant text, never built from input. */
export const ASKED_SQL = "(f.state IN ('sent', 'reminding', 'reminded', 'closed') AND (f.answer IS NULL OR f.answer <> 'undelivered'))";
/** SQL over `followup f`: asked, and answered about the service. */
export const ANSWERED_SQL = `(${ASKED_SQL} AND f.answer IN ('helped', 'reached_not_helped', 'not_yet', 'could_not'))`;
/** SQL over `followup f`: answered, and the person got to the service. */
export const REACHED_SQL = `(${ASKED_SQL} AND f.answer IN ('helped', 'reached_not_helped'))`;

export const MEASURES = ["referrals", "asked", "answered", "reached", "helped"] as const;
export type Measure = (typeof MEASURES)[number];
export type Counts = Record<Measure, number>;

/** Each rate: numerator over denominator. */
export const RATES = { answerRate: ["answered", "asked"], reachedRate: ["reached", "answered"], helpedRate: ["helped", "answered"] } as const satisfies Record<string, readonly [Measure, Measure]>;
export type RateName = keyof typeof RATES;
const RATE_NAMES = Object.keys(RATES) as RateName[];

/** A rate as a fraction of 1; "—" when there is nothing to divide by, or when showing it would reveal a hidden count. */
export type Rate = number | "—";

/** The figures of one group and sex (or a total), as they may be shown. */
export type Figures = Record<Measure, Cell> & Record<RateName, Rate>;

export type FollowupGrouping = "service" | "commune";

export interface FollowupTable {
  grouping: FollowupGrouping;
  filters: ReportFilters;
  /** The suppression threshold; null when the figures are internal (unsuppressed). */
  k: number | null;
  /** Service ids or commune codes (null: requests without a commune), in code order. */
  groups: (string | null)[];
  /** Sex codes, as `DIMENSIONS.sex.values` (then any other code found). */
  sexes: string[];
  /** groups × sexes */
  cells: Figures[][];
  /** Per group, all sexes together. */
  groupTotals: Figures[];
  /** Per sex, all groups together. */
  sexTotals: Figures[];
  total: Figures;
}

/** Could-not-reach answers by reason and sex. */
export interface ReasonTable {
  filters: ReportFilters;
  k: number | null;
  /** Reason codes, then `not_given`. */
  reasons: string[];
  sexes: string[];
  cells: Cell[][];
  reasonTotals: Cell[];
  sexTotals: Cell[];
  total: Cell;
}

/** The group's SQL per table: constant text. */
const GROUP_SQL: Record<FollowupGrouping, { referral: string; followup: string }> = {
  service: { referral: "rr.service_id", followup: "f.service_id" },
  commune: { referral: "r.commune", followup: "r.commune" },
};

const asCount = (v: unknown) => Number((v ?? 0) as number | bigint);
const asKey = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const compare = (a: string | null, b: string | null) => (a ?? "~").localeCompare(b ?? "~");
const zero = (): Counts => ({ referrals: 0, asked: 0, answered: 0, reached: 0, helped: 0 });
const sexAxis = (seen: string[]) => {
  const fixed = DIMENSIONS.sex.values;
  return [...fixed, ...[...new Set(seen)].filter((s) => !fixed.includes(s)).sort()];
};

/** Raw counts per group and sex, straight from SQL (two GROUP BY queries; nothing is loaded row by row). */
export async function followupCounts(prisma: PrismaClient, filters: ReportFilters, grouping: FollowupGrouping): Promise<{ group: string | null; sex: string; counts: Counts }[]> {
  const group = GROUP_SQL[grouping];
  const where = whereClause(filters);
  const referrals = await prisma.$queryRaw<{ g: unknown; sex: string; n: unknown }[]>`
    SELECT ${Prisma.raw(group.referral)} AS g, r.sex AS sex, count(*) AS n
    FROM request_referral rr JOIN request r ON r.id = rr.request_id WHERE ${where} GROUP BY g, sex`;
  const followups = await prisma.$queryRaw<{ g: unknown; sex: string; asked: unknown; answered: unknown; reached: unknown; helped: unknown }[]>`
    SELECT ${Prisma.raw(group.followup)} AS g, r.sex AS sex,
      sum(CASE WHEN ${Prisma.raw(ASKED_SQL)} THEN 1 ELSE 0 END) AS asked,
      sum(CASE WHEN ${Prisma.raw(ANSWERED_SQL)} THEN 1 ELSE 0 END) AS answered,
      sum(CASE WHEN ${Prisma.raw(REACHED_SQL)} THEN 1 ELSE 0 END) AS reached,
      sum(CASE WHEN ${Prisma.raw(ASKED_SQL)} AND f.answer = 'helped' THEN 1 ELSE 0 END) AS helped
    FROM followup f JOIN request r ON r.id = f.request_id WHERE ${where} GROUP BY g, sex`;
  const byKey = new Map<string, { group: string | null; sex: string; counts: Counts }>();
  const entry = (g: unknown, sex: string) => {
    const key = JSON.stringify([asKey(g), sex]);
    let found = byKey.get(key);
    if (!found) byKey.set(key, (found = { group: asKey(g), sex, counts: zero() }));
    return found.counts;
  };
  for (const row of referrals) entry(row.g, row.sex).referrals += asCount(row.n);
  for (const row of followups) {
    const counts = entry(row.g, row.sex);
    counts.asked += asCount(row.asked);
    counts.answered += asCount(row.answered);
    counts.reached += asCount(row.reached);
    counts.helped += asCount(row.helped);
  }
  return [...byKey.values()];
}

/**
 * Follow-up figures by service or commune and sex, with totals. Suppressed unless `internal` (administrators): counts
 * from 1 to k−1 show as "<k", and "x" hides a count that a total would give away (`protectMatrix`); a rate shows only
 * when its denominator is at least k and neither its numerator nor the rest is from 1 to k−1 (`suppressed`).
 */
export async function followupTable(prisma: PrismaClient, filters: ReportFilters, grouping: FollowupGrouping, options: { k: number; internal?: boolean }): Promise<FollowupTable> {
  const rows = await followupCounts(prisma, filters, grouping);
  const k = options.internal ? null : options.k;
  const groups = [...new Set(rows.map((r) => r.group))].sort(compare);
  const sexes = sexAxis(rows.map((r) => r.sex));
  // The extended matrix: groups × sexes, a totals column (per group) and a totals row (per sex), the grand total.
  const G = groups.length;
  const S = sexes.length;
  const matrix: Counts[][] = Array.from({ length: G + 1 }, () => Array.from({ length: S + 1 }, zero));
  for (const row of rows) {
    const i = groups.indexOf(row.group);
    const j = sexes.indexOf(row.sex);
    for (const m of MEASURES) for (const [a, b] of [[i, j], [i, S], [G, j], [G, S]] as const) matrix[a]![b]![m] += row.counts[m];
  }
  const shown = k === null ? unsuppressed(matrix) : suppressed(matrix, k);
  return {
    grouping,
    filters,
    k,
    groups,
    sexes,
    cells: groups.map((_, i) => sexes.map((__, j) => shown[i]![j]!)),
    groupTotals: groups.map((_, i) => shown[i]![S]!),
    sexTotals: sexes.map((_, j) => shown[G]![j]!),
    total: shown[G]![S]!,
  };
}

const ratio = (num: number, den: number): Rate => (den === 0 ? "—" : Math.round((num / den) * 10_000) / 10_000);

function unsuppressed(matrix: Counts[][]): Figures[][] {
  return matrix.map((line) => line.map((c) => ({ ...c, ...rates((num, den) => ratio(c[num], c[den])) })));
}

/**
 * Each measure's counts suppressed on its own (`protectMatrix`). A rate shows when its denominator is at least k, its
 * numerator and the rest (denominator − numerator) are each 0 or at least k, and its two counts are both shown or
 * both hidden: beside one shown count, a rate would give the other, hidden one away (except 0 %, which reveals no
 * denominator).
 */
function suppressed(matrix: Counts[][], k: number): Figures[][] {
  const cells = Object.fromEntries(MEASURES.map((m) => [m, protectMatrix(matrix.map((line) => line.map((c) => c[m])), k)])) as Record<Measure, Cell[][]>;
  const ok = (n: number) => n === 0 || n >= k;
  return matrix.map((line, i) =>
    line.map((c, j) => {
      const cell = (m: Measure) => cells[m][i]![j]!;
      const shown = (m: Measure) => typeof cell(m) === "number";
      return {
        ...(Object.fromEntries(MEASURES.map((m) => [m, cell(m)])) as Record<Measure, Cell>),
        ...rates((num, den) => (c[den] >= k && ok(c[num]) && ok(c[den] - c[num]) && (c[num] === 0 || shown(num) === shown(den)) ? ratio(c[num], c[den]) : "—")),
      };
    }),
  );
}

function rates(make: (num: Measure, den: Measure) => Rate): Record<RateName, Rate> {
  return Object.fromEntries(RATE_NAMES.map((name) => [name, make(RATES[name][0], RATES[name][1])])) as Record<RateName, Rate>;
}

/**
 * Could-not-reach answers by reason and sex, suppressed like the other tables (`protectMatrix`). Rows are the
 * configured reasons (`data/followup.yaml`), any other code found, then `not_given`.
 */
export async function reasonTable(prisma: PrismaClient, filters: ReportFilters, options: { k: number; internal?: boolean; reasons?: readonly string[] }): Promise<ReasonTable> {
  const rows = await prisma.$queryRaw<{ reason: string | null; sex: string; n: unknown }[]>`
    SELECT f.reason AS reason, r.sex AS sex, count(*) AS n
    FROM followup f JOIN request r ON r.id = f.request_id
    WHERE ${whereClause(filters)} AND ${Prisma.raw(ASKED_SQL)} AND f.answer = 'could_not'
    GROUP BY f.reason, r.sex`;
  const k = options.internal ? null : options.k;
  const configured = [...(options.reasons ?? DEFAULT_REASONS)];
  const seen = rows.map((r) => r.reason ?? NOT_GIVEN).filter((r) => r !== NOT_GIVEN && !configured.includes(r));
  const reasons = [...configured, ...[...new Set(seen)].sort(), NOT_GIVEN];
  const sexes = sexAxis(rows.map((r) => r.sex));
  const counts = reasons.map((reason) => sexes.map((sex) => rows.filter((r) => (r.reason ?? NOT_GIVEN) === reason && r.sex === sex).reduce((a, r) => a + asCount(r.n), 0)));
  // Extended with the totals: a column per reason, a row per sex, the grand total in the corner.
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
  const extended = [...counts.map((line) => [...line, sum(line)]), [...sexes.map((_, j) => sum(counts.map((line) => line[j]!))), sum(counts.flat())]];
  const cells = k === null ? extended : protectMatrix(extended, k);
  const R = reasons.length;
  const S = sexes.length;
  return { filters, k, reasons, sexes, cells: cells.slice(0, R).map((line) => line.slice(0, S)), reasonTotals: cells.slice(0, R).map((line) => line[S]!), sexTotals: cells[R]!.slice(0, S), total: cells[R]![S]! };
}

/** A rate for people: "67 %", or "—". */
export function formatRate(rate: Rate): string {
  return rate === "—" ? "—" : `${Math.round(rate * 100)} %`;
}
