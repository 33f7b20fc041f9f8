import { parseArgs } from "node:util";
import type { Content } from "../engine/context.js";
import type { PrismaClient } from "../generated/prisma/client.js";
import { DIMENSION_NAMES, type Dimension, type ReportFilters } from "../monitoring/dimensions.js";
import { followupToText, toCsv, toJson, toText } from "../monitoring/export.js";
import { followupTable } from "../monitoring/followups.js";
import { createLabeler, findRegion } from "../monitoring/labels.js";
import { reportTable } from "../monitoring/tables.js";
import { DirectoryStore } from "../store/directory-store.js";

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export const REPORT_HELP = `Usage: dalil report [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--by category,sex] [--region 09|name]
                    [--province code] [--commune code] [--category code] [--channel web|telegram|whatsapp]
                    [--format table|csv|json] [--hxl]

Requests counted by the dimensions of --by, with small-cell suppression (counts from 1 to k-1 shown as <k):
  ${DIMENSION_NAMES.join(" ")}

Follow-up of referrals:
  service    the service referred to; the unit becomes the referral (a request referred to three services counts
             three times). With service, "outcome" means the follow-up outcome (the same as "followup").
  followup   what became of the referral's follow-up: helped, reached_not_helped, not_yet, could_not, stopped,
             no_answer, undelivered, waiting (planned or asked, no answer yet), not_asked (none, or cancelled)
  reason     why the person could not reach the service (could_not answers)
  Without service, followup and reason count referred requests by their first referral (the one followed up).
  --by service,outcome,sex also prints, per service and sex: referrals, asked, answered, reached, helped, and the
  answer, reached and helped rates (in JSON: the "followup" field).
`;

/**
 * `dalil report --from 2026-01-01 --to 2026-03-31 --by category,sex [--region 09|Souss-Massa] [--province ...]
 * [--commune ...] [--category ...] [--channel ...] [--format table|csv|json] [--hxl]`. Always suppressed. With
 * `service` among --by, `outcome` is the follow-up outcome, and with it the per-service follow-up rates follow.
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
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    options.out.write(REPORT_HELP);
    return 0;
  }
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
  // Service names come from the directory as the database holds it (the data files are only its starting point).
  const directory = table.by.includes("service") ? await new DirectoryStore(prisma).load() : undefined;
  const label = createLabeler(content, options.language, directory);
  const rates = table.by.includes("service") && table.by.includes("followup") && values.format !== "csv" ? await followupTable(prisma, filters, "service", { k: options.k }) : null;
  let text: string;
  if (values.format === "csv") text = toCsv(table, label, { hxl: values.hxl ?? false });
  else if (values.format === "json") text = rates ? JSON.stringify({ ...table, followup: rates }, null, 2) : toJson(table);
  else text = rates ? `${toText(table, label)}\n\n${followupToText(rates, label)}` : toText(table, label);
  options.out.write(text.endsWith("\n") ? text : `${text}\n`);
  return 0;
}
