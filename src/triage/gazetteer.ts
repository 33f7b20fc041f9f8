import { z } from "zod";
import type { DetectedLanguage } from "../codes.js";
import { skeleton } from "./arabizi.js";
import { normalise, tokenize, tokenizeClauses, withoutArticle } from "./normalise.js";
import { PhraseIndex, SKELETON_SIMILARITY, SKELETON_SKIP, type PhraseEntry, type PhraseHit } from "./phrase-index.js";

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
    /** Words of the present or of living somewhere ("now", "daba", "j'habite", "i dey"): the name they introduce is where the person is. */
    present_cues: z.array(z.string().min(1)).default([]),
    /** Phrases that hold a name but are never a place ("صباح الخير", "الصباح" = the morning). */
    not_places: z.array(z.string().min(1)).default([]),
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

/** Words that announce a place: "je suis à X", "in X", "f X", "ف X", "l casa" (to Casa). */
const PLACE_CUES = new Set([
  "a", "au", "aux", "de", "d", "en", "vers", "pres", "habite", "ville", "commune",
  "in", "at", "near", "from", "to", "city", "live",
  "f", "fi", "l", "men", "mn", "sakn", "sakna", "skn",
  "em", "desde",
  "من", "في", "ف", "ب", "ل", "مدينه", "جماعه", "ساكن", "ساكنه",
]);
/** Cues that are articles in Spanish and Portuguese ("a massa", "de casa"), not place cues there. */
const ARTICLE_CUES = new Set(["a", "de", "d"]);
/** Cues of where the person comes from, not where they are: "from Tangier to Tiznit", "من تطوان لأكادير". */
const ORIGIN_CUES = new Set(["from", "mn", "men", "desde", "من"]);
/**
 * How far a present cue reaches: "now he call me he is in Tiznit" names the place seven words on. A name right before
 * one counts too ("I'm in Tiznit now", "فالرباط دابا").
 */
const PRESENT_REACH_AFTER = 8;
/**
 * French elision glued to a name ("dinezgane" for "d'Inezgane"), read for names of at least this many letters:
 * shorter ones would make everyday words ("danza" from Anza).
 */
const GLUED_ELISION_MIN_LENGTH = 6;

export interface FindPlaceOptions {
  /**
   * Typo-tolerant matching. Right when the person was asked for a place; wrong inside a free sentence, where
   * "medecin" must not become "Mediouna".
   */
  expectingPlace: boolean;
  /** The message's language, when known: in Spanish and Portuguese, "a" and "de" are not place cues. */
  language?: DetectedLanguage;
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
  /** Words that are not place names however they are spelled: never compared by skeleton. */
  private readonly ordinaryWords: ReadonlySet<string>;
  /** Present cues and phrases that are never places; an Arabic first word is also found with its clitics ("فالصباح"). */
  private readonly presentCues: PhraseIndex<true>;
  private readonly notPlaces: PhraseIndex<true>;

