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

/** Suppresses a matrix of counts (rows × columns) with its row, column and grand totals. */
export function suppressTable(rows: string[], columns: string[], counts: number[][], k: number): SuppressedTable {
  const small = counts.map((line) => line.map((n) => n > 0 && n < k));
  const hidden = small.map((line) => [...line]);
  const primary = hidden.flat().filter(Boolean).length;
  const rowTotals = counts.map((line) => line.reduce((a, b) => a + b, 0));
  const columnTotals = columns.map((_, j) => counts.reduce((a, line) => a + (line[j] ?? 0), 0));
  const total = rowTotals.reduce((a, b) => a + b, 0);
  const rowTotalShown = rowTotals.map((n) => !(n > 0 && n < k));
  const columnTotalShown = columnTotals.map((n) => !(n > 0 && n < k));

  // A line with exactly one hidden cell and a shown total gives the hidden cell away: hide the smallest other
  // non-zero cell of that line as well. Repeat, since each new hidden cell may expose another line.
  let complementary = 0;
  for (let changed = true; changed; ) {
    changed = false;
    for (let i = 0; i < rows.length; i++) {
      if (!rowTotalShown[i]) continue;
      const line = hidden[i]!;
      if (line.filter(Boolean).length === 1) {
        const j = smallestVisible(counts[i]!, line);
        if (j >= 0) line[j] = true;
        // No other cell to hide: hide the total instead.
        else rowTotalShown[i] = false;
        if (j >= 0) complementary++;
        changed = true;
      }
    }
    for (let j = 0; j < columns.length; j++) {
      if (!columnTotalShown[j]) continue;
      const column = hidden.map((line) => line[j]!);
      if (column.filter(Boolean).length === 1) {
        const i = smallestVisible(counts.map((line) => line[j]!), column);
        if (i >= 0) hidden[i]![j] = true;
        else columnTotalShown[j] = false;
        if (i >= 0) complementary++;
        changed = true;
      }
    }
  }
  const show = (n: number, hide: boolean): Cell => (!hide ? n : n < k ? `<${k}` : COMPLEMENTARY);
  return {
    rows,
    columns,
    cells: counts.map((line, i) => line.map((n, j) => (small[i]![j] ? (`<${k}` as Cell) : hidden[i]![j] ? COMPLEMENTARY : n))),
    rowTotals: rowTotals.map((n, i) => show(n, !rowTotalShown[i])),
    columnTotals: columnTotals.map((n, j) => show(n, !columnTotalShown[j])),
    total: show(total, total > 0 && total < k),
    hidden: { primary, complementary },
  };
}

/** Index of the smallest non-zero, not yet hidden value; −1 when there is none. */
function smallestVisible(values: number[], hidden: boolean[]): number {
  let best = -1;
  for (let i = 0; i < values.length; i++) {
    if (hidden[i] || values[i]! <= 0) continue;
    if (best < 0 || values[i]! < values[best]!) best = i;
  }
  return best;
}

/** A single list of counts (one dimension): each below k shown as "<k"; a lone hidden one is protected by the total's complement. */
export function suppressList(labels: string[], counts: number[], k: number): { labels: string[]; cells: Cell[]; total: Cell } {
  const table = suppressTable(labels, ["count"], counts.map((n) => [n]), k);
  return { labels, cells: table.cells.map((line) => line[0]!), total: table.total };
}
