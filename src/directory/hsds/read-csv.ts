import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { checkRequired, idOf, Issues, recordName, Sources, type HsdsDataset, type HsdsObject } from "./dataset.js";
import { linkEntityProblem, PARENT_REFERENCES, requiredFields, SPEC, TABLE_NAMES, type TableName } from "./spec.js";

/** The tables whose rows become Dalil records or parts of them: their required fields and references are checked. */
const READ: readonly TableName[] = ["organization", "service", "location", "service_at_location", "phone", "schedule", "language", "attribute", "taxonomy_term", "taxonomy", "address", "cost_option"];

type Table = { rows: HsdsObject[]; byId: Map<string, HsdsObject> };

/**
 * Reads the CSV form: a folder of the specification's CSV files (names from its datapackage.json when there is one),
 * checks what only the tables can get wrong (duplicate ids, required link columns, references between tables), then
 * nests the rows as the JSON form does, so one mapping serves both forms.
 */
export function readCsvForm(folder: string, display: string): HsdsDataset {
  const sources = new Sources();
  const issues = new Issues(sources);
  const dataset: HsdsDataset = { form: "csv", services: [], organizations: new Map(), locations: new Map(), sources, issues };
  const paths = resourcePaths(folder, display, dataset);
  const tables = new Map<TableName, Table>();
  for (const table of TABLE_NAMES) {
    const path = join(folder, paths.get(table) ?? SPEC[table].path);
    if (existsSync(path)) tables.set(table, readTable(table, path, join(display, paths.get(table) ?? SPEC[table].path), dataset));
  }
  if (!tables.has("service")) issues.push({ file: display, path: [], message: `No ${SPEC.service.path}: an HSDS datapackage lists its services there` });
  const ids = (table: TableName) => tables.get(table)?.byId ?? new Map<string, HsdsObject>();

  for (const table of READ) {
    for (const row of tables.get(table)?.rows ?? []) {
      checkRequired(issues, row, requiredFields(table, "csv"));
      for (const field of SPEC[table].fields) if (field.references) checkReference(issues, row, field.name, field.references, ids(field.references));
      for (const ref of PARENT_REFERENCES) if (ref.table === table) checkReference(issues, row, ref.field, ref.references, ids(ref.references));
    }
  }

  for (const term of tables.get("taxonomy_term")?.rows ?? []) {
    const taxonomy = ids("taxonomy").get(idOf(term.taxonomy_id) ?? "");
    if (taxonomy) term.taxonomy_detail = taxonomy;
  }
  for (const attribute of tables.get("attribute")?.rows ?? []) {
    const term = ids("taxonomy_term").get(idOf(attribute.taxonomy_term_id) ?? "");
    if (term) attribute.taxonomy_term = term;
    if (attribute.link_entity === undefined) continue;
    const entity = String(attribute.link_entity);
    const problem = linkEntityProblem(entity);
    if (problem) {
      issues.at(attribute, "link_entity", problem);
      // Without a valid table to look in, the id is still checked against every table read.
      const linkId = idOf(attribute.link_id);
      if (linkId && ![...tables.values()].some((t) => t.byId.has(linkId))) issues.at(attribute, "link_id", `Unknown reference: no record has id "${String(attribute.link_id)}"`);
      continue;
    }
    const target = checkReference(issues, attribute, "link_id", entity as TableName, ids(entity as TableName));
    if (target) nest(target, "attributes", attribute);
  }
  const services = ids("service");
  const sals = ids("service_at_location");
  const locations = ids("location");
  for (const language of tables.get("language")?.rows ?? []) {
    const service = services.get(idOf(language.service_id) ?? "");
    if (service) nest(service, "languages", language);
  }
  for (const option of tables.get("cost_option")?.rows ?? []) {
    const service = services.get(idOf(option.service_id) ?? "");
    if (service) nest(service, "cost_options", option);
  }
  for (const sal of tables.get("service_at_location")?.rows ?? []) {
    const service = services.get(idOf(sal.service_id) ?? "");
    if (service) nest(service, "service_at_locations", sal);
  }
  for (const address of tables.get("address")?.rows ?? []) {
    const location = locations.get(idOf(address.location_id) ?? "");
    if (location) nest(location, "addresses", address);
  }
  // A phone or schedule belongs to the most specific record it names: the site, else the service, else the location.
  for (const table of ["phone", "schedule"] as const) {
    const key = table === "phone" ? "phones" : "schedules";
    for (const row of tables.get(table)?.rows ?? []) {
      const owner = sals.get(idOf(row.service_at_location_id) ?? "") ?? services.get(idOf(row.service_id) ?? "") ?? locations.get(idOf(row.location_id) ?? "");
      if (owner) nest(owner, key, row);
    }
  }
  dataset.services = tables.get("service")?.rows ?? [];
  dataset.organizations = ids("organization");
  dataset.locations = locations;
  return dataset;
}

