/**
 * The tables of Open Referral HSDS 3.0 as its datapackage.json and schema/simple/schema.csv define them (tag v3.0),
 * written compactly so that the export can describe its CSV files and the import can check required fields and
 * references without reading the specification at run time. tests/directory/hsds.test.ts compares this transcription
 * with the copies of both files in tests/directory/fixtures/hsds/, so a typo here fails a test.
 *
 * Fields are separated by commas; each is `name[:type][@format][!][+][=a|b][>table]`: `!` required in every form (schema.csv
 * constraints_required), `+` required in the CSV form only (constraints_tablular_required: the links that nesting makes
 * implicit in JSON), `=` an enumeration, `>` a foreign key the datapackage declares.
 */

export type FieldType = "string" | "number" | "date" | "time" | "datetime";

export interface FieldSpec {
  name: string;
  type: FieldType;
  format?: "uuid" | "email" | "uri";
  /** Required in the JSON form and in the CSV form. */
  required: boolean;
  /** Required in the CSV form only. */
  tabularRequired: boolean;
  enum?: readonly string[];
  references?: TableName;
}

const TABLES = {
  organization: ["organizations.csv", "id@uuid!, name!, alternate_name, description!, email@email, website@uri, tax_status, tax_id, year_incorporated:number, legal_status, logo, uri@uri, parent_organization_id@uuid"],
  program: ["programs.csv", "id@uuid!, organization_id@uuid+>organization, name!, alternate_name, description!"],
  service: ["services.csv", "id@uuid!, organization_id@uuid+>organization, program_id@uuid>program, name!, alternate_name, description, url@uri, email@email, status!=active|inactive|defunct|temporarily closed, interpretation_services, application_process, fees_description, wait_time, fees, accreditations, eligibility_description, minimum_age:number, maximum_age:number, assured_date:date, assurer_email@email, licenses, alert, last_modified:datetime"],
  attribute: ["attributes.csv", "id@uuid!, link_id@uuid+, taxonomy_term_id@uuid+>taxonomy_term, link_type!, link_entity+, value"],
  service_at_location: ["service_at_location.csv", "id@uuid!, service_id@uuid+>service, location_id@uuid+>location, description"],
  location: ["locations.csv", "id@uuid!, location_type!=physical|postal|virtual, url@uri, organization_id@uuid>organization, name, alternate_name, description, transportation, latitude:number, longitude:number, external_identifier, external_identifier_type"],
  phone: ["phones.csv", "id@uuid!, location_id@uuid>location, service_id@uuid>service, organization_id@uuid>organization, contact_id@uuid>contact, service_at_location_id@uuid>service_at_location, number!, extension:number, type, description"],
  contact: ["contacts.csv", "id@uuid!, organization_id@uuid>organization, service_id@uuid>service, service_at_location_id@uuid>service_at_location, location_id@uuid>location, name, title, department, email@email"],
  address: ["addresses.csv", "id@uuid!, location_id@uuid>location, attention, address_1!, address_2, city!, region, state_province!, postal_code!, country!, address_type!=physical|postal|virtual"],
  schedule: ["schedules.csv", "id@uuid!, service_id@uuid>service, location_id@uuid>location, service_at_location_id@uuid>service_at_location, valid_from:date, valid_to:date, dtstart:date, timezone:number, until:date, count:number, wkst=MO|TU|WE|TH|FR|SA|SU, freq=WEEKLY|MONTHLY, interval:number, byday, byweekno, bymonthday, byyearday, description, opens_at:time, closes_at:time, schedule_link@uri, attending_type, notes"],
  funding: ["funding.csv", "id@uuid!, organization_id@uuid>organization, service_id@uuid>service, source"],
  service_area: ["service_areas.csv", "id@uuid!, service_id@uuid>service, name, description, extent, extent_type, uri"],
  required_document: ["required_documents.csv", "id@uuid!, service_id@uuid>service, document, uri@uri"],
  language: ["languages.csv", "id@uuid!, service_id@uuid>service, location_id@uuid>location, phone_id@uuid>phone, name, code, note"],
  accessibility: ["accessibility.csv", "id@uuid!, location_id@uuid>location, description, details, url@uri"],
  taxonomy_term: ["taxonomy_terms.csv", "id@uuid!, code, name!, description!, parent_id@uuid, taxonomy, language, taxonomy_id@uuid>taxonomy, term_uri@uri"],
  metadata: ["metadata.csv", "id@uuid!, resource_id@uuid+, resource_type+, last_action_date:date!, last_action_type!, field_name!, previous_value!, replacement_value!, updated_by!"],
  meta_table_description: ["meta_table_descriptions.csv", "id@uuid!, name, language, character_set"],
  cost_option: ["cost_options.csv", "id@uuid!, service_id@uuid+>service, valid_from:date, valid_to:date, option, currency, amount:number, amount_description"],
  organization_identifier: ["organization_identifiers.csv", "id@uuid!, organization_id@uuid+>organization, identifier_scheme, identifier_type!, identifier!"],
  taxonomy: ["taxonomies.csv", "id@uuid!, name!, description!, uri@uri, version"],
} as const;

