import { z } from "zod";
import { normalise, tokenize, withoutArticle } from "./normalise.js";
import { PhraseIndex, type PhraseHit } from "./phrase-index.js";

/** One row of `data/places/communes.csv` (HCP codes and names, OpenStreetMap centroids). */
export const communeRowSchema = z.object({
  region: z.string().min(1),
  province: z.string().min(1),
  name_fr: z.string().min(1),
  name_ar: z.string().min(1),
  lat: z.union([z.literal("").transform(() => null), z.coerce.number().min(-90).max(90)]),
  lon: z.union([z.literal("").transform(() => null), z.coerce.number().min(-180).max(180)]),
  region_ar: z.string().min(1),
  province_ar: z.string().min(1),
  region_code: z.string().regex(/^\d{2}$/),
  province_code: z.string().regex(/^\d{2}\.\d{3}$/),
  commune_code_hcp: z.string().regex(/^\d{2}\.\d{3}\.\d{2}\.\d{1,2}$/),
});
export type CommuneRow = z.infer<typeof communeRowSchema>;

/** `data/places/aliases.yaml`: other spellings people use, and names that are also ordinary words. */
export const placeAliasesSchema = z
  .object({
    aliases: z.record(z.string(), z.array(z.string().min(1))).default({}),
    needs_context: z.array(z.string()).default([]),
    /** Spellings that are everyday words in some language ("casa" is a house in Spanish): they need a cue too. */
    ordinary_words: z.array(z.string().min(1)).default([]),
  })
  .strict();
export type PlaceAliases = z.infer<typeof placeAliasesSchema>;

export interface Commune {
  code: string;
  nameFr: string;
  nameAr: string;
  regionCode: string;
  regionFr: string;
  regionAr: string;
  provinceCode: string;
  provinceFr: string;
  provinceAr: string;
  /** Centroid; null for the one commune the source has no boundary for. */
  lat: number | null;
  lon: number | null;
}

/** A place found in a message. Several communes share some names (Ajdir, Tazarine, ...): then `candidates` has them all. */
export interface PlaceFound {
  candidates: Commune[];
  /** The words of the message that named the place. */
  matched: string;
  /** A typo-tolerant match: worth confirming with the person. */
  fuzzy: boolean;
}

/** Words that announce a place: "je suis à X", "in X", "f X", "ف X". */
const PLACE_CUES = new Set([
  "a", "au", "aux", "de", "d", "en", "vers", "pres", "habite", "ville", "commune",
  "in", "at", "near", "from", "to", "city", "live",
  "f", "fi", "men", "mn", "sakn", "sakna", "skn",
  "من", "في", "ف", "ب", "مدينه", "جماعه", "ساكن", "ساكنه",
]);

export interface FindPlaceOptions {
  /**
   * Typo-tolerant matching, and names that are also ordinary words without a cue before them. Right when the person
   * was asked for a place; wrong inside a free sentence, where "tata" is an aunt.
   */
  expectingPlace: boolean;
}

const EARTH_KM = 6371;

/** Great-circle distance in km. */
export function haversineKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_KM * Math.asin(Math.min(1, Math.sqrt(a)));
}

/**
 * All communes of the gazetteer, found by name (French, Arabic, aliases) inside a message or by coordinates.
 * A point counts as inside the country when it is near a commune centroid: within 25 km, or within the distance from
 * that commune to its nearest neighbour (large rural communes in the south have far-apart centroids).
 */
export class Gazetteer {
  readonly communes: readonly Commune[];
  private readonly byCode = new Map<string, Commune>();
  private readonly index: PhraseIndex<string>;
  private readonly needsContext = new Set<string>();
  private readonly reach = new Map<string, number>();

  constructor(rows: readonly CommuneRow[], aliases: PlaceAliases, everydayWords: ReadonlySet<string> = new Set()) {
    const ordinaryWords = new Set([...everydayWords, ...aliases.ordinary_words.map(normalise)]);
    this.communes = rows.map((r) => ({
      code: r.commune_code_hcp,
      nameFr: r.name_fr,
      nameAr: r.name_ar,
      regionCode: r.region_code,
      regionFr: r.region,
      regionAr: r.region_ar,
      provinceCode: r.province_code,
      provinceFr: r.province,
      provinceAr: r.province_ar,
      lat: r.lat,
      lon: r.lon,
    }));
    for (const c of this.communes) this.byCode.set(c.code, c);
    const entries: { phrase: string; value: string; weight: number }[] = [];
    const add = (name: string, code: string) => {
      const phrase = normalise(name);
      if (phrase.length < 2) return;
      entries.push({ phrase, value: code, weight: 1 });
      const bare = withoutArticle(phrase);
      if (bare !== phrase) entries.push({ phrase: bare, value: code, weight: 1 });
      if (phrase.length <= 3 || ordinaryWords.has(phrase)) this.needsContext.add(`${code}|${phrase}`);
    };
    for (const c of this.communes) {
      add(c.nameFr, c.code);
      add(c.nameAr, c.code);
      for (const alias of aliases.aliases[c.code] ?? []) add(alias, c.code);
    }
    for (const code of aliases.needs_context) {
      for (const e of entries) if (e.value === code) this.needsContext.add(`${code}|${e.phrase}`);
    }
    this.index = new PhraseIndex(entries, { fuzzyMinLength: 5, fuzzyMaxWords: 3, fuzzyThreshold: 0.35, fuzzyMinSimilarity: 0.7 });
    this.computeReach();
  }

