/**
 * The stable codes of Dalil. Storage, reports and exports depend on them: add codes, never rename one.
 * Meanings: see README ("Codes") and the locale keys `category.*`, `sex.*`, `age_band.*`, `status.*`.
 */

/** Need categories a request is triaged into. `other` is general orientation ("what is a BAOM"). */
export const CATEGORIES = [
  "health",
  "legal",
  "protection",
  "shelter",
  "basic_needs",
  "employment",
  "education",
  "return",
  "diaspora",
  "other",
] as const;
export type Category = (typeof CATEGORIES)[number];

/** Sex of the person writing, never inferred. `not_asked` is written to the log when the question was never reached. */
export const SEXES = ["female", "male", "undisclosed"] as const;
export type Sex = (typeof SEXES)[number];

/** UNHCR demographic bands: the band is stored, never the exact age. */
export const AGE_BANDS = ["0-4", "5-11", "12-17", "18-59", "60+", "undisclosed"] as const;
export type AgeBand = (typeof AGE_BANDS)[number];

export const STATUSES = ["migrant", "refugee_asylum", "mre", "mre_returnee", "mre_family", "undisclosed"] as const;
export type Status = (typeof STATUSES)[number];

/** Populations a service serves (directory), wider than the person's status. */
export const POPULATIONS = [
  "migrant",
  "refugee_asylum",
  "mre",
  "mre_returnee",
  "mre_family",
  "women_only",
  "children",
] as const;
export type Population = (typeof POPULATIONS)[number];

/** The profile questions a flow may ask, and the codes each accepts. */
export const PROFILE_FIELDS = {
  sex: SEXES,
  age_band: AGE_BANDS,
  status: STATUSES,
} as const;
export type ProfileField = keyof typeof PROFILE_FIELDS;
export type Profile = { sex?: Sex; age_band?: AgeBand; status?: Status };

/** Written to the request log for a profile question that was never reached. */
export const NOT_ASKED = "not_asked" as const;

export const CHANNELS = ["web", "telegram", "whatsapp"] as const;
export type Channel = (typeof CHANNELS)[number];

export const OUTCOMES = ["referred", "no_match", "handoff_requested", "abandoned"] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** Languages the triage can tell apart. `ar` includes Darija in Arabic script; `ar-Latn` is Darija in Latin letters. */
export const DETECTED_LANGUAGES = ["fr", "en", "ar", "ar-Latn", "es", "pt", "und"] as const;
export type DetectedLanguage = (typeof DETECTED_LANGUAGES)[number];

/** Danger signals that put emergency numbers before anything else. */
export const URGENT_SIGNALS = [
  "violence_now",
  "sexual_violence",
  "threat_to_life",
  "trafficking",
  "child_alone",
  "medical_emergency",
  "suicide",
] as const;
export type UrgentSignal = (typeof URGENT_SIGNALS)[number];

/** The time zone of every local date and opening hour. Its UTC offset changes around Ramadan. */
export const TIME_ZONE = "Africa/Casablanca";

export function isOneOf<T extends string>(values: readonly T[], value: unknown): value is T {
  return typeof value === "string" && (values as readonly string[]).includes(value);
}
