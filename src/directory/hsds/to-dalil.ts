import { CATEGORIES } from "../../codes.js";
import { organisationSchema, serviceAtLocationSchema, serviceSchema } from "../schema.js";
import { checkRequired, child, children, idOf, text, type HsdsDataset, type HsdsObject } from "./dataset.js";
import { placeOf, type PlaceFinder } from "./place.js";
import { schedulesToHours } from "./schedules.js";
import { requiredFields, type TableName } from "./spec.js";
import { RecordTags } from "./tags.js";

/** What the import checks against besides the file: the gazetteer, and the languages the locales can name. */
export interface HsdsImportContext {
  gazetteer: PlaceFinder;
  /** Whether every locale names the language (referral cards list the languages spoken); not checked when absent. */
  hasLanguageName?: (code: string) => boolean;
}

/** Dalil records before the final schema check, with the HSDS object each came from (to place later problems). */
export interface Mapped {
  data: { sample: boolean; note?: string; organisations: Record<string, unknown>[]; locations: Record<string, unknown>[]; services: Record<string, unknown>[] };
  origins: { organisations: HsdsObject[]; locations: HsdsObject[]; services: HsdsObject[] };
  notices: string[];
}

const INACTIVE = ["inactive", "defunct", "temporarily closed"];

/**
 * Maps an HSDS dataset (either form, nested) to Dalil's directory records, reporting into the dataset's issues every
 * field Dalil cannot take as it is. The mapping rules are those of `./export.ts`, read backwards.
 */
