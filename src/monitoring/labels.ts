import { localized, type Directory } from "../directory/directory.js";
import type { Content } from "../engine/context.js";
import { normalise } from "../triage/normalise.js";
import type { Dimension } from "./dimensions.js";
import type { Labeler } from "./export.js";

/** A service as staff know it: "BAOM d'Inezgane (exemple) — Accueil et orientation des migrants"; its id if unknown. */
export function serviceName(directory: Directory | undefined, id: string, language: string): string {
  const s = directory?.get(id);
  return s ? `${s.organisation.name} — ${localized(s.name, language)}` : id;
}

/**
 * Names for the codes of each dimension, in one language (places in French or Arabic, from the gazetteer; services
 * from the directory when one is given, else their ids).
 */
export function createLabeler(content: Content, language: string, directory?: Directory): Labeler {
  const { i18n } = content;
  const gazetteer = content.triage.gazetteer;
  const regions = new Map<string, string>();
  const provinces = new Map<string, string>();
  for (const c of gazetteer.communes) {
    regions.set(c.regionCode, language === "ar" ? c.regionAr : c.regionFr);
    provinces.set(c.provinceCode, language === "ar" ? c.provinceAr : c.provinceFr);
  }
  const keyed: Partial<Record<Dimension, string>> = { category: "common:category", sex: "common:sex", age_band: "common:age_band", status: "common:status", outcome: "staff:outcome", handoff_outcome: "handoff:outcome", reason: "staff:followup.reason" };
  return (dimension, code) => {
    if (code === null) return "—";
    if (dimension === "service") return serviceName(directory, code, language);
    if (dimension === "followup" && i18n.has(language, `staff:followup.outcome.${code}`)) return i18n.t(language, `staff:followup.outcome.${code}`);
    if (code === "not_asked") return i18n.t(language, "staff:not_asked");
    const prefix = keyed[dimension];
    if (prefix && i18n.has(language, `${prefix}.${code}`)) return i18n.t(language, `${prefix}.${code}`);
    if (dimension === "region") return regions.get(code) ?? code;
    if (dimension === "province") return provinces.get(code) ?? code;
    if (dimension === "commune") {
      const c = gazetteer.get(code);
      return c ? (language === "ar" ? c.nameAr : c.nameFr) : code;
    }
    if (dimension === "language") return i18n.languages.includes(code) ? i18n.name(code) : code;
    if (dimension === "urgent") return code === "1" ? i18n.t(language, "staff:urgent_yes") : i18n.t(language, "staff:urgent_no");
    return code;
  };
}

/** A region by HCP code ("09") or name ("Souss-Massa", "souss massa", "سوس ماسة"). */
export function findRegion(content: Content, query: string): string | null {
  const wanted = normalise(query);
  for (const c of content.triage.gazetteer.communes) {
    if (c.regionCode === query.trim() || normalise(c.regionFr) === wanted || normalise(c.regionAr) === wanted) return c.regionCode;
  }
  return null;
}