  get(code: string): Commune | undefined {
    return this.byCode.get(code);
  }

  /** Codes in aliases that are not in the gazetteer (a content error). */
  unknownCodes(aliases: PlaceAliases): string[] {
    return [...Object.keys(aliases.aliases), ...aliases.needs_context].filter((code) => !this.byCode.has(code));
  }

  /**
   * The place named in a message: the longest exact name wins; names that are also ordinary words need a cue
   * ("à", "in", "f", "في") unless the message is only the name; typos are tolerated only when a place was asked for.
   */
  find(text: string, options: FindPlaceOptions): PlaceFound | null {
    const tokens = tokenize(text).slice(0, 200);
    if (tokens.length === 0) return null;
    const hits = this.index.find(tokens).filter((h) => h.similarity === 1);
    const accepted = hits.filter((h) => this.acceptable(h, tokens, options));
    const best = longest(accepted);
    if (best) return this.found(best, accepted, tokens, false);
    if (!options.expectingPlace) return null;
    const fuzzy = this.index.find(tokens).filter((h) => h.similarity < 1 && h.similarity >= 0.7 && this.acceptable(h, tokens, options));
    const bestFuzzy = fuzzy.sort((a, b) => b.similarity - a.similarity || b.end - b.start - (a.end - a.start))[0];
    return bestFuzzy ? this.found(bestFuzzy, fuzzy.filter((h) => h.similarity === bestFuzzy.similarity), tokens, true) : null;
  }

  /** The commune whose centroid is nearest, with its distance, or null when the point is not in the country. */
  nearest(lat: number, lon: number): { commune: Commune; km: number } | null {
    if (!Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180) return null;
    let best: Commune | null = null;
    let bestKm = Infinity;
    for (const c of this.communes) {
      if (c.lat === null || c.lon === null) continue;
      const km = haversineKm(lat, lon, c.lat, c.lon);
      if (km < bestKm) {
        bestKm = km;
        best = c;
      }
    }
    if (!best || bestKm > (this.reach.get(best.code) ?? 25)) return null;
    return { commune: best, km: bestKm };
  }

  private acceptable(hit: PhraseHit<string>, tokens: readonly string[], options: FindPlaceOptions): boolean {
    if (!this.needsContext.has(`${hit.value}|${hit.phrase}`)) return true;
    const wholeMessage = hit.start === 0 && hit.end === tokens.length;
    if (wholeMessage && options.expectingPlace) return true;
    const before = tokens[hit.start - 1];
    if (before !== undefined && PLACE_CUES.has(before)) return true;
    // An Arabic cue can be written attached: "فتاتا", "فطاطا".
    const first = tokens[hit.start]!;
    return /^(ف|في|ب|من)/.test(first) && !hit.phrase.startsWith(first.slice(0, 1));
  }

  private found(best: PhraseHit<string>, all: readonly PhraseHit<string>[], tokens: readonly string[], fuzzy: boolean): PlaceFound {
    const same = all.filter((h) => h.start === best.start && h.end === best.end);
    const codes = [...new Set(same.map((h) => h.value))];
    return {
      candidates: codes.map((c) => this.byCode.get(c)!).filter(Boolean),
      matched: tokens.slice(best.start, best.end).join(" "),
      fuzzy,
    };
  }

  private computeReach(): void {
    const located = this.communes.filter((c) => c.lat !== null && c.lon !== null);
    for (const c of located) {
      let nearest = Infinity;
      for (const d of located) {
        if (d === c) continue;
        // Equirectangular distance is enough to find the neighbour; only its value is kept.
        const x = (d.lon! - c.lon!) * Math.cos(((c.lat! + d.lat!) / 2) * (Math.PI / 180));
        const y = d.lat! - c.lat!;
        const km = Math.sqrt(x * x + y * y) * 111.2;
        if (km < nearest) nearest = km;
      }
      this.reach.set(c.code, Math.max(25, nearest));
    }
  }
}

function longest(hits: readonly PhraseHit<string>[]): PhraseHit<string> | undefined {
  return [...hits].sort((a, b) => b.end - b.start - (a.end - a.start) || b.phrase.length - a.phrase.length || a.start - b.start)[0];
}