  constructor(rows: readonly CommuneRow[], aliases: PlaceAliases, everydayWords: ReadonlySet<string> = new Set()) {
    const ordinaryWords = new Set([...everydayWords, ...aliases.ordinary_words.map(normalise)]);
    this.ordinaryWords = ordinaryWords;
    const phrases = (list: readonly string[]) =>
      new PhraseIndex(list.map((p) => ({ phrase: tokenize(p).join(" "), value: true as const, weight: 1 })));
    this.presentCues = phrases(aliases.present_cues);
    this.notPlaces = phrases(aliases.not_places);
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
    const entries: PhraseEntry<string>[] = [];
    const add = (name: string, code: string) => {
      const phrase = normalise(name);
      if (phrase.length < 2) return;
      entries.push({ phrase, value: code, weight: 1, skeleton: placeSkeleton(phrase) });
      const bare = withoutArticle(phrase);
      if (bare !== phrase) entries.push({ phrase: bare, value: code, weight: 1, skeleton: placeSkeleton(bare) });
      // "المساعدة" is a commune and "the help": a name is an ordinary word with or without its article.
      const isWord = bare.length <= 3 || ordinaryWords.has(phrase) || ordinaryWords.has(bare);
      if (isWord) {
        this.needsContext.add(`${code}|${phrase}`);
        this.needsContext.add(`${code}|${bare}`);
      }
      const glued = `d${phrase}`;
      if (/^[aeiou]/.test(phrase) && phrase.length >= GLUED_ELISION_MIN_LENGTH && !isWord && !ordinaryWords.has(glued)) {
        entries.push({ phrase: glued, value: code, weight: 1 });
      }
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
   * The place named in a message: names that are also ordinary words need a cue ("à", "in", "f", "في") unless the
   * message is only the name; typos are tolerated only when a place was asked for. Of several names, one after a
   * cue of where the person is ("à", "in", "f") wins over one after a cue of origin ("from", "من"); then the longest,
   * then the first. A name a present cue introduces ("now", "daba", "j'habite") beats them all: people tell what
   * happened elsewhere before saying where they are now.
   */
  find(text: string, options: FindPlaceOptions): PlaceFound | null {
    const { tokens: allTokens, clauses } = tokenizeClauses(text);
    const tokens = allTokens.slice(0, 200);
    if (tokens.length === 0) return null;
    const skeletons = tokens.map((t) => NAME_WORDS[t] ?? (this.ordinaryWords.has(t) || t.length < 3 ? "" : skeleton(t)));
    const notPlaces = this.notPlaces.find(tokens);
    const namesAPlace = (h: PhraseHit<string>) => !notPlaces.some((o) => o.start <= h.start && h.end <= o.end);
    const hits = this.index.find(tokens, { fuzzy: false, skeletons }).filter(namesAPlace);
    const accepted = hits.filter((h) => h.similarity === 1 && this.acceptable(h, tokens, options));
    const best = this.best(accepted, tokens, clauses);
    if (best) return this.found(best, accepted, tokens, false);
    // Another spelling of a name ("ait mloul", "tiznite", "ترودانت"): the same consonants, in the same order.
    const spelled = hits.filter((h) => h.similarity === SKELETON_SIMILARITY && this.acceptable(h, tokens, options));
    const bestSpelled = this.best(spelled, tokens, clauses);
    if (bestSpelled) return this.found(bestSpelled, spelled, tokens, true);
    if (!options.expectingPlace) return null;
    const fuzzy = this.index.find(tokens).filter((h) => namesAPlace(h) && h.similarity < 1 && h.similarity >= 0.7 && this.acceptable(h, tokens, options));
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
    // A name alone is the place when one was asked for; otherwise too, unless it is an everyday word ("safi" is
    // "ok" in Darija, "casa" a house): "Tata" or "Massa" sent as a whole message name the commune.
    if (hit.start === 0 && hit.end === tokens.length && (options.expectingPlace || !this.ordinaryWords.has(hit.phrase))) return true;
    return cueBefore(hit, tokens, options.language) !== null;
  }

  /** The name the message most likely gives as where the person is. */
  private best(hits: readonly PhraseHit<string>[], tokens: readonly string[], clauses: readonly number[]): PhraseHit<string> | undefined {
    // A name inside a longer one ("Beni Mathar" in "Ain Beni Mathar") is part of it.
    const whole = hits.filter((h) => !hits.some((o) => o.start <= h.start && o.end >= h.end && o.end - o.start > h.end - h.start));
    const present = this.presentPlaces(whole, tokens, clauses);
    const rank = (h: PhraseHit<string>) => {
      if (present.has(h)) return 2;
      const cue = cueBefore(h, tokens, undefined);
      return cue === null ? 0 : ORIGIN_CUES.has(cue) ? -1 : 1;
    };
    return [...whole].sort((a, b) => rank(b) - rank(a) || b.end - b.start - (a.end - a.start) || b.phrase.length - a.phrase.length || a.start - b.start)[0];
  }

  /**
   * The names present cues point at. Each cue marks one name: the first within reach after it, or the one right before
   * it in the same clause; a name after it in its own clause first ("I'm in Tiznit now, they brought me from Casa" is
   * Tiznit, "à Tanger. Maintenant, je suis à Rabat" is Rabat). A name after a cue of origin is not where one is now
   * ("daba jit mn Taourirt"), nor a name that is an everyday word ("estoy en casa de un amigo en Nador").
   */
  private presentPlaces(hits: readonly PhraseHit<string>[], tokens: readonly string[], clauses: readonly number[]): Set<PhraseHit<string>> {
    const marked = new Set<PhraseHit<string>>();
    if (hits.length < 2) return marked;
    for (const cue of this.presentCues.find(tokens)) {
      const sameClause = (h: PhraseHit<string>) => clauses[h.start] === clauses[cue.start];
      const mayBeHere = (h: PhraseHit<string>) => !ORIGIN_CUES.has(cueBefore(h, tokens, undefined) ?? "") && !this.ordinaryWords.has(h.phrase);
      const after = hits.filter((h) => h.start >= cue.end && h.start - cue.end < PRESENT_REACH_AFTER && mayBeHere(h)).sort((a, b) => a.start - b.start);
      const justBefore = hits.find((h) => h.end === cue.start && sameClause(h) && mayBeHere(h));
      const chosen = after.find(sameClause) ?? justBefore ?? after[0];
      if (chosen) for (const h of hits) if (h.start === chosen.start && h.end === chosen.end) marked.add(h);
    }
    return marked;
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
    // Sorted by latitude, the search for the nearest neighbour stops once latitudes alone are farther apart than the
    // best found: a few dozen comparisons per commune instead of 1,500.
    const located = this.communes.filter((c) => c.lat !== null && c.lon !== null).sort((a, b) => a.lat! - b.lat!);
    located.forEach((c, i) => {
      let nearest = Infinity;
      const consider = (d: Commune) => {
        // Equirectangular distance is enough to find the neighbour; only its value is kept.
        const x = (d.lon! - c.lon!) * Math.cos(((c.lat! + d.lat!) / 2) * (Math.PI / 180));
        const y = d.lat! - c.lat!;
        nearest = Math.min(nearest, Math.sqrt(x * x + y * y) * 111.2);
      };
      for (let j = i + 1; j < located.length && (located[j]!.lat! - c.lat!) * 111.2 < nearest; j++) consider(located[j]!);
      for (let j = i - 1; j >= 0 && (c.lat! - located[j]!.lat!) * 111.2 < nearest; j--) consider(located[j]!);
      this.reach.set(c.code, Math.max(25, nearest));
    });
  }

}

/**
 * Words that begin many names, each spelled many ways ("Oulad", "Ouled", "Awlad", "أولاد"): one code each in a
 * place skeleton. Articles ("El", "Al") are left out: "Laayoune" is "El Aaiun".
 */
const NAME_WORDS: Record<string, string> = {
  ait: "@a", ayt: "@a", aith: "@a", "ايت": "@a",
  oulad: "@o", ouled: "@o", awlad: "@o", wlad: "@o", ulad: "@o", oled: "@o", "اولاد": "@o", "ولاد": "@o",
  bni: "@b", beni: "@b", bani: "@b", "بني": "@b",
  sidi: "@s", sid: "@s", "سيدي": "@s",
  ain: "@e", ayn: "@e", aine: "@e", "عين": "@e",
  moulay: "@m", mulay: "@m", "مولاي": "@m",
  lalla: "@l", lala: "@l", "لالة": "@l",
  el: SKELETON_SKIP, al: SKELETON_SKIP, le: SKELETON_SKIP, la: SKELETON_SKIP, l: SKELETON_SKIP, es: SKELETON_SKIP,
  ed: SKELETON_SKIP, er: SKELETON_SKIP, et: SKELETON_SKIP, ez: SKELETON_SKIP, en: SKELETON_SKIP, "ال": SKELETON_SKIP,
};

/**
 * The consonant skeleton of a place name (see arabizi.ts), or undefined when it is too short to tell names apart:
 * five letters at least, four with a name word ("Ait", "Oulad"), so that "Tata" or "Safi" are only matched as spelled.
 */
function placeSkeleton(phrase: string): string | undefined {
  const parts = phrase.split(" ").map((word) => NAME_WORDS[word] ?? skeleton(word));
  if (parts.includes("")) return undefined;
  const key = parts.filter((p) => p !== SKELETON_SKIP).join("").replace(/([^@])\1+/g, "$1");
  return key.length >= (key.includes("@") ? 4 : 5) ? key : undefined;
}

/**
 * The place cue just before a name ("à", "f", "from"), or attached to it in Arabic script ("فتاتا", "من", "لأكادير"),
 * or null. In Spanish and Portuguese "a" and "de" are articles and prepositions of everything, so they do not count.
 */
function cueBefore(hit: PhraseHit<string>, tokens: readonly string[], language: DetectedLanguage | undefined): string | null {
  const before = tokens[hit.start - 1];
  if (before !== undefined && PLACE_CUES.has(before) && !((language === "es" || language === "pt") && ARTICLE_CUES.has(before))) return before;
  const first = tokens[hit.start]!;
  const attached = /^(في|ف|ب|من|ل)/.exec(first)?.[1];
  return attached !== undefined && !hit.phrase.startsWith(first.slice(0, attached.length)) ? attached : null;
}
