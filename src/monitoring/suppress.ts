/**
 * Small-cell suppression for tables that leave the database: a count from 1 to k−1 is shown as "<k", and where a row
 * or column total would let someone work it out (one hidden cell in a line whose total is shown), a second cell of
 * that line is hidden too, shown as "x" (it is not small: "<k" would mislead). Zeros are shown: a zero reveals no one.
 */

/** The mark of a cell hidden only so that a total cannot reveal a small one. */
export const COMPLEMENTARY = "x";

export type Cell = number | `<${number}` | typeof COMPLEMENTARY;

export interface SuppressedTable {
  rows: string[];
  columns: string[];
  cells: Cell[][];
  rowTotals: Cell[];
  columnTotals: Cell[];
  total: Cell;
  /** How many cells were hidden, primary and complementary. */
  hidden: { primary: number; complementary: number };
}

/**
 * Suppresses a matrix of counts (rows × columns) with its row, column and grand totals: the counts and their totals
 * are protected together (`protectMatrix`), so no total, not even the totals row against the grand total, gives a
 * hidden count away.
 */
export function suppressTable(rows: string[], columns: string[], counts: number[][], k: number): SuppressedTable {
  const rowTotals = counts.map((line) => line.reduce((a, b) => a + b, 0));
  const columnTotals = columns.map((_, j) => counts.reduce((a, line) => a + (line[j] ?? 0), 0));
  const total = rowTotals.reduce((a, b) => a + b, 0);
  const extended = [...counts.map((line, i) => [...line, rowTotals[i]!]), [...columnTotals, total]];
  const shown = protectMatrix(extended, k);
  const cells = shown.slice(0, rows.length).map((line) => line.slice(0, columns.length));
  const inner = cells.flat();
  return {
    rows,
    columns,
    cells,
    rowTotals: shown.slice(0, rows.length).map((line) => line[columns.length]!),
    columnTotals: shown[rows.length]!.slice(0, columns.length),
    total: shown[rows.length]![columns.length]!,
    hidden: { primary: inner.filter((c) => typeof c === "string" && c !== COMPLEMENTARY).length, complementary: inner.filter((c) => c === COMPLEMENTARY).length },
  };
}

/**
 * Small-cell suppression of an extended matrix: its last column holds the row totals, its last row the column totals
 * and, in the corner, the grand total. A count from 1 to k−1 is hidden ("<k"); a line (a row, a column, the totals
 * row or the totals column) whose total is shown and that has exactly one hidden part hides its smallest other
 * non-zero part as well ("x"), or its total when there is none; repeated until nothing changes. The totals row and
 * column are lines too, so a shown grand total never gives away a lone hidden column total.
 */
export function protectMatrix(counts: number[][], k: number): Cell[][] {
  const hidden = counts.map((line) => line.map((n) => n > 0 && n < k));
  const rows = counts.map((line, i) => line.map((_, j) => [i, j] as const));
  const columns = (counts[0] ?? []).map((_, j) => counts.map((__, i) => [i, j] as const));
  for (let changed = true; changed; ) {
    changed = false;
    for (const line of [...rows, ...columns]) {
      const [ti, tj] = line.at(-1)!;
      const parts = line.slice(0, -1);
      if (hidden[ti]![tj] || parts.filter(([i, j]) => hidden[i]![j]).length !== 1) continue;
      let best: readonly [number, number] | null = null;
      for (const [i, j] of parts) if (!hidden[i]![j] && counts[i]![j]! > 0 && (!best || counts[i]![j]! < counts[best[0]]![best[1]]!)) best = [i, j];
      const [bi, bj] = best ?? [ti, tj];
      hidden[bi]![bj] = true;
      changed = true;
    }
  }
  return counts.map((line, i) => line.map((n, j) => (!hidden[i]![j] ? n : n < k ? (`<${k}` as Cell) : COMPLEMENTARY)));
}

/** A single list of counts (one dimension): each below k shown as "<k"; a lone hidden one is protected by the total's complement. */
export function suppressList(labels: string[], counts: number[], k: number): { labels: string[]; cells: Cell[]; total: Cell } {
  const table = suppressTable(labels, ["count"], counts.map((n) => [n]), k);
  return { labels, cells: table.cells.map((line) => line[0]!), total: table.total };
}
