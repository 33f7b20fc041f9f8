import { stringify } from "csv-stringify/sync";
import { reportUnit, type Dimension } from "./dimensions.js";
import { formatRate, type Figures, type FollowupTable } from "./followups.js";
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

/** The HXL hashtag of a count: people reached (requests), or a numeric indicator when referrals are counted. */
const COUNT_TAG = { requests: "#reached+ind", referrals: "#indicator+num+referrals" } as const;

/** HXL hashtag of a count column: people reached, with the attribute of the column's value (sex, age band, ...). */
function countTag(dimension: Dimension | null, value: string | null, base: string = COUNT_TAG.requests): string {
  if (dimension === null) return base;
  if (dimension === "sex") return value === "female" ? `${base}+f` : value === "male" ? `${base}+m` : `${base}+sex_${value ?? "none"}`;
  if (dimension === "age_band") return `${base}+${AGE_ATTRIBUTE[value ?? ""] ?? `age_${value ?? "none"}`}`;
  return `${base}+${dimension.replace("_", "")}_${String(value ?? "none").replace(/[^a-z0-9]/gi, "_")}`;
}

/** Place dimensions get a name column beside their code. */
const NAMED: Partial<Record<Dimension, string>> = { region: "#adm1+name", province: "#adm2+name", commune: "#adm3+name" };

/**
 * The table as CSV: codes (stable across languages and years) with names beside place codes, a column per value of
 * the second dimension and a total; with `hxl`, a second header row of HXL hashtags.
 */
export function toCsv(table: ReportTable, label: Labeler, options: { hxl: boolean }): string {
  const records: string[][] = [];
  const unit = reportUnit(table.by);
  const base = COUNT_TAG[unit];
  if (table.rowDimension === null && table.by.length > 2) {
    records.push([...table.by, unit]);
    if (options.hxl) records.push([...table.by.map(keyTag), base]);
    table.rows.forEach((row, i) => records.push([...String(row).split(" · "), String(table.cells[i]![0])]));
    return stringify(records);
  }
  const rowDim = table.rowDimension;
  const named = rowDim ? NAMED[rowDim] : undefined;
  const header = [rowDim ?? "all", ...(named ? [`${rowDim}_name`] : []), ...table.columns.map((c) => (table.columnDimension ? String(c) : unit)), ...(table.columnDimension ? ["total"] : [])];
  records.push(header);
  if (options.hxl) {
    records.push([rowDim ? keyTag(rowDim) : "", ...(named ? [named] : []), ...table.columns.map((c) => countTag(table.columnDimension, c, base)), ...(table.columnDimension ? [base] : [])]);
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
  const unit = reportUnit(table.by);
  const head = [rowDim ?? (table.by.join(" × ") || "all"), ...table.columns.map((c) => (table.columnDimension ? label(table.columnDimension, c) : unit)), ...(table.columnDimension ? ["total"] : [])];
  const body = table.rows.map((row, i) => [rowDim ? label(rowDim, row) : String(row), ...table.cells[i]!.map(String), ...(table.columnDimension ? [String(table.rowTotals[i])] : [])]);
  const foot = ["total", ...table.columnTotals.map(String), ...(table.columnDimension ? [String(table.total)] : [])];
  const notes = [
    table.k === null ? "INTERNAL: unsuppressed figures, not for publication." : `Counts from 1 to ${table.k - 1} are shown as <${table.k}; x marks a cell hidden so that a total cannot reveal one.`,
    ...(table.multiCount ? [`A request with several needs counts once in each need's row; totals count ${unit}.`] : []),
    ...(unit === "referrals" ? [referralNote(table.by)] : []),
  ];
  return alignColumns(head, body, foot, notes);
}

/** A head, body lines and a foot as aligned columns (the first left-aligned, the others right-aligned), then notes. */
function alignColumns(head: string[], body: string[][], foot: string[], notes: string[]): string {
  const lines = [head, ...body, foot];
  const widths = head.map((_, j) => Math.max(...lines.map((l) => [...(l[j] ?? "")].length)));
  const render = (l: string[]) => l.map((cell, j) => (j === 0 ? cell.padEnd(widths[j]!) : cell.padStart(widths[j]!))).join("  ");
  const rule = widths.map((w) => "─".repeat(w)).join("  ");
  return [render(head), rule, ...body.map(render), rule, render(foot), "", ...notes].join("\n");
}

/**
 * The follow-up table for a terminal, one line per group and sex (lines with nothing to show are left out), then the
 * group's total; the foot is the overall total.
 */
export function followupToText(table: FollowupTable, label: Labeler): string {
  const figures = (f: Figures) => [String(f.referrals), String(f.asked), String(f.answered), String(f.reached), String(f.helped), formatRate(f.answerRate), formatRate(f.reachedRate), formatRate(f.helpedRate)];
  const empty = (f: Figures) => f.referrals === 0 && f.asked === 0;
  const head = [`follow-up by ${table.grouping} × sex`, "referrals", "asked", "answered", "reached", "helped", "answer rate", "reached rate", "helped rate"];
  const body = table.groups.flatMap((group, i) => {
    const name = label(table.grouping, group);
    const bySex = table.sexes.flatMap((sex, j) => (empty(table.cells[i]![j]!) ? [] : [[`${name} · ${label("sex", sex)}`, ...figures(table.cells[i]![j]!)]]));
    return [...bySex, [`${name} · total`, ...figures(table.groupTotals[i]!)]];
  });
  const bySex = table.sexes.flatMap((sex, j) => (empty(table.sexTotals[j]!) ? [] : [[`total · ${label("sex", sex)}`, ...figures(table.sexTotals[j]!)]]));
  const notes = [
    "Asked: the follow-up question went out. Answered: helped, reached but not helped, not yet, or could not (not \"stop\", not expired).",
    "Answer rate = answered / asked; reached rate = (helped + reached, not helped) / answered; helped rate = helped / answered.",
    table.k === null
      ? "INTERNAL: unsuppressed figures, not for publication."
      : `Counts from 1 to ${table.k - 1} are shown as <${table.k}; x marks a count hidden so that a total cannot reveal one; — marks a rate resting on fewer than ${table.k} people or that would reveal a hidden count.`,
  ];
  return alignColumns(head, [...body, ...bySex], ["total", ...figures(table.total)], notes);
}

/** What a referral count means, for the notes under the table. */
function referralNote(by: readonly Dimension[]): string {
  const what = by.includes("service") ? "Each referral counts: a request referred to three services counts three times." : "Each referred request counts once, by its first referral (the one followed up).";
  return by.includes("followup") ? `${what} The outcome is the follow-up's: its answer, waiting (planned or asked, no answer yet), or not asked (no follow-up, or cancelled before the question).` : what;
}

export function toJson(table: ReportTable): string {
  return JSON.stringify(table, null, 2);
}
