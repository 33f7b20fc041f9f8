import type { Category, Population } from "../codes.js";
import type {
  DirectoryFile,
  HoursException,
  LocalizedText,
  LocationRecord,
  OrganisationRecord,
  WeeklyHours,
} from "./schema.js";

/** A place where a service is delivered, with its own phones and hours (HSDS "service at location"). */
export interface ServiceSite {
  location: LocationRecord;
  phones: readonly string[];
  hours: WeeklyHours;
  exceptions: readonly HoursException[];
}

/** A service as referrals see it: joined with its organisation and sites. */
export interface DirectoryService {
  id: string;
  organisation: OrganisationRecord;
  name: LocalizedText;
  description?: LocalizedText;
  categories: readonly Category[];
  populations: readonly Population[];
  languages: readonly string[];
  cost: "free" | "paid" | "mixed";
  lastVerified: string | null;
  verifiedBy: string | null;
  active: boolean;
  sites: readonly ServiceSite[];
}

/** The directory loaded once (from data files or the database) and read by referrals; never mutated. */
export class Directory {
  readonly services: readonly DirectoryService[];
  private readonly byId: Map<string, DirectoryService>;

  constructor(services: readonly DirectoryService[]) {
    this.services = services;
    this.byId = new Map(services.map((s) => [s.id, s]));
  }

  get(id: string): DirectoryService | undefined {
    return this.byId.get(id);
  }

  /** HCP region codes (the first two digits of a commune code) where at least one active service has a site. */
  coveredRegions(): Set<string> {
    const regions = new Set<string>();
    for (const s of this.services) if (s.active) for (const site of s.sites) regions.add(site.location.commune.slice(0, 2));
    return regions;
  }
}

/** A reference in a directory file that does not resolve, for the loader to report with file and record. */
export interface DirectoryProblem {
  file: string;
  path: (string | number)[];
  message: string;
}

/**
 * Joins directory files into one Directory, reporting duplicate ids and references to organisations or locations
 * that no file defines. Records are looked up across all files, so one file may hold the locations another uses.
 */
export function joinDirectoryFiles(files: readonly { file: string; data: DirectoryFile }[]): { directory: Directory; problems: DirectoryProblem[] } {
  const problems: DirectoryProblem[] = [];
  const organisations = new Map<string, OrganisationRecord>();
  const locations = new Map<string, LocationRecord>();
  const seen = new Map<string, string>();
  const claim = (id: string, file: string, path: (string | number)[]) => {
    const previous = seen.get(id);
    if (previous) problems.push({ file, path, message: `Duplicate id: "${id}" is already used in ${previous}` });
    else seen.set(id, file);
  };
  for (const { file, data } of files) {
    data.organisations.forEach((o, i) => {
      claim(o.id, file, ["organisations", i, "id"]);
      organisations.set(o.id, o);
    });
    data.locations.forEach((l, i) => {
      claim(l.id, file, ["locations", i, "id"]);
      locations.set(l.id, l);
    });
  }
  const services: DirectoryService[] = [];
  for (const { file, data } of files) {
    data.services.forEach((s, i) => {
      claim(s.id, file, ["services", i, "id"]);
      const organisation = organisations.get(s.organisation);
      if (!organisation) {
        problems.push({ file, path: ["services", i, "organisation"], message: `Unknown organisation: expected one of the organisation ids, received "${s.organisation}"` });
        return;
      }
      const sites: ServiceSite[] = [];
      s.at.forEach((a, j) => {
        const location = locations.get(a.location);
        if (!location) problems.push({ file, path: ["services", i, "at", j, "location"], message: `Unknown location: expected one of the location ids, received "${a.location}"` });
        else sites.push({ location, phones: a.phones, hours: a.hours, exceptions: a.exceptions });
      });
      services.push({
        id: s.id,
        organisation,
        name: s.name,
        ...(s.description !== undefined ? { description: s.description } : {}),
        categories: s.categories,
        populations: s.populations,
        languages: s.languages,
        cost: s.cost,
        lastVerified: s.last_verified,
        verifiedBy: s.verified_by,
        active: s.active,
        sites,
      });
    });
  }
  return { directory: new Directory(services), problems };
}

/** The text in the wanted language, else French, else the first one given. */
export function localized(text: LocalizedText | undefined, language: string): string {
  if (text === undefined) return "";
  if (typeof text === "string") return text;
  return text[language] ?? text.fr ?? Object.values(text)[0] ?? "";
}
