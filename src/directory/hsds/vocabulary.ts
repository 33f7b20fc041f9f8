import { CATEGORIES, POPULATIONS } from "../../codes.js";
import { hsdsId } from "./ids.js";

/**
 * Dalil's taxonomies in HSDS: what HSDS has no field for travels as attributes whose taxonomy term names a Dalil code.
 * A term's `code` is `<taxonomy>:<value>` (the datapackage wants codes unique across all taxonomies, and "other" is
 * both a need category and an organisation kind); its `name` is the bare value.
 */
export const TAXONOMIES = {
  "dalil:id": "Dalil's own identifier of the record (the attribute's value); the record's HSDS id is a UUID derived from it.",
  "dalil:category": "Needs a service meets, as Dalil's referral categories.",
  "dalil:population": "Groups of people a service is for.",
  "dalil:organisation_kind": "What kind of organisation it is.",
  "dalil:cost": "Whether people pay for the service.",
  "dalil:text": "A text in several languages: the term names the field and the language, the attribute's value holds the text.",
  "dalil:verified_by": "Who last checked the entry with the service (the attribute's value), when that is not an e-mail address.",
} as const;
export type TaxonomyName = keyof typeof TAXONOMIES;

const CATEGORY_TERMS: Record<(typeof CATEGORIES)[number], string> = {
  health: "Health care",
  legal: "Legal aid: residence papers, asylum, civil registration",
  protection: "Protection from violence, trafficking and exploitation",
  shelter: "Shelter",
  basic_needs: "Food, clothes, hygiene and other basic needs",
  employment: "Work and vocational training",
  education: "School and learning",
  return: "Voluntary return and reintegration",
  diaspora: "Services for Moroccans living abroad",
  other: "General information and orientation",
};
const POPULATION_TERMS: Record<(typeof POPULATIONS)[number], string> = {
  migrant: "Migrants",
  refugee_asylum: "Refugees and asylum seekers",
  mre: "Moroccans living abroad",
  mre_returnee: "Moroccans back from abroad",
  mre_family: "Families of Moroccans living abroad",
  women_only: "For women only",
  children: "Children",
};
export const ORGANISATION_KINDS = {
  baom: "Migrant reception and orientation office (BAOM)",
  association: "Association",
  public: "Public service",
  international: "International organisation",
  other: "Other organisation",
} as const;
export const COSTS = { free: "Free", paid: "Paid", mixed: "Free for some people, paid for others" } as const;

/** The values a taxonomy allows, with their descriptions; null for taxonomies whose value is free text. */
export const TERMS: Record<TaxonomyName, Readonly<Record<string, string>> | null> = {
  "dalil:id": null,
  "dalil:category": CATEGORY_TERMS,
  "dalil:population": POPULATION_TERMS,
  "dalil:organisation_kind": ORGANISATION_KINDS,
  "dalil:cost": COSTS,
  "dalil:text": null,
  "dalil:verified_by": null,
};

/** What one attribute says, in Dalil's terms: `dalil:category` / `health`; `dalil:text` / `name.ar` with a value. */
export interface Tag {
  taxonomy: TaxonomyName;
  /** The term: a code ("health"), a text field with its language ("name.ar"), or the taxonomy's short name. */
  term: string;
  language?: string;
  /** The attribute's value: the text, the id, the name of who verified. */
  value?: string;
}

const languageNames = new Intl.DisplayNames(["en"], { type: "language", fallback: "none" });

/** A language's English name ("zgh" → "Standard Moroccan Tamazight"), when Intl knows the code. */
export function englishName(code: string): string | undefined {
  try {
    return languageNames.of(code);
  } catch {
    return undefined; // Not a code Intl accepts: the code alone still identifies the language.
  }
}

const shortName = (taxonomy: TaxonomyName) => taxonomy.slice("dalil:".length);

/** The taxonomy object HSDS nests in a term (`taxonomy_detail`) and lists in taxonomies.csv. */
export function taxonomyObject(taxonomy: TaxonomyName): { id: string; name: string; description: string } {
  return { id: hsdsId(`taxonomy:${taxonomy}`), name: taxonomy, description: TAXONOMIES[taxonomy] };
}

/** The HSDS taxonomy term of a tag: same tag, same term id, in every record and every export. */
export function termObject(tag: Tag): Record<string, unknown> {
  const code = `${tag.taxonomy}:${tag.term}`;
  const detail = taxonomyObject(tag.taxonomy);
  const known = TERMS[tag.taxonomy]?.[tag.term];
  const description = known ?? (tag.taxonomy === "dalil:text" ? `The ${tag.term.split(".")[0]}, ${tag.language ? `in ${englishName(tag.language) ?? tag.language}` : "in a single language"}` : TAXONOMIES[tag.taxonomy]);
  return {
    id: hsdsId(`taxonomy_term:${code}`),
    code,
    name: tag.term,
    description,
    taxonomy: tag.taxonomy,
    taxonomy_id: detail.id,
    ...(tag.language ? { language: tag.language } : {}),
    taxonomy_detail: detail,
  };
}

/** The `link_type` Dalil writes: the taxonomy's short name ("category", "text"); HSDS leaves the codelist open. */
export function linkType(taxonomy: TaxonomyName): string {
  return shortName(taxonomy);
}

/** Reads a term back as a tag; null for a term of another taxonomy (kept out of Dalil, not an error). */
export function tagOf(term: Record<string, unknown> | undefined, value: unknown): Tag | null {
  if (!term) return null;
  const taxonomy = taxonomyNameOf(term);
  if (!taxonomy || !(taxonomy in TAXONOMIES)) return null;
  const name = taxonomy as TaxonomyName;
  const code = typeof term.code === "string" ? term.code : typeof term.name === "string" ? term.name : "";
  const bare = code.startsWith(`${name}:`) ? code.slice(name.length + 1) : code;
  return {
    taxonomy: name,
    term: bare,
    ...(typeof term.language === "string" && term.language !== "" ? { language: term.language } : {}),
    ...(typeof value === "string" ? { value } : {}),
  };
}

/** A term's taxonomy: its `taxonomy` (a name, or the nested object of schema 3.0), else `taxonomy_detail`. */
export function taxonomyNameOf(term: Record<string, unknown>): string | undefined {
  const t = term.taxonomy;
  if (typeof t === "string" && t !== "") return t;
  if (t && typeof t === "object" && typeof (t as { name?: unknown }).name === "string") return (t as { name: string }).name;
  const detail = term.taxonomy_detail as { name?: unknown } | undefined;
  return typeof detail?.name === "string" ? detail.name : undefined;
}
