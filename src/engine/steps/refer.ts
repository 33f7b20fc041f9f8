import { z } from "zod";
import { findReferrals, type Referral } from "../../directory/referrals.js";
import { STEP_ID } from "../flow.js";
import { REFERRAL_CARD_KEYS, formatKm, referralCard } from "../referral-card.js";
import type { Run } from "../run.js";
import { logRequest } from "./common.js";
import { goto, type StepDef, type Transition } from "./types.js";

export const type = "refer";

/**
 * Offers up to `limit` services that serve the request's needs, nearest first (from the shared point, else the
 * commune's centre), as cards, and logs the request: `referred`, or `no_match` when nothing within `max_km` serves
 * the need — then the nearest migrant reception office (BAOM) is offered for general orientation, with the nearest
 * service for the need wherever it is. Never waits.
 *
 * ```yaml
 * - id: referral
 *   type: refer
 *   limit: 3
 *   max_km: 60
 *   next: after
 * ```
 */
export const schema = z
  .object({
    id: z.string().regex(STEP_ID),
    type: z.literal(type),
    limit: z.number().int().min(1).max(5).default(3),
    max_km: z.number().positive().max(1000).default(60),
    next: z.string(),
  })
  .strict();
export type Refer = z.infer<typeof schema>;

function execute(step: Refer, run: Run): Transition {
  const request = run.state.request;
  const commune = request.commune ? run.ctx.content.triage.gazetteer.get(request.commune) : undefined;
  const centre = commune && commune.lat !== null && commune.lon !== null ? { lat: commune.lat, lon: commune.lon } : null;
  const categories = request.categories.length > 0 ? request.categories : (["other"] as const);
  const result = findReferrals(run.ctx.directory, {
    categories,
    point: request.point ?? centre,
    sex: run.state.profile.sex ?? "not_asked",
    language: run.language,
    now: run.ctx.now,
    limit: step.limit,
    maxKm: step.max_km,
  });
  const needs = run.list(categories.map((c) => run.t(`common:category.${c}`)));
  const place = commune ? (run.language === "ar" ? commune.nameAr : commune.nameFr) : "";
  const offered: Referral[] = result.nearby.length > 0 ? [...result.nearby] : [result.orientation, result.farther].filter((r) => r !== null);
  if (result.nearby.length > 0) {
    run.say({ text: run.t(place ? "steps:refer.intro_near" : "steps:refer.intro", { needs, place }), role: "info" });
    result.nearby.forEach((r, i) => run.say(referralCard(run, r, i + 1)));
  } else if (offered.length === 0) {
    run.say({ text: run.t("steps:refer.none_at_all", { needs }), role: "info" });
  } else {
    run.say({ text: run.t(place ? "steps:refer.none_near" : "steps:refer.none", { needs, place, km: formatKm(run, step.max_km) }), role: "info" });
    // Nearest first: a far BAOM is no help when the service itself is closer.
    const parts = [
      { referral: result.orientation, intro: () => run.t("steps:refer.orientation") },
      { referral: result.farther, intro: () => run.t("steps:refer.farther", { need: run.t(`common:category.${result.farther!.category}`) }) },
    ].filter((p) => p.referral !== null).sort((a, b) => (a.referral!.km ?? 0) - (b.referral!.km ?? 0));
    parts.forEach((part, i) => {
      run.say({ text: part.intro(), role: "info" });
      run.say(referralCard(run, part.referral!, i + 1));
    });
    offered.splice(0, offered.length, ...parts.map((p) => p.referral!));
  }
  request.referrals = offered.map((r) => r.service.id);
  logRequest(run, result.nearby.length > 0 ? "referred" : "no_match");
  return goto(step.next);
}

export const refer: StepDef<Refer> = {
  schema,
  enter: execute,
  prompt: () => {},
  resume: (step, run) => execute(step, run),
  references: (step) => ({
    steps: [step.next],
    keys: ["steps:refer.intro", "steps:refer.intro_near", "steps:refer.none", "steps:refer.none_near", "steps:refer.none_at_all", "steps:refer.orientation", "steps:refer.farther", ...REFERRAL_CARD_KEYS],
  }),
};
