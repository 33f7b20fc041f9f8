import type { ContentIssue } from "../../content/errors.js";
import type { TableName } from "./spec.js";

/** An HSDS object as read from JSON or assembled from CSV rows: fields, and nested related objects. */
export type HsdsObject = Record<string, unknown>;

/** Where an object came from: the file, its line in a CSV file, the record it is or is in, the path inside it. */
export interface Source {
  file: string;
  line?: number;
  where: string;
  path: readonly PropertyKey[];
}

/**
 * An HSDS dataset read from either form, nested the same way: services hold their attributes, languages, phones,
 * schedules, cost options and service_at_locations; locations hold attributes, addresses, phones and schedules;
 * organisations hold attributes; attributes hold their taxonomy term. Organisations and locations are also indexed by
 * id (lowercased), so a service can point to one by `organization_id` / `location_id` as the CSV form does.
 */
export interface HsdsDataset {
  form: "json" | "csv";
  services: HsdsObject[];
  organizations: Map<string, HsdsObject>;
  locations: Map<string, HsdsObject>;
  sources: Sources;
  issues: Issues;
  /** From a datapackage written by Dalil (`dalil` in datapackage.json). */
  sample?: boolean;
  note?: string;
}

/** The record name used in messages: `service "ac14…"`. */
export const recordName = (table: TableName | string, id: unknown) => `${table} "${String(id)}"`;

/** Remembers where each object came from, so problems found later still name the file, line, record and field. */
export class Sources {
  private readonly map = new WeakMap<object, Source>();

  set(object: object, source: Source): void {
    if (!this.map.has(object)) this.map.set(object, source);
  }

  get(object: object): Source {
    return this.map.get(object) ?? { file: "?", where: "?", path: [] };
  }
}

/** Problems collected across the whole read, once each: the same nested object may be met several times. */
export class Issues {
  readonly list: ContentIssue[] = [];
  private readonly seen = new Set<string>();

  constructor(private readonly sources: Sources) {}

  /** A problem with a field (or a path) of an object. */
  at(object: object, field: PropertyKey | readonly PropertyKey[] | undefined, message: string): void {
    const source = this.sources.get(object);
    const tail = field === undefined ? [] : Array.isArray(field) ? (field as readonly PropertyKey[]) : [field as PropertyKey];
    this.push({ file: source.file, ...(source.line ? { line: source.line } : {}), where: source.where, path: [...source.path, ...tail], message });
  }

  /** Where an object is, as messages name it: `locations.csv:2 › location "3a19…"`. */
  describe(object: object): string {
    const source = this.sources.get(object);
    return `${source.line ? `${source.file}:${source.line}` : source.file} › ${source.where}`;
  }

  push(issue: ContentIssue): void {
    const key = JSON.stringify([issue.file, issue.line ?? 0, issue.where ?? "", issue.path.map(String), issue.message]);
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.list.push(issue);
  }
}

/** A field as text: strings as they are, numbers written out; absent and empty are undefined. */
export function text(value: unknown): string | undefined {
  if (typeof value === "string") return value === "" ? undefined : value;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return undefined;
}

/** An id as Dalil compares them: lowercased (HSDS ids are UUIDs, which some tools write in capitals). */
export function idOf(value: unknown): string | undefined {
  return text(value)?.toLowerCase();
}

/** Nested related objects (`phones`, `schedules`...): the objects of the array, or none. */
export function children(object: HsdsObject, key: string): HsdsObject[] {
  const value = object[key];
  return Array.isArray(value) ? value.filter((v): v is HsdsObject => typeof v === "object" && v !== null && !Array.isArray(v)) : [];
}

/** A nested related object (`organization`, `location`, `taxonomy_term`). */
export function child(object: HsdsObject, key: string): HsdsObject | undefined {
  const value = object[key];
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as HsdsObject) : undefined;
}

/** Reports the fields the specification requires that an object lacks (absent, null or empty). */
export function checkRequired(issues: Issues, object: HsdsObject, fields: readonly string[]): void {
  for (const field of fields) {
    const value = object[field];
    if (value === undefined || value === null || value === "") issues.at(object, field, `Missing required field "${field}" (HSDS 3.0)`);
  }
}