export type TableName = keyof typeof TABLES;
export const TABLE_NAMES = Object.keys(TABLES) as TableName[];

export interface TableSpec {
  name: TableName;
  /** The CSV file of the table in a datapackage. */
  path: string;
  fields: readonly FieldSpec[];
}

const FIELD = /^([a-z_0-9]+)(?::(number|date|time|datetime))?(?:@(uuid|email|uri))?(!)?(\+)?(?:=([^>]+))?(?:>([a-z_]+))?$/;

function parseFields(text: string): FieldSpec[] {
  return text.split(", ").map((token) => {
    const m = FIELD.exec(token);
    if (!m) throw new Error(`Bad HSDS field spec "${token}"`);
    return {
      name: m[1]!,
      type: (m[2] ?? "string") as FieldType,
      ...(m[3] ? { format: m[3] as FieldSpec["format"] & string } : {}),
      required: m[4] === "!",
      tabularRequired: m[5] === "+",
      ...(m[6] ? { enum: m[6].split("|") } : {}),
      ...(m[7] ? { references: m[7] as TableName } : {}),
    };
  });
}

export const SPEC: Readonly<Record<TableName, TableSpec>> = Object.fromEntries(
  TABLE_NAMES.map((name): [TableName, TableSpec] => [name, { name, path: TABLES[name][0], fields: parseFields(TABLES[name][1]) }]),
) as Record<TableName, TableSpec>;

/**
 * References the datapackage does not declare but that point inside the same dataset. Only the CSV form checks them:
 * the JSON form holds only what services nest, so a parent organisation without services is legitimately absent.
 */
export const PARENT_REFERENCES: readonly { table: TableName; field: string; references: TableName }[] = [
  { table: "organization", field: "parent_organization_id", references: "organization" },
  { table: "taxonomy_term", field: "parent_id", references: "taxonomy_term" },
];

/** The tables an attribute may describe (`link_entity`). */
export const LINK_ENTITIES: readonly TableName[] = ["organization", "service", "location", "service_at_location", "phone", "schedule", "address", "contact", "language", "program"];

/** The problem with an attribute's `link_entity`, or null when it names a table an attribute may describe. */
export function linkEntityProblem(entity: string): string | null {
  return (LINK_ENTITIES as readonly string[]).includes(entity) ? null : `Unknown link_entity "${entity}": expected the table the attribute describes, one of ${LINK_ENTITIES.join(", ")}`;
}

/** The fields of a table that must be present in the given form. */
export function requiredFields(table: TableName, form: "json" | "csv"): string[] {
  return SPEC[table].fields.filter((f) => f.required || (form === "csv" && f.tabularRequired)).map((f) => f.name);
}
