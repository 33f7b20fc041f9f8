import type { Gazetteer } from "../../triage/gazetteer.js";
import { locationSchema } from "../schema.js";
import { checkRequired, children, text, type HsdsDataset } from "./dataset.js";
import { requiredFields } from "./spec.js";
import type { RecordTags } from "./tags.js";

/** What the import needs of the gazetteer: commune codes, and the commune around a point (null outside Morocco). */
export type PlaceFinder = Pick<Gazetteer, "get" | "nearest" | "communes">;

const extents = new WeakMap<PlaceFinder, { lat: [number, number]; lon: [number, number] }>();

/** The latitudes and longitudes of the gazetteer's communes, half a degree wider: a coordinate outside is not Moroccan. */
function extentOf(gazetteer: PlaceFinder): { lat: [number, number]; lon: [number, number] } {
  let extent = extents.get(gazetteer);
  if (!extent) {
    const located = gazetteer.communes.filter((c) => c.lat !== null && c.lon !== null);
    const range = (values: number[]): [number, number] => [Math.min(...values) - 0.5, Math.max(...values) + 0.5];
    extent = { lat: range(located.map((c) => c.lat!)), lon: range(located.map((c) => c.lon!)) };
    extents.set(gazetteer, extent);
  }
  return extent;
}

/**
 * A location's place in Dalil's terms: coordinates within range and inside Morocco, an HCP commune code the gazetteer
 * knows (from `external_identifier` of type HCP, else the commune nearest the point, which a notice reports), and an
 * address text (Dalil's own `dalil:text` attributes, else the first HSDS address).
 */
export function placeOf(dataset: HsdsDataset, tags: RecordTags, gazetteer: PlaceFinder, notices: string[]): { lat: number; lon: number; commune: string; address?: unknown } {
  const { issues } = dataset;
  const location = tags.record;
  if (location.location_type === "virtual") issues.at(location, "location_type", 'Dalil refers people to places they can go to: expected "physical", received "virtual"');

  const extent = extentOf(gazetteer);
  const coordinate = (field: "latitude" | "longitude", limit: number, [min, max]: readonly [number, number]): number | null => {
    const value = location[field];
    if (value === undefined) {
      issues.at(location, field, `Missing ${field}: Dalil places every location on the map`);
      return null;
    }
    if (typeof value !== "number" || !Number.isFinite(value)) {
      issues.at(location, field, `Expected a number of degrees, received ${JSON.stringify(value)}`);
      return null;
    }
    if (Math.abs(value) > limit) {
      issues.at(location, field, `Out of range: ${field} ${value} is not between -${limit} and ${limit} degrees`);
      return null;
    }
    if (value < min || value > max) {
      issues.at(location, field, `Not in Morocco: ${field} ${value} is outside the country (${min.toFixed(1)} to ${max.toFixed(1)} degrees)`);
      return null;
    }
    return value;
  };
  const lat = coordinate("latitude", 90, extent.lat);
  const lon = coordinate("longitude", 180, extent.lon);
  const near = lat !== null && lon !== null ? gazetteer.nearest(lat, lon) : null;
  if (lat !== null && lon !== null && !near) issues.at(location, [], `Not in Morocco: the point ${lat}, ${lon} is far from every commune of the gazetteer`);

  let commune = "";
  const type = text(location.external_identifier_type)?.toUpperCase();
  const code = text(location.external_identifier);
  if (type === "HCP" && code !== undefined) {
    if (!locationSchema.shape.commune.safeParse(code).success || !gazetteer.get(code)) {
      issues.at(location, "external_identifier", `Unknown commune code "${code}": expected an HCP code from data/places/communes.csv, such as 09.273.01.15`);
    }
    commune = code;
  } else if (near) {
    commune = near.commune.code;
    notices.push(`${issues.describe(location)}: no HCP commune code; commune ${commune} (${near.commune.nameFr}) taken from its coordinates, ${near.km.toFixed(1)} km from the commune's centre`);
  } else if (lat === null || lon === null) {
    issues.at(location, "external_identifier", 'No commune: Dalil needs an HCP commune code (external_identifier with external_identifier_type "HCP"), and valid coordinates to find it from otherwise');
  }

  for (const address of children(location, "addresses")) {
    if (dataset.form === "json") checkRequired(issues, address, requiredFields("address", "json"));
    const country = text(address.country);
    if (country !== undefined && country.toUpperCase() !== "MA") issues.at(address, "country", `Dalil's directory covers Morocco: expected "MA", received "${country}"`);
  }
  const first = children(location, "addresses")[0];
  const fromAddress = first ? [address(first.address_1), address(first.address_2), address(first.city)].filter((p) => p !== undefined).join(", ") : "";
  const own = tags.text("address", null);
  const result = { lat: lat ?? 0, lon: lon ?? 0, commune };
  if (own !== undefined) return { ...result, address: own };
  return fromAddress !== "" ? { ...result, address: fromAddress } : result;
}

const address = (value: unknown): string | undefined => text(value)?.trim() || undefined;
