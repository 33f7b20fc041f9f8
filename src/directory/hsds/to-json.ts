/** Dalil's directory as HSDS 3.0 JSON objects; the mapping rules are documented in `./export.ts`. */
import type { Directory } from "../directory.js";
import { localized } from "../directory.js";
import type { DirectoryFile, LocalizedText, LocationRecord, OrganisationRecord, ServiceRecord } from "../schema.js";
import { hsdsId } from "./ids.js";
import { hoursToSchedules } from "./schedules.js";
import { englishName, linkType, termObject, type Tag } from "./vocabulary.js";

export type HsdsJson = Record<string, unknown>;

/** The directory as data files give it, or joined (from the database). */
export type DirectorySource = Directory | readonly { data: DirectoryFile }[];

/** Every record once, whichever form the directory came in. */
export interface DirectoryRecords {
  organisations: OrganisationRecord[];
  locations: LocationRecord[];
  services: ServiceRecord[];
  sample: boolean;
  note?: string;
}

export function directoryRecords(source: DirectorySource): DirectoryRecords {
  if (Array.isArray(source)) {
    const files = source as readonly { data: DirectoryFile }[];
    const notes = [...new Set(files.map((f) => f.data.note).filter((n): n is string => n !== undefined))];
    return {
      organisations: files.flatMap((f) => f.data.organisations),
      locations: files.flatMap((f) => f.data.locations),
      services: files.flatMap((f) => f.data.services),
      // Conservative: one sample file makes the whole export sample data.
      sample: files.some((f) => f.data.sample),
      ...(notes.length > 0 ? { note: notes.join("\n") } : {}),
    };
  }
  const directory = source as Directory;
  const organisations = new Map<string, OrganisationRecord>();
  const locations = new Map<string, LocationRecord>();
  const services = directory.services.map((s): ServiceRecord => {
    organisations.set(s.organisation.id, s.organisation);
    for (const site of s.sites) locations.set(site.location.id, site.location);
    return {
      id: s.id,
      organisation: s.organisation.id,
      name: s.name,
      ...(s.description !== undefined ? { description: s.description } : {}),
      categories: [...s.categories],
      populations: [...s.populations],
      languages: [...s.languages],
      cost: s.cost,
      last_verified: s.lastVerified,
      verified_by: s.verifiedBy,
      active: s.active,
      at: s.sites.map((site) => ({ location: site.location.id, phones: [...site.phones], hours: site.hours, exceptions: [...site.exceptions] })),
    };
  });
  return { organisations: [...organisations.values()], locations: [...locations.values()], services, sample: false };
}

/** The directory as HSDS 3.0 JSON: one object per service, its organisation and locations nested. */
export function toHsdsJson(source: DirectorySource): HsdsJson[] {
  return hsdsRecords(directoryRecords(source)).services;
}

