import type { PrismaClient } from "../generated/prisma/client.js";
import { DIMENSIONS, resolveDimensions, type Dimension, type ReportFilters } from "./dimensions.js";
import { breakdown } from "./report.js";
import { COMPLEMENTARY, suppressTable, type Cell } from "./suppress.js";

/**
 * A report as it leaves the database: one or two dimensions as a table with totals (rows × columns), or three and
 * more as a long list of groups. Suppressed unless `internal` (administrators, on the dashboard only). With `service`
 * the unit is the referral, and `outcome` is read as the follow-up outcome (`resolveDimensions`).
 */
export interface ReportTable {
  by: Dimension[];
  filters: ReportFilters;
  /** The suppression threshold; null when the figures are internal (unsuppressed). */
  k: number | null;
  rowDimension: Dimension | null;
  columnDimension: Dimension | null;
  rows: (string | null)[];
  columns: (string | null)[];
  cells: Cell[][];
  rowTotals: Cell[];
  columnTotals: Cell[];
  total: Cell;
  /** Whether a request may appear in several rows (categories): totals count requests, not rows. */
  multiCount: boolean;
}

/** The values a dimension's axis shows: the fixed code list when there is one (stable columns), else what occurs. */
function axis(dimension: Dimension, seen: (string | null)[]): (string | null)[] {
  const fixed = DIMENSIONS[dimension].values;
  const extra = [...new Set(seen)].filter((v) => !(fixed as (string | null)[] | null)?.includes(v));
  return fixed ? [...fixed, ...extra.sort(compare)] : extra.sort(compare);
}
const compare = (a: string | null, b: string | null) => (a ?? "~").localeCompare(b ?? "~");

export async function reportTable(prisma: PrismaClient, filters: ReportFilters, asked: Dimension[], options: { k: number; internal?: boolean }): Promise<ReportTable> {
  const by = resolveDimensions(asked);
  const rowsData = await breakdown(prisma, filters, by);
  const k = options.internal ? null : options.k;
  const multiCount = by.includes("category");
  // Request totals: a request with two categories is one request.
  const requestsBy = multiCount ? await breakdown(prisma, filters, by.filter((d) => d !== "category")) : rowsData;
  if (by.length <= 2) {
    const rowDimension = by[0] ?? null;
    const columnDimension = by[1] ?? null;
    const rows = rowDimension ? axis(rowDimension, rowsData.map((r) => r.keys[rowDimension] ?? null)) : ["all"];
    const columns = columnDimension ? axis(columnDimension, rowsData.map((r) => r.keys[columnDimension] ?? null)) : ["count"];
    const counts = rows.map((rv) =>
      columns.map((cv) => rowsData.filter((r) => (!rowDimension || r.keys[rowDimension] === rv) && (!columnDimension || r.keys[columnDimension] === cv)).reduce((a, r) => a + r.count, 0)),
    );
    const table = suppressTable(rows.map(String), columns.map(String), counts, k ?? 1);
    // With categories, a column's total counts requests (each once), not the sum of its rows.
    let columnTotals: Cell[] = table.columnTotals;
    let total: Cell = table.total;
    if (multiCount) {
      const requestTotal = (cv: string | null) => requestsBy.filter((r) => !columnDimension || r.keys[columnDimension] === cv).reduce((a, r) => a + r.count, 0);
      const hide = (n: number, j: number): Cell => (k !== null && n > 0 && n < k ? `<${k}` : typeof table.columnTotals[j] === "number" ? n : COMPLEMENTARY);
      columnTotals = columns.map((cv, j) => hide(requestTotal(cv), j));
      const grand = requestsBy.reduce((a, r) => a + r.count, 0);
      total = k !== null && grand > 0 && grand < k ? `<${k}` : grand;
    }
    return { by, filters, k, rowDimension, columnDimension, rows, columns, cells: table.cells, rowTotals: table.rowTotals, columnTotals, total, multiCount };
  }
  const hideCell = (n: number): Cell => (k !== null && n > 0 && n < k ? `<${k}` : n);
  const grand = requestsBy.reduce((a, r) => a + r.count, 0);
  return {
    by,
    filters,
    k,
    rowDimension: null,
    columnDimension: null,
    rows: rowsData.map((r) => by.map((d) => r.keys[d] ?? "—").join(" · ")),
    columns: ["count"],
    cells: rowsData.map((r) => [hideCell(r.count)]),
    rowTotals: rowsData.map((r) => hideCell(r.count)),
    columnTotals: [hideCell(grand)],
    total: hideCell(grand),
    multiCount,
  };
}