export function toDalil(dataset: HsdsDataset, context: HsdsImportContext): Mapped {
  const { issues } = dataset;
  const json = dataset.form === "json";
  const required = (object: HsdsObject, table: TableName) => {
    // The CSV reader already checked every row of the tables it read, with the CSV form's own required columns.
    if (json) checkRequired(issues, object, requiredFields(table, "json"));
  };
  const lowercased = new Set<string>();
  const notices: string[] = [];
  const mapped: Mapped = { data: { sample: dataset.sample ?? false, ...(dataset.note !== undefined ? { note: dataset.note } : {}), organisations: [], locations: [], services: [] }, origins: { organisations: [], locations: [], services: [] }, notices };
  const organisationIds = new Map<string, string>();
  const locationIds = new Map<string, string>();
  /** A link given twice, as an id and as the nested object, must name the same record. */
  const mismatch = (object: HsdsObject, idField: string, nested: string) => {
    const id = idOf(object[idField]);
    const nestedId = idOf(child(object, nested)?.id);
    if (id !== undefined && nestedId !== undefined && id !== nestedId) issues.at(object, idField, `${idField} "${String(object[idField])}" and the nested ${nested} "${String(child(object, nested)?.id)}" name different records`);
  };
  const fieldCheck = (object: HsdsObject, field: string, result: { success: boolean; error?: { issues: { message: string }[] } }) => {
    if (!result.success) issues.at(object, field, result.error?.issues[0]?.message ?? "Invalid value");
  };

  for (const [hsds, o] of dataset.organizations) {
    required(o, "organization");
    const tags = new RecordTags(dataset, o);
    const id = tags.dalilId(lowercased);
    organisationIds.set(hsds, id);
    const name = text(o.name) ?? "";
    const description = tags.text("description");
    const email = text(o.email);
    const website = text(o.website);
    if (email !== undefined) fieldCheck(o, "email", organisationSchema.shape.email.safeParse(email));
    if (website !== undefined) fieldCheck(o, "website", organisationSchema.shape.website.safeParse(website));
    mapped.data.organisations.push({
      id,
      name,
      kind: tags.single("dalil:organisation_kind") ?? "other",
      // HSDS requires a description and Dalil's export gives the name when it has none: that is no description.
      ...(description !== undefined && description !== name ? { description } : {}),
      ...(website !== undefined ? { website } : {}),
      ...(email !== undefined ? { email } : {}),
    });
    mapped.origins.organisations.push(o);
  }

  for (const [hsds, l] of dataset.locations) {
    required(l, "location");
    const tags = new RecordTags(dataset, l);
    const id = tags.dalilId(lowercased);
    locationIds.set(hsds, id);
    const name = tags.text("name");
    if (name === undefined) issues.at(l, "name", "Missing name: Dalil shows every location by its name");
    const { address, ...place } = placeOf(dataset, tags, context.gazetteer, notices);
    mapped.data.locations.push({ id, name, ...(address !== undefined ? { address } : {}), commune: place.commune, lat: place.lat, lon: place.lon });
    mapped.origins.locations.push(l);
  }

  for (const s of dataset.services) {
    required(s, "service");
    const tags = new RecordTags(dataset, s);
    const id = tags.dalilId(lowercased);
    const status = text(s.status);
    if (status !== undefined && status !== "active" && !INACTIVE.includes(status)) issues.at(s, "status", `Unknown status "${status}": expected active, ${INACTIVE.join(", ")}`);
    const categories = tags.terms("dalil:category");
    if (categories.length === 0) issues.at(s, "attributes", `No need category: Dalil refers people by need; add an attribute of the dalil:category taxonomy (${CATEGORIES.join(", ")})`);
    let cost = tags.single("dalil:cost");
    if (cost === undefined) {
      const fees = ["fees_description", "fees", "cost_options"].find((f) => (f === "cost_options" ? children(s, f).length > 0 : text(s[f]) !== undefined));
      if (fees) issues.at(s, fees, "Cost unknown: the service describes fees but has no dalil:cost attribute (free, paid or mixed)");
      cost = "free";
    }
    const languages: string[] = [];
    for (const language of children(s, "languages")) {
      required(language, "language");
      const code = text(language.code)?.toLowerCase();
      if (code === undefined) issues.at(language, "code", "Missing code: Dalil knows languages by their ISO 639 code");
      else if (!serviceSchema.shape.languages.safeParse([code]).success) issues.at(language, "code", `Expected an ISO 639 code such as "ar" or "zgh", received "${code}"`);
      else if (context.hasLanguageName?.(code) === false) issues.at(language, "code", `Unknown language "${code}": referral cards name the languages spoken; add common:language.names.${code} to every locale`);
      else if (!languages.includes(code)) languages.push(code);
    }
    const lastVerified = text(s.assured_date) ?? null;
    if (lastVerified !== null) fieldCheck(s, "assured_date", serviceSchema.shape.last_verified.safeParse(lastVerified));

    const organisation = idOf(s.organization_id) ?? idOf(child(s, "organization")?.id);
    mismatch(s, "organization_id", "organization");
    if (organisation === undefined) {
      if (json) issues.at(s, "organization", "Missing organization: a service needs the organization that provides it");
    } else if (!dataset.organizations.has(organisation)) {
      issues.at(s, "organization_id", `Unknown reference: no organization has id "${String(s.organization_id)}"`);
    }

    const sals = children(s, "service_at_locations");
    if (sals.length === 0) issues.at(s, "service_at_locations", "No service_at_location: Dalil refers people to the places where a service is given");
    const seen = new Set<string>();
    const at = sals.map((sal) => {
      required(sal, "service_at_location");
      const hsdsLocation = idOf(sal.location_id) ?? idOf(child(sal, "location")?.id);
      mismatch(sal, "location_id", "location");
      const location = dataset.locations.get(hsdsLocation ?? "");
      if (hsdsLocation === undefined) issues.at(sal, "location", "Missing location: a service_at_location needs its location");
      else if (!location) issues.at(sal, "location_id", `Unknown reference: no location has id "${String(sal.location_id)}"`);
      else if (seen.has(hsdsLocation)) issues.at(sal, "location_id", `The service is already at location "${String(sal.location_id ?? hsdsLocation)}": give one service_at_location per location`);
      if (hsdsLocation !== undefined) seen.add(hsdsLocation);
      // The most specific list wins: the site's own phones and hours, else the service's, else the location's.
      const mostSpecific = (key: string) => [children(sal, key), children(s, key), location ? children(location, key) : []].find((list) => list.length > 0) ?? [];
      const phones = mostSpecific("phones").flatMap((phone) => {
        required(phone, "phone");
        const number = text(phone.number);
        if (phone.extension !== undefined) issues.at(phone, "extension", `Dalil dials numbers directly and has no extensions: give a direct number instead of extension ${String(phone.extension)}`);
        if (number === undefined) return [];
        if (!serviceAtLocationSchema.shape.phones.safeParse([number]).success) issues.at(phone, "number", `Expected a phone number such as "+212 5 28 00 00 00" (digits, spaces, + and -), received ${JSON.stringify(number)}`);
        return [number];
      });
      const schedules = mostSpecific("schedules");
      for (const schedule of schedules) required(schedule, "schedule");
      const { hours, exceptions } = schedulesToHours(schedules, (schedule, field, message) => issues.at(schedule, field, message));
      return { location: locationIds.get(hsdsLocation ?? "") ?? hsdsLocation ?? "", phones, hours, exceptions };
    });

    const description = tags.text("description");
    mapped.data.services.push({
      id,
      organisation: organisationIds.get(organisation ?? "") ?? organisation ?? "",
      name: tags.text("name"),
      ...(description !== undefined ? { description } : {}),
      categories,
      populations: tags.terms("dalil:population"),
      languages,
      cost,
      last_verified: lastVerified,
      verified_by: text(s.assurer_email) ?? tags.value("dalil:verified_by") ?? null,
      active: status === undefined || !INACTIVE.includes(status),
      at,
    });
    mapped.origins.services.push(s);
  }
  if (lowercased.size > 0) {
    const examples = [...lowercased].slice(0, 3).map((id) => `"${id}"`).join(", ");
    notices.push(`${lowercased.size} HSDS id${lowercased.size === 1 ? " was" : "s were"} written in capitals and lowercased for Dalil (${examples}${lowercased.size > 3 ? ", ..." : ""}); references to them were matched the same way`);
  }
  return mapped;
}
