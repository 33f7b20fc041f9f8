import type { Category, Sex } from "../codes.js";
import { haversineKm } from "../triage/gazetteer.js";
import type { Directory, DirectoryService, ServiceSite } from "./directory.js";
import { openingStatus, type OpeningStatus } from "./hours.js";

export interface ReferralQuery {
  /** Ranked needs; referrals take turns between them so that every need gets an answer. */
  categories: readonly Category[];
  /** Where the person is: a shared point or the centroid of their commune. Null ranks without distance. */
  point: { lat: number; lon: number } | null;
  sex: Sex | "not_asked";
  /** The person's language: services where it is spoken come first at similar distance. */
  language?: string;
  now: Date;
  limit: number;
  /** Beyond this distance a service is not "nearby". */
  maxKm: number;
}

export interface Referral {
  service: DirectoryService;
  site: ServiceSite;
  /** Null when the person's place is unknown. */
  km: number | null;
  /** The need this referral answers; `other` for general orientation. */
  category: Category;
  status: OpeningStatus;
  /** A women-only service offered to someone who did not say they are a woman: labelled "for women". */
  womenOnly: boolean;
}

/**
 * The distance a referral is ranked by: the real distance, plus a few kilometres for what makes a nearby service less
 * useful. A service that does not speak the person's language counts 3 km farther, one not verified with the service
 * 2 km, one closed now 1 km. So at similar distances the one that speaks the language, is verified and is open comes
 * first, but no one is sent 30 km away to save a phone call.
 */
export const RANKING_PENALTY_KM = { language: 3, unverified: 2, closed: 1 } as const;

function rankingKm(c: { service: DirectoryService; site: ServiceSite; km: number | null }, query: ReferralQuery): number {
  let km = c.km ?? 0;
  if (query.language && c.service.languages.length > 0 && !c.service.languages.includes(query.language)) km += RANKING_PENALTY_KM.language;
  if (c.service.lastVerified === null) km += RANKING_PENALTY_KM.unverified;
  if (!openingStatus(c.site.hours, c.site.exceptions, query.now).open) km += RANKING_PENALTY_KM.closed;
  return km;
}

export interface ReferralResult {
  /** Nearby services for the needs, at most `limit`. */
  nearby: Referral[];
  /** When nothing nearby serves the needs: the nearest service that does, wherever it is. */
  farther: Referral | null;
  /** When nothing nearby serves the needs: the nearest migrant reception office (or orientation desk). */
  orientation: Referral | null;
}

interface Candidate {
  service: DirectoryService;
  site: ServiceSite;
  km: number | null;
}

/**
 * Services that serve the needs, nearest first, taking turns between needs (one each, then a second each, ...), one
 * site per service. Women-only services are never offered to men. When no service for the needs is within `maxKm`,
 * the nearest one farther away and the nearest BAOM (or general orientation desk) are returned instead.
 */
export function findReferrals(directory: Directory, query: ReferralQuery): ReferralResult {
  const candidates: Candidate[] = [];
  for (const service of directory.services) {
    if (!service.active) continue;
    if (service.populations.includes("women_only") && query.sex === "male") continue;
    for (const site of service.sites) {
      const km = query.point ? haversineKm(query.point.lat, query.point.lon, site.location.lat, site.location.lon) : null;
      candidates.push({ service, site, km });
    }
  }
  // Scored once each: the score reads the clock's local time and the opening hours, too costly for every comparison.
  const scores = new Map(candidates.map((c) => [c, rankingKm(c, query)]));
  candidates.sort((a, b) => scores.get(a)! - scores.get(b)! || (a.km ?? 0) - (b.km ?? 0) || a.service.id.localeCompare(b.service.id));

  const toReferral = (c: Candidate, category: Category): Referral => ({
    service: c.service,
    site: c.site,
    km: c.km,
    category,
    status: openingStatus(c.site.hours, c.site.exceptions, query.now),
    womenOnly: c.service.populations.includes("women_only") && query.sex !== "female",
  });

  const nearbyFor = (category: Category) => candidates.filter((c) => c.service.categories.includes(category) && (c.km === null || c.km <= query.maxKm));
  const queues = query.categories.map((category) => ({ category, list: nearbyFor(category) }));
  const nearby: Referral[] = [];
  const used = new Set<string>();
  for (let round = 0; nearby.length < query.limit && queues.some((q) => q.list.length > 0); round++) {
    for (const q of queues) {
      while (q.list.length > 0 && used.has(q.list[0]!.service.id)) q.list.shift();
      const next = q.list.shift();
      if (!next || nearby.length >= query.limit) continue;
      used.add(next.service.id);
      nearby.push(toReferral(next, q.category));
    }
  }
  if (nearby.length > 0) return { nearby, farther: null, orientation: null };

  const primary = query.categories[0] ?? "other";
  const farther = candidates.find((c) => query.categories.some((cat) => c.service.categories.includes(cat)));
  // General orientation: a BAOM, or where there is none yet (the Oriental), a desk that serves "other".
  const orientation = candidates.find((c) => (c.service.organisation.kind === "baom" || c.service.categories.includes("other")) && c.service.id !== farther?.service.id);
  return {
    nearby,
    farther: farther ? toReferral(farther, query.categories.find((cat) => farther.service.categories.includes(cat)) ?? primary) : null,
    orientation: orientation ? toReferral(orientation, "other") : null,
  };
}

/** One service as a referral from a point: its site nearest to the point (the first site when the point is unknown). */
export function referralTo(service: DirectoryService, point: { lat: number; lon: number } | null, now: Date): Referral | null {
  const sites = service.sites
    .map((site) => ({ site, km: point ? haversineKm(point.lat, point.lon, site.location.lat, site.location.lon) : null }))
    .sort((a, b) => (a.km ?? 0) - (b.km ?? 0));
  const nearest = sites[0];
  if (!nearest) return null;
  return {
    service,
    site: nearest.site,
    km: nearest.km,
    category: service.categories[0] ?? "other",
    status: openingStatus(nearest.site.hours, nearest.site.exceptions, now),
    womenOnly: service.populations.includes("women_only"),
  };
}
