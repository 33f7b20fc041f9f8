import { stringify } from "csv-stringify/sync";
import { directoryRecords, hsdsRecords, type DirectorySource, type HsdsJson } from "./to-json.js";
import { SPEC, type TableName } from "./spec.js";

/**
 * The CSV form of HSDS 3.0 (a "datapackage"): one CSV file per table, linked by ids, and datapackage.json describing
 * them. The tables are flattened from the JSON form, so both forms always say the same thing; only the tables Dalil
 * fills are written, each with every column the specification defines (empty where Dalil has nothing).
 */

/** The tables Dalil fills, in the order datapackage.json lists them. */
const WRITTEN: readonly TableName[] = ["organization", "service", "location", "service_at_location", "phone", "schedule", "language", "attribute", "taxonomy_term", "taxonomy"];

type Rows = Map<TableName, Map<string, HsdsJson>>;

function add(rows: Rows, table: TableName, object: HsdsJson): void {
  const byId = rows.get(table)!;
  // Organisations, locations and terms are nested wherever they are used: one row each.
  if (!byId.has(String(object.id))) byId.set(String(object.id), object);
}

function addAttributes(rows: Rows, object: HsdsJson): void {
  for (const attribute of (object.attributes as HsdsJson[] | undefined) ?? []) {
    add(rows, "attribute", attribute);
    const term = attribute.taxonomy_term as HsdsJson;
    add(rows, "taxonomy_term", term);
    add(rows, "taxonomy", term.taxonomy_detail as HsdsJson);
  }
}

/** The datapackage: file name → content (the CSV files and datapackage.json). */
export function toHsdsDatapackage(source: DirectorySource): Map<string, string> {
  const records = directoryRecords(source);
  const { services, organizations, locations } = hsdsRecords(records);
  const rows: Rows = new Map(WRITTEN.map((t) => [t, new Map()]));
  for (const o of organizations) {
    add(rows, "organization", o);
    addAttributes(rows, o);
  }
  for (const l of locations) {
    add(rows, "location", l);
    addAttributes(rows, l);
  }
  for (const s of services) {
    add(rows, "service", s);
    addAttributes(rows, s);
    for (const language of s.languages as HsdsJson[]) add(rows, "language", language);
    for (const sal of s.service_at_locations as HsdsJson[]) {
      add(rows, "service_at_location", sal);
      for (const phone of sal.phones as HsdsJson[]) add(rows, "phone", phone);
      for (const schedule of sal.schedules as HsdsJson[]) add(rows, "schedule", schedule);
    }
  }
  const files = new Map<string, string>();
  for (const table of WRITTEN) {
    const fields = SPEC[table].fields.map((f) => f.name);
    const body = [...rows.get(table)!.values()].map((object) => fields.map((f) => cell(object[f])));
    files.set(SPEC[table].path, stringify([fields, ...body], { record_delimiter: "\n" }));
  }
  files.set("datapackage.json", `${JSON.stringify(descriptor(records.sample, records.note), null, 2)}\n`);
  return files;
}

/** Scalars only: nested objects are rows of their own table. */
function cell(value: unknown): string {
  return typeof value === "string" ? value : typeof value === "number" ? String(value) : "";
}

function descriptor(sample: boolean, note: string | undefined) {
  return {
    profile: "tabular-data-package",
    name: "dalil-directory",
    title: "Dalil service directory (Open Referral HSDS 3.0)",
    description: "Services for migrants in Morocco, exported by Dalil. Codes Dalil needs travel as attributes of the dalil:* taxonomies.",
    version: "3.0.0",
    dalil: { sample, ...(note !== undefined ? { note } : {}) },
    resources: WRITTEN.map((table) => ({
      name: table,
      path: SPEC[table].path,
      format: "csv",
      mediatype: "text/csv",
      encoding: "utf-8",
      profile: "tabular-data-resource",
      schema: {
        primaryKey: "id",
        fields: SPEC[table].fields.map((f) => ({
          name: f.name,
          type: f.type,
          ...(f.format ? { format: f.format } : {}),
          constraints: { required: f.required || f.tabularRequired, unique: f.name === "id", ...(f.enum ? { enum: f.enum } : {}) },
        })),
        // Only references to tables in this package: a frictionless validator resolves each one.
        foreignKeys: SPEC[table].fields
          .filter((f) => f.references !== undefined && WRITTEN.includes(f.references))
          .map((f) => ({ fields: f.name, reference: { resource: f.references!, fields: "id" } })),
      },
    })),
  };
}
