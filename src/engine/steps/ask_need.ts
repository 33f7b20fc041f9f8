import { z } from "zod";
import { CATEGORIES, type Category } from "../../codes.js";
import { CONFIDENT, type TriageResult } from "../../triage/triage.js";
import { STEP_ID } from "../flow.js";
import { GLOBAL_CHOICE, type Run } from "../run.js";
import { categoryChoices, notUnderstood } from "./common.js";
import { WAIT, goto, type StepDef, type StepInput, type Transition } from "./types.js";

export const type = "ask_need";

/** Needs taken from one message at most: more would make the referral list too long to read on a phone. */
const MAX_NEEDS = 3;
const MORE = "more";

/**
 * Asks what the person needs: a button per category, or their own words triaged into ranked categories. When the
 * triage is unsure, it asks with the likely categories as buttons instead of guessing; after `max_misses` answers it
 * could not place, it goes to `on_fail` (a facilitator), or without it offers one as a button. A place named in the
 * same words ("un médecin à Inezgane") is kept.
 *
 * ```yaml
 * - id: need
 *   type: ask_need
 *   text: intake:need.prompt
 *   next: place
 * ```
 */
export const schema = z
  .object({
    id: z.string().regex(STEP_ID),
    type: z.literal(type),
    text: z.string().min(1),
    categories: z.array(z.enum(CATEGORIES)).min(1).default([...CATEGORIES]),
    max_misses: z.number().int().min(1).max(5).default(2),
    /** Where to go when the need could not be placed `max_misses` times (a facilitator); without it, a button offers one. */
    on_fail: z.string().optional(),
    next: z.string(),
  })
  .strict();
export type AskNeed = z.infer<typeof schema>;

function prompt(step: AskNeed, run: Run): void {
  const pending = run.state.pending;
  if (pending?.kind === "confirm_need") {
    const choices = [...categoryChoices(run, step.id, pending.candidates), run.choice(step.id, MORE, run.t("common:category_more"))];
    run.ask(run.t("steps:ask_need.confirm"), choices);
    return;
  }
  const choices = categoryChoices(run, step.id, step.categories);
  if (run.state.misses >= step.max_misses) {
    choices.push({ id: GLOBAL_CHOICE.human, label: run.t("common:talk_to_facilitator") });
    run.ask(run.t("steps:ask_need.offer_human"), choices);
    return;
  }
  run.ask(run.t(step.text), choices);
}

function accept(step: AskNeed, run: Run, categories: Category[]): Transition {
  const request = run.state.request;
  request.categories = categories.slice(0, MAX_NEEDS);
  run.state.pending = null;
  run.state.misses = 0;
  const names = run.list(request.categories.map((c) => run.t(`common:category.${c}`)));
  run.say({ text: run.t("steps:ask_need.understood", { categories: names }), role: "info" });
  return goto(step.next);
}

/** Also keep a place named in the same words, when it is not in doubt. */
function keepPlace(run: Run, triage: TriageResult): void {
  const place = triage.place;
  if (run.state.request.commune === null && place && !place.fuzzy && place.candidates.length === 1) {
    run.state.request.commune = place.candidates[0]!.code;
  }
}

/**
 * Categories the words point to, split into the ones to take and the ones to ask about. They are taken when the
 * triage's first category is sure; when it is not (a need only the learned model read, or thanks for help received
 * before a need named), the likely ones are asked about, the first one first, even if a later one is sure.
 */
function readNeeds(step: AskNeed, triage: TriageResult): { sure: Category[]; unsure: Category[] } {
  const offered = triage.categories.filter((c) => step.categories.includes(c.code));
  const isSure = (c: { code: Category; confidence: number }) => c.confidence >= CONFIDENT && c.code !== "other";
  const sure = offered.filter(isSure).map((c) => c.code);
  if (sure.length > 0 && isSure(offered[0]!)) return { sure, unsure: [] };
  return { sure: [], unsure: offered.slice(0, 3).map((c) => c.code) };
}

function resume(step: AskNeed, run: Run, input: StepInput): Transition {
  if (input.kind === "choice") {
    if (input.option === MORE) {
      run.state.pending = null;
      prompt(step, run);
      return WAIT;
    }
    return accept(step, run, [input.option as Category]);
  }
  if (input.kind === "location") {
    run.state.request.point = { lat: input.lat, lon: input.lon };
    prompt(step, run);
    return WAIT;
  }
  const { sure, unsure } = readNeeds(step, input.triage);
  keepPlace(run, input.triage);
  if (sure.length > 0) return accept(step, run, sure);
  if (unsure.length > 0) {
    run.state.pending = { kind: "confirm_need", candidates: unsure };
  } else {
    run.state.misses++;
    run.state.pending = null;
    if (run.state.misses >= step.max_misses) {
      run.state.request.triageFailed = true;
      if (step.on_fail) return goto(step.on_fail);
    }
    notUnderstood(run);
  }
  prompt(step, run);
  return WAIT;
}

export const askNeed: StepDef<AskNeed> = {
  schema,
  enter(step, run) {
    const request = run.state.request;
    if (request.categories.length > 0) return goto(step.next);
    const earlier = request.text;
    request.text = null;
    if (earlier !== null) {
      const triage = run.ctx.content.triage.analyse(earlier);
      const { sure } = readNeeds(step, triage);
      if (sure.length > 0) {
        keepPlace(run, triage);
        return accept(step, run, sure);
      }
    }
    prompt(step, run);
    return WAIT;
  },
  prompt,
  resume,
  references: (step) => ({
    steps: [step.next, ...(step.on_fail ? [step.on_fail] : [])],
    keys: [step.text, "steps:ask_need.confirm", "steps:ask_need.offer_human", "steps:ask_need.understood", "common:category_more", "common:talk_to_facilitator", ...step.categories.map((c) => `common:category.${c}`)],
  }),
};
