import { organisationSchema } from "../schema.js";
import type { LocalizedText } from "../schema.js";
import { checkRequired, child, children, idOf, text, type HsdsDataset, type HsdsObject } from "./dataset.js";
import { linkEntityProblem, requiredFields } from "./spec.js";
import { tagOf, TAXONOMIES, taxonomyNameOf, TERMS, type Tag, type TaxonomyName } from "./vocabulary.js";

/**
 * What an HSDS record says in Dalil's vocabulary: its `dalil:*` attributes read back as tags, its Dalil id, its
 * texts in several languages. Attributes of other taxonomies are someone else's vocabulary: kept out, not errors.
 */
export class RecordTags {
  readonly tags: Tag[] = [];
  private readonly attributeOf = new Map<Tag, HsdsObject>();

  constructor(
    private readonly dataset: HsdsDataset,
    readonly record: HsdsObject,
  ) {
    const { issues } = dataset;
    for (const attribute of children(record, "attributes")) {
      const term = child(attribute, "taxonomy_term");
      if (dataset.form === "json") {
        checkRequired(issues, attribute, requiredFields("attribute", "json"));
        if (term) checkRequired(issues, term, requiredFields("taxonomy_term", "json"));
        const problem = attribute.link_entity === undefined ? null : linkEntityProblem(String(attribute.link_entity));
        if (problem) issues.at(attribute, "link_entity", problem);
      }
      if (!term) {
        if (dataset.form === "json") issues.at(attribute, "taxonomy_term", "An attribute needs its taxonomy_term");
        continue;
      }
      const name = taxonomyNameOf(term);
      const tag = tagOf(term, attribute.value);
      if (!tag) {
        if (name?.startsWith("dalil:")) issues.at(attribute, "taxonomy_term", `Unknown Dalil taxonomy "${name}": expected one of ${Object.keys(TAXONOMIES).join(", ")}`);
        continue;
      }
      const allowed = TERMS[tag.taxonomy];
      if (allowed && !(tag.term in allowed)) {
        issues.at(attribute, "taxonomy_term", `Unknown ${tag.taxonomy} term "${tag.term}": expected one of ${Object.keys(allowed).join(", ")}`);
        continue;
      }
      if (!allowed && tag.value === undefined) {
        issues.at(attribute, "value", `A ${tag.taxonomy} attribute carries its text in "value"`);
        continue;
      }
      this.tags.push(tag);
      this.attributeOf.set(tag, attribute);
    }
  }

  /** The terms of a taxonomy, in order, each once (the database keeps one row per code). */
  terms(taxonomy: TaxonomyName): string[] {
    return [...new Set(this.tags.filter((t) => t.taxonomy === taxonomy).map((t) => t.term))];
  }

  /** The one term of a taxonomy that allows only one (cost, kind); a second, different one is a problem. */
  single(taxonomy: TaxonomyName): string | undefined {
    const terms = this.terms(taxonomy);
    const second = this.tags.find((t) => t.taxonomy === taxonomy && t.term !== terms[0]);
    if (second) this.dataset.issues.at(this.attributeOf.get(second)!, "taxonomy_term", `A record has one ${taxonomy}: found ${terms.join(", ")}`);
    return terms[0];
  }

  value(taxonomy: TaxonomyName): string | undefined {
    return this.tags.find((t) => t.taxonomy === taxonomy)?.value;
  }

  /**
   * A text: whole from `dalil:text` attributes (`name` alone, or `name.fr`, `name.ar`...) when there are some, else
   * the HSDS field as it is.
   */
  text(field: string, hsdsField: string | null = field): LocalizedText | undefined {
    const texts = this.tags.filter((t) => t.taxonomy === "dalil:text" && (t.term === field || t.term.startsWith(`${field}.`)));
    const single = texts.find((t) => t.term === field);
    if (single) return single.value;
    if (texts.length > 0) return Object.fromEntries(texts.map((t) => [t.term.slice(field.length + 1), t.value!]));
    return hsdsField === null ? undefined : text(this.record[hsdsField]);
  }

  /**
   * The record's Dalil id: its `dalil:id` attribute, else its HSDS id lowercased. Reported when it cannot be one;
   * `lowercased` collects the ids that were written in capitals.
   */
  dalilId(lowercased: Set<string>): string {
    const own = this.value("dalil:id");
    const hsds = text(this.record.id);
    const id = own ?? idOf(hsds) ?? "";
    if (own === undefined && hsds !== undefined && hsds !== id) lowercased.add(hsds);
    const check = organisationSchema.shape.id.safeParse(id);
    if (hsds !== undefined && !check.success) {
      const field = own !== undefined ? ["attributes"] : ["id"];
      this.dataset.issues.at(this.record, field, `Cannot be a Dalil id: "${id}" (${check.error.issues[0]?.message ?? "invalid"}); give the record a dalil:id attribute`);
    }
    return id;
  }
}
