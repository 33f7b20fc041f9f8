import { parseArgs } from "node:util";
import type { Content } from "../engine/context.js";
import type { PrismaClient } from "../generated/prisma/client.js";
import { DIMENSION_NAMES, type Dimension, type ReportFilters } from "../monitoring/dimensions.js";
import { toCsv, toJson, toText } from "../monitoring/export.js";
import { createLabeler, findRegion } from "../monitoring/labels.js";
import { reportTable } from "../monitoring/tables.js";

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * `dalil report --from 2026-01-01 --to 2026-03-31 --by category,sex [--region 09|Souss-Massa] [--province ...]
 * [--commune ...] [--category ...] [--channel ...] [--format table|csv|json] [--hxl]`. Always suppressed.
 */
export async function runReportCommand(prisma: PrismaClient, content: Content, args: string[], options: { k: number; language: string; out: NodeJS.WritableStream }): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      from: { type: "string" },
      to: { type: "string" },
      by: { type: "string", default: "category,sex" },
      region: { type: "string" },
      province: { type: "string" },
      commune: { type: "string" },
      category: { type: "string" },
      channel: { type: "string" },
      format: { type: "string", default: "table" },
      hxl: { type: "boolean", default: false },
    },
  });
  const problems: string[] = [];
  for (const key of ["from", "to"] as const) if (values[key] && !DATE.test(values[key]!)) problems.push(`--${key}: expected a date such as 2026-01-31, received "${values[key]}"`);
  const by = (values.by ?? "").split(",").map((d) => d.trim()).filter(Boolean);
  for (const d of by) if (!DIMENSION_NAMES.includes(d as Dimension)) problems.push(`--by: unknown dimension "${d}"; expected some of ${DIMENSION_NAMES.join(", ")}`);
  if (!["table", "csv", "json"].includes(values.format!)) problems.push(`--format: expected table, csv or json, received "${values.format}"`);
  const region = values.region ? findRegion(content, values.region) : undefined;
  if (values.region && !region) problems.push(`--region: no region "${values.region}"; give an HCP code (09) or a name (Souss-Massa)`);
  if (problems.length > 0) {
    process.stderr.write(problems.map((p) => `✖ ${p}`).join("\n") + "\n");
    return 1;
  }
  const filters: ReportFilters = {
    ...(values.from ? { from: values.from } : {}),
    ...(values.to ? { to: values.to } : {}),
    ...(region ? { region } : {}),
    ...(values.province ? { province: values.province } : {}),
    ...(values.commune ? { commune: values.commune } : {}),
    ...(values.category ? { category: values.category } : {}),
    ...(values.channel ? { channel: values.channel } : {}),
  };
  const table = await reportTable(prisma, filters, by as Dimension[], { k: options.k });
  const label = createLabeler(content, options.language);
  const text = values.format === "csv" ? toCsv(table, label, { hxl: values.hxl ?? false }) : values.format === "json" ? toJson(table) : toText(table, label);
  options.out.write(text.endsWith("\n") ? text : `${text}\n`);
  return 0;
}
