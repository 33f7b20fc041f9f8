import type { Category, Population } from "../codes.js";
import type { HoursException, LocalizedText, LocationRecord, OrganisationRecord, ServiceRecord, WeeklyHours } from "../directory/schema.js";

/** Database rows of the directory, as Prisma returns them with their relations. */
export interface OrganisationRow {
  id: string;
  name: string;
  kind: string;
  description: string | null;
  website: string | null;
  email: string | null;
}
export interface LocationRow {
  id: string;
  name: string;
  address: string | null;
  commune: string;
  lat: number;
  lon: number;
}
export interface ServiceRow {
  id: string;
  organisationId: string;
  name: string;
  description: string | null;
  cost: string;
  lastVerified: string | null;
  verifiedBy: string | null;
  active: boolean;
  organisation: OrganisationRow;
  categories: { category: string }[];
  populations: { population: string }[];
  languages: { language: string }[];
  sites: { locationId: string; phones: string; hours: string; exceptions: string; location: LocationRow }[];
}

const fromJson = <T>(text: string | null): T | undefined => (text === null ? undefined : (JSON.parse(text) as T));

export function organisationFromRow(row: OrganisationRow): OrganisationRecord {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind as OrganisationRecord["kind"],
    ...(row.description !== null ? { description: fromJson<LocalizedText>(row.description)! } : {}),
    ...(row.website !== null ? { website: row.website } : {}),
    ...(row.email !== null ? { email: row.email } : {}),
  };
}

export function locationFromRow(row: LocationRow): LocationRecord {
  return {
    id: row.id,
    name: JSON.parse(row.name) as LocalizedText,
    ...(row.address !== null ? { address: fromJson<LocalizedText>(row.address)! } : {}),
    commune: row.commune,
    lat: row.lat,
    lon: row.lon,
  };
}

/** A service row back as the record a directory file holds: the same shape the files and the admin page write. */
export function serviceFromRow(row: ServiceRow): ServiceRecord {
  return {
    id: row.id,
    organisation: row.organisationId,
    name: JSON.parse(row.name) as LocalizedText,
    ...(row.description !== null ? { description: fromJson<LocalizedText>(row.description)! } : {}),
    categories: row.categories.map((c) => c.category as Category),
    populations: row.populations.map((p) => p.population as Population),
    languages: row.languages.map((l) => l.language),
    cost: row.cost as ServiceRecord["cost"],
    last_verified: row.lastVerified,
    verified_by: row.verifiedBy,
    active: row.active,
    at: row.sites.map((site) => ({
      location: site.locationId,
      phones: JSON.parse(site.phones) as string[],
      hours: JSON.parse(site.hours) as WeeklyHours,
      exceptions: JSON.parse(site.exceptions) as HoursException[],
    })),
  };
}

/** The fields that differ between two versions of a record, as {field: [before, after]}; everything for a new one. */
export function auditChanges<T extends object>(before: T | null, after: T): Record<string, [unknown, unknown]> {
  const changes: Record<string, [unknown, unknown]> = {};
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after)]);
  for (const key of keys) {
    const a = (before as Record<string, unknown> | null)?.[key];
    const b = (after as Record<string, unknown>)[key];
    if (JSON.stringify(a) !== JSON.stringify(b)) changes[key] = [a ?? null, b ?? null];
  }
  return changes;
}