/** Services, plus the organisations and locations as HSDS objects (the CSV form also lists those no service uses). */
export function hsdsRecords(records: DirectoryRecords): { services: HsdsJson[]; organizations: HsdsJson[]; locations: HsdsJson[] } {
  const organizations = new Map(records.organisations.map((o) => [o.id, organizationJson(o)]));
  const locations = new Map(records.locations.map((l) => [l.id, locationJson(l)]));
  const services = records.services.map((s) => serviceJson(s, organizations, locations));
  return { services, organizations: [...organizations.values()], locations: [...locations.values()] };
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function attributes(entity: string, dalilId: string, tags: readonly Tag[]): HsdsJson[] {
  const linkId = hsdsId(`${entity}:${dalilId}`);
  const seen = new Map<string, number>();
  return tags.map((tag) => {
    const term = termObject(tag);
    const key = `${entity}:${dalilId}:${String(term.code)}`;
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    return {
      id: hsdsId(`attribute:${key}${n > 1 ? `#${n}` : ""}`),
      link_id: linkId,
      link_type: linkType(tag.taxonomy),
      link_entity: entity,
      taxonomy_term_id: term.id,
      ...(tag.value !== undefined ? { value: tag.value } : {}),
      taxonomy_term: term,
    };
  });
}

/** `dalil:text` tags for a text in several languages; `whole` also writes a single-language text (no HSDS field). */
function textTags(field: string, value: LocalizedText | undefined, whole = false): Tag[] {
  if (value === undefined) return [];
  if (typeof value === "string") return whole ? [{ taxonomy: "dalil:text", term: field, value }] : [];
  return Object.entries(value).map(([language, text]) => ({ taxonomy: "dalil:text", term: `${field}.${language}`, language, value: text }));
}

const idTag = (id: string): Tag => ({ taxonomy: "dalil:id", term: "id", value: id });

function organizationJson(o: OrganisationRecord): HsdsJson {
  return {
    id: hsdsId(`organization:${o.id}`),
    name: o.name,
    description: o.description !== undefined ? localized(o.description, "fr") : o.name,
    ...(o.email !== undefined ? { email: o.email } : {}),
    ...(o.website !== undefined ? { website: o.website } : {}),
    attributes: attributes("organization", o.id, [idTag(o.id), { taxonomy: "dalil:organisation_kind", term: o.kind }, ...textTags("description", o.description)]),
  };
}

function locationJson(l: LocationRecord): HsdsJson {
  return {
    id: hsdsId(`location:${l.id}`),
    location_type: "physical",
    name: localized(l.name, "fr"),
    latitude: l.lat,
    longitude: l.lon,
    external_identifier: l.commune,
    external_identifier_type: "HCP",
    attributes: attributes("location", l.id, [idTag(l.id), ...textTags("name", l.name), ...textTags("address", l.address, true)]),
  };
}

function serviceJson(s: ServiceRecord, organizations: Map<string, HsdsJson>, locations: Map<string, HsdsJson>): HsdsJson {
  const id = hsdsId(`service:${s.id}`);
  const verifiedByEmail = s.verified_by !== null && EMAIL.test(s.verified_by);
  const tags: Tag[] = [
    idTag(s.id),
    ...s.categories.map((c): Tag => ({ taxonomy: "dalil:category", term: c })),
    ...s.populations.map((p): Tag => ({ taxonomy: "dalil:population", term: p })),
    { taxonomy: "dalil:cost", term: s.cost },
    ...(s.verified_by !== null && !verifiedByEmail ? [{ taxonomy: "dalil:verified_by", term: "verified_by", value: s.verified_by } satisfies Tag] : []),
    ...textTags("name", s.name),
    ...textTags("description", s.description),
  ];
  return {
    id,
    organization_id: hsdsId(`organization:${s.organisation}`),
    name: localized(s.name, "fr"),
    ...(s.description !== undefined ? { description: localized(s.description, "fr") } : {}),
    status: s.active ? "active" : "inactive",
    ...(s.last_verified !== null ? { assured_date: s.last_verified } : {}),
    ...(verifiedByEmail ? { assurer_email: s.verified_by } : {}),
    organization: organizations.get(s.organisation),
    service_at_locations: s.at.map((site) => {
      const key = `${s.id}:${site.location}`;
      const salId = hsdsId(`service_at_location:${key}`);
      return {
        id: salId,
        service_id: id,
        location_id: hsdsId(`location:${site.location}`),
        location: locations.get(site.location),
        phones: site.phones.map((number, i) => ({ id: hsdsId(`phone:${key}:${i}`), service_at_location_id: salId, number, type: "voice" })),
        schedules: hoursToSchedules(site.hours, site.exceptions).map((draft, i) => ({ id: hsdsId(`schedule:${key}:${i}`), service_at_location_id: salId, ...draft })),
      };
    }),
    languages: s.languages.map((code) => ({ id: hsdsId(`language:${s.id}:${code}`), service_id: id, ...(englishName(code) ? { name: englishName(code) } : {}), code })),
    attributes: attributes("service", s.id, tags),
  };
}
