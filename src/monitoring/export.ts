import { stringify } from "csv-stringify/sync";
import type { Dimension } from "./dimensions.js";
import type { ReportTable } from "./tables.js";

/** Readable names for codes (categories, sexes, regions, communes...), in the reader's language. */
export type Labeler = (dimension: Dimension, code: string | null) => string;

const AGE_ATTRIBUTE: Record<string, string> = { "0-4": "age0_4", "5-11": "age5_11", "12-17": "age12_17", "18-59": "age18_59", "60+": "age60plus" };

/** HXL hashtags: a dimension's own column. */
function keyTag(dimension: Dimension): string {
  switch (dimension) {
    case "category":
      return "#sector";
    case "region":
      return "#adm1+code";
    case "province":
      return "#adm2+code";
    case "commune":
      return "#adm3+code";
    case "month":
      return "#date+reported";
    default:
      return `#meta+${dimension.replace("_", "")}`;
  }
}

/** HXL hashtag of a count column: people reached, with the attribute of the column's value (sex, age band, ...). */
function countTag(dimension: Dimension | null, value: string | null): string {
  if (dimension === null) return "#reached+ind";
  if (dimension === "sex") return value === "female" ? "#reached+ind+f" : value === "male" ? "#reached+ind+m" : `#reached+ind+sex_${value ?? "none"}`;
  if (dimension === "age_band") return `#reached+ind+${AGE_ATTRIBUTE[value ?? ""] ?? `age_${value ?? "none"}`}`;
  return `#reached+ind+${dimension.replace("_", "")}_${String(value ?? "none").replace(/[^a-z0-9]/gi, "_")}`;
}

/** Place dimensions get a name column beside their code. */
const NAMED: Partial<Record<Dimension, string>> = { region: "#adm1+name", province: "#adm2+name", commune: "#adm3+name" };

/**
 * The table as CSV: codes (stable across languages and years) with names beside place codes, a column per value of
 * the second dimension and a total; with `hxl`, a second header row of HXL hashtags.
 */
export function toCsv(table: ReportTable, label: Labeler, options: { hxl: boolean }): string {
  const records: string[][] = [];
  if (table.rowDimension === null && table.by.length > 2) {
    records.push([...table.by, "requests"]);
    if (options.hxl) records.push([...table.by.map(keyTag), "#reached+ind"]);
    table.rows.forEach((row, i) => records.push([...String(row).split(" · "), String(table.cells[i]![0])]));
    return stringify(records);
  }
  const rowDim = table.rowDimension;
  const named = rowDim ? NAMED[rowDim] : undefined;
  const header = [rowDim ?? "all", ...(named ? [`${rowDim}_name`] : []), ...table.columns.map((c) => (table.columnDimension ? String(c) : "requests")), ...(table.columnDimension ? ["total"] : [])];
  records.push(header);
  if (options.hxl) {
    records.push([rowDim ? keyTag(rowDim) : "", ...(named ? [named] : []), ...table.columns.map((c) => countTag(table.columnDimension, c)), ...(table.columnDimension ? ["#reached+ind"] : [])]);
  }
  table.rows.forEach((row, i) => {
    records.push([row ?? "", ...(named && rowDim ? [label(rowDim, row)] : []), ...table.cells[i]!.map(String), ...(table.columnDimension ? [String(table.rowTotals[i])] : [])]);
  });
  records.push(["total", ...(named ? [""] : []), ...table.columnTotals.map(String), ...(table.columnDimension ? [String(table.total)] : [])]);
  return stringify(records);
}

/** The table for a terminal: labels, aligned columns, the suppression rule stated. */
export function toText(table: ReportTable, label: Labeler): string {
  const rowDim = table.rowDimension;
  const head = [rowDim ?? (table.by.join(" × ") || "all"), ...table.columns.map((c) => (table.columnDimension ? label(table.columnDimension, c) : "requests")), ...(table.columnDimension ? ["total"] : [])];
  const body = table.rows.map((row, i) => [rowDim ? label(rowDim, row) : String(row), ...table.cells[i]!.map(String), ...(table.columnDimension ? [String(table.rowTotals[i])] : [])]);
  const foot = ["total", ...table.columnTotals.map(String), ...(table.columnDimension ? [String(table.total)] : [])];
  const lines = [head, ...body, foot];
  const widths = head.map((_, j) => Math.max(...lines.map((l) => [...(l[j] ?? "")].length)));
  const render = (l: string[]) => l.map((cell, j) => (j === 0 ? cell.padEnd(widths[j]!) : cell.padStart(widths[j]!))).join("  ");
  const rule = widths.map((w) => "─".repeat(w)).join("  ");
  const notes = [
    table.k === null ? "INTERNAL: unsuppressed figures, not for publication." : `Counts from 1 to ${table.k - 1} are shown as <${table.k}; x marks a cell hidden so that a total cannot reveal one.`,
    ...(table.multiCount ? ["A request with several needs counts once in each need's row; totals count requests."] : []),
  ];
  return [render(head), rule, ...body.map(render), rule, render(foot), "", ...notes].join("\n");
}

export function toJson(table: ReportTable): string {
  return JSON.stringify(table, null, 2);
}
