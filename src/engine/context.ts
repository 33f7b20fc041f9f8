import type { Directory } from "../directory/directory.js";
import type { WeeklyHours } from "../directory/schema.js";
import type { Triage } from "../triage/triage.js";
import type { Flow } from "./flow.js";
import type { FollowupSettings } from "./followup-settings.js";

/** Every user-facing string, by language. Backed by i18next; the engine only sees this interface. */
export interface Translator {
  /** Languages a person can choose, in menu order. */
  readonly languages: readonly string[];
  readonly defaultLanguage: string;
  t(language: string, key: string, vars?: Record<string, string | number>): string;
  has(language: string, key: string): boolean;
  dir(language: string): "ltr" | "rtl";
  /** The BCP 47 locale for dates and numbers (e.g. "ar-MA", which keeps Western digits). */
  intlLocale(language: string): string;
  /** The language's name in itself: "Français", "العربية". */
  name(language: string): string;
}

/** An emergency number from `data/emergency.yaml`; its label is the locale key `common:emergency.service.<service>`. */
export interface EmergencyNumber {
  service: string;
  number: string;
}

/** Content loaded, validated and frozen once at start-up: flows, strings, triage data, emergency numbers. */
export interface Content {
  flows: ReadonlyMap<string, Flow>;
  /** The flow a new conversation starts in. */
  mainFlow: string;
  i18n: Translator;
  triage: Triage;
  emergency: readonly EmergencyNumber[];
  /** When and how referrals are followed up (`data/followup.yaml`). */
  followup: FollowupSettings;
  /** Changes whenever a content file changes; stored with nothing, logged for diagnosis. */
  version: string;
}

/**
 * What `step` may use besides the state and the message: content, the directory, the clock and an id source.
 * Passing the clock and ids in keeps the engine deterministic: the same inputs give the same outputs.
 */
export interface EngineContext {
  content: Content;
  directory: Directory;
  now: Date;
  newId: () => string;
  /** When facilitators answer (Africa/Casablanca); unset means always. */
  facilitatorHours?: WeeklyHours;
  /** The person's channel can reach them later (Telegram, WhatsApp; not the web chat): follow-ups may be offered. */
  canFollowUp?: boolean;
}