function nest(parent: HsdsObject, key: string, object: HsdsObject): void {
  const list = (parent[key] ??= []) as HsdsObject[];
  list.push(object);
}

/** The referenced row, or undefined (reported when the field names an id that no row of the table has). */
function checkReference(issues: Issues, row: HsdsObject, field: string, table: TableName, ids: Map<string, HsdsObject>): HsdsObject | undefined {
  const id = idOf(row[field]);
  if (id === undefined) return undefined;
  const target = ids.get(id);
  if (!target) issues.at(row, field, `Unknown reference: no ${table} has id "${String(row[field])}"`);
  return target;
}

/** Resource paths from the package's datapackage.json, and Dalil's own `dalil` property (sample flag, note). */
function resourcePaths(folder: string, display: string, dataset: HsdsDataset): Map<TableName, string> {
  const paths = new Map<TableName, string>();
  const descriptorPath = join(folder, "datapackage.json");
  if (!existsSync(descriptorPath)) return paths;
  try {
    const descriptor = JSON.parse(readFileSync(descriptorPath, "utf8")) as { resources?: { name?: unknown; path?: unknown }[]; dalil?: { sample?: unknown; note?: unknown } };
    for (const r of descriptor.resources ?? []) {
      if (typeof r.name === "string" && typeof r.path === "string" && (TABLE_NAMES as readonly string[]).includes(r.name)) paths.set(r.name as TableName, r.path);
    }
    if (typeof descriptor.dalil?.sample === "boolean") dataset.sample = descriptor.dalil.sample;
    if (typeof descriptor.dalil?.note === "string") dataset.note = descriptor.dalil.note;
  } catch (error) {
    dataset.issues.push({ file: join(display, "datapackage.json"), path: [], message: `Cannot read the file as JSON: ${(error as Error).message}` });
  }
  return paths;
}

/** Rows with empty cells left out and numbers read as numbers, each remembered with its line. */
function readTable(table: TableName, path: string, file: string, dataset: HsdsDataset): Table {
  const out: Table = { rows: [], byId: new Map() };
  let records: { info: { lines: number }; record: Record<string, string> }[];
  try {
    records = parse(readFileSync(path, "utf8"), { columns: true, info: true, bom: true, skip_empty_lines: true, relax_column_count: true });
  } catch (error) {
    dataset.issues.push({ file, path: [], message: `Cannot read the file as CSV: ${(error as Error).message}` });
    return out;
  }
  const numbers = new Set(SPEC[table].fields.filter((f) => f.type === "number").map((f) => f.name));
  let previousEnd = 1;
  for (const { info, record } of records) {
    const line = previousEnd + 1;
    previousEnd = info.lines;
    const row: HsdsObject = {};
    for (const [key, value] of Object.entries(record)) {
      if (value === "" || value === undefined) continue;
      // A number column holding something else stays text: the mapping reports it where Dalil needs a number.
      row[key] = numbers.has(key) && value.trim() !== "" && Number.isFinite(Number(value)) ? Number(value) : value;
    }
    dataset.sources.set(row, { file, line, where: row.id !== undefined ? recordName(table, row.id) : `${table} on line ${line}`, path: [] });
    const id = idOf(row.id);
    const first = id === undefined ? undefined : out.byId.get(id);
    if (first) {
      // Reported, and left out: a second copy would only repeat the first one's problems under the same id.
      dataset.issues.at(row, "id", `Duplicate id: "${String(row.id)}" is already used on line ${dataset.sources.get(first).line ?? "?"}`);
      continue;
    }
    if (id !== undefined) out.byId.set(id, row);
    out.rows.push(row);
  }
  return out;
}
