import { readFileSync } from "node:fs";
import { child, children, idOf, Issues, recordName, Sources, text, type HsdsDataset, type HsdsObject, type Source } from "./dataset.js";
import type { TableName } from "./spec.js";

/** The nested objects each HSDS object may hold that Dalil reads, with the table each belongs to. */
const NESTED: Partial<Record<TableName, Record<string, TableName>>> = {
  service: { organization: "organization", service_at_locations: "service_at_location", phones: "phone", schedules: "schedule", languages: "language", attributes: "attribute", cost_options: "cost_option" },
  organization: { attributes: "attribute" },
  service_at_location: { location: "location", phones: "phone", schedules: "schedule", attributes: "attribute" },
  location: { attributes: "attribute", addresses: "address", phones: "phone", schedules: "schedule" },
  attribute: { taxonomy_term: "taxonomy_term" },
  taxonomy_term: { taxonomy_detail: "taxonomy" },
};

/**
 * Reads the JSON form: an array of services, a single service, or a page of the HSDS API (`{ "contents": [...] }`).
 * Every nested object is remembered with the record that holds it, so later problems name `location "<id>"` and the
 * field. Organisations and locations nested in several services must be the same each time.
 */
export function readJsonForm(path: string, file: string): HsdsDataset {
  const sources = new Sources();
  const issues = new Issues(sources);
  const dataset: HsdsDataset = { form: "json", services: [], organizations: new Map(), locations: new Map(), sources, issues };
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    issues.push({ file, path: [], message: `Cannot read the file as JSON: ${(error as Error).message}` });
    return dataset;
  }
  const list = Array.isArray(parsed) ? parsed : isObject(parsed) && Array.isArray(parsed.contents) ? parsed.contents : [parsed];
  list.forEach((service: unknown, i) => {
    if (!isObject(service)) {
      issues.push({ file, where: `services[${i}]`, path: [], message: "Expected an HSDS service object" });
      return;
    }
    register(dataset, service, "service", { file, where: `services[${i}]`, path: [] }, []);
    if (dataset.services.some((s) => idOf(s.id) !== undefined && idOf(s.id) === idOf(service.id))) {
      issues.at(service, "id", `Duplicate id: "${String(service.id)}" is already used by another service`);
    }
    dataset.services.push(service);
  });
  return dataset;
}

function isObject(value: unknown): value is HsdsObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Records where an object and everything it nests came from; indexes organisations and locations by id. */
function register(dataset: HsdsDataset, object: HsdsObject, table: TableName, parent: Source, path: readonly PropertyKey[]): void {
  const id = text(object.id);
  const source: Source = id !== undefined ? { file: parent.file, where: recordName(table, id), path: [] } : { ...parent, path: [...parent.path, ...path] };
  dataset.sources.set(object, source);
  if (table === "organization" || table === "location") index(dataset, table === "organization" ? dataset.organizations : dataset.locations, object, table);
  for (const [key, nestedTable] of Object.entries(NESTED[table] ?? {})) {
    const one = child(object, key);
    if (one) register(dataset, one, nestedTable, source, [key]);
    children(object, key).forEach((c, i) => register(dataset, c, nestedTable, source, [key, i]));
  }
}

function index(dataset: HsdsDataset, map: Map<string, HsdsObject>, object: HsdsObject, table: TableName): void {
  const id = idOf(object.id);
  if (id === undefined) return;
  const first = map.get(id);
  if (!first) map.set(id, object);
  else if (canonical(first) !== canonical(object)) {
    dataset.issues.at(object, [], `The ${table} "${String(object.id)}" is nested in several services with different content: give it the same content everywhere`);
  }
}

/** JSON with keys sorted, so two copies of an object compare equal whatever their key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (isObject(v) ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]])) : v));
}
