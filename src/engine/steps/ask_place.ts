import { z } from "zod";
import type { Commune } from "../../triage/gazetteer.js";
import { STEP_ID } from "../flow.js";
import type { Run } from "../run.js";
import { WAIT, goto, type StepDef, type StepInput, type Transition } from "./types.js";

export const type = "ask_place";

const NONE = "none";
const COMMUNE_CODE = /^\d{2}\.\d{3}\.\d{2}\.\d{1,2}$/;
/** Commune codes travel in choice ids with dashes: option ids allow no dots. */
const toOption = (code: string) => `c${code.replaceAll(".", "-")}`;
const fromOption = (option: string) => option.slice(1).replaceAll("-", ".");

/**
 * Asks where the person is: a commune or town typed any common way, or a shared location. Names shared by several
 * communes, and typos, are confirmed with buttons. A place outside the regions the directory covers gets an honest
 * word and the conversation goes on (referrals then show the nearest services and how far they are); a point
 * outside the country is refused politely. After a miss, the `suggest`ed towns are offered as buttons.
 *
 * ```yaml
 * - id: place
 *   type: ask_place
 *   text: intake:place.prompt
 *   suggest: ["09.001.01.01", "02.411.01.23"]   # Agadir, Oujda
 *   next: sex
 * ```
 */
export const schema = z
  .object({
    id: z.string().regex(STEP_ID),
    type: z.literal(type),
    text: z.string().min(1),
    suggest: z.array(z.string().regex(COMMUNE_CODE, "an HCP commune code such as 09.273.01.15")).max(12).default([]),
    next: z.string(),
  })
  .strict();
export type AskPlace = z.infer<typeof schema>;

function label(run: Run, commune: Commune): string {
  const ar = run.language === "ar";
  return `${ar ? commune.nameAr : commune.nameFr} (${ar ? commune.provinceAr : commune.provinceFr})`;
}

function prompt(step: AskPlace, run: Run): void {
  const gazetteer = run.ctx.content.triage.gazetteer;
  const pending = run.state.pending;
  if (pending?.kind === "pick_place") {
    const choices = pending.candidates.flatMap((code) => {
      const commune = gazetteer.get(code);
      return commune ? [run.choice(step.id, toOption(code), label(run, commune))] : [];
    });
    choices.push(run.choice(step.id, NONE, run.t("steps:ask_place.none_of_these")));
    run.ask(run.t("steps:ask_place.which"), choices);
    return;
  }
  const suggestions =
    run.state.misses > 0
      ? step.suggest.flatMap((code) => {
          const commune = gazetteer.get(code);
          return commune ? [run.choice(step.id, toOption(code), run.language === "ar" ? commune.nameAr : commune.nameFr)] : [];
        })
      : [];
  run.ask(run.t(step.text), suggestions, { askLocation: { label: run.t("common:share_location") } });
}

/** Tell the person honestly when the directory has nothing in their region yet. */
function noteCoverage(run: Run, commune: Commune): void {
  if (run.ctx.directory.coveredRegions().has(commune.regionCode)) return;
  const ar = run.language === "ar";
  run.say({
    text: run.t("steps:ask_place.outside_coverage", { place: ar ? commune.nameAr : commune.nameFr, region: ar ? commune.regionAr : commune.regionFr }),
    role: "notice",
  });
}

function settle(step: AskPlace, run: Run, commune: Commune): Transition {
  run.state.request.commune = commune.code;
  run.state.pending = null;
  run.state.misses = 0;
  noteCoverage(run, commune);
  return goto(step.next);
}

function resume(step: AskPlace, run: Run, input: StepInput): Transition {
  const gazetteer = run.ctx.content.triage.gazetteer;
  if (input.kind === "choice") {
    const commune = input.option === NONE ? undefined : gazetteer.get(fromOption(input.option));
    if (commune) return settle(step, run, commune);
    run.state.pending = null;
    prompt(step, run);
    return WAIT;
  }
  if (input.kind === "location") {
    const near = gazetteer.nearest(input.lat, input.lon);
    if (!near) {
      run.say({ text: run.t("steps:ask_place.outside_country"), role: "notice" });
      prompt(step, run);
      return WAIT;
    }
    run.state.request.point = { lat: input.lat, lon: input.lon };
    return settle(step, run, near.commune);
  }
  const found = gazetteer.find(input.text, { expectingPlace: true });
  if (found && found.candidates.length === 1 && !found.fuzzy) return settle(step, run, found.candidates[0]!);
  if (found && found.candidates.length > 0) {
    run.state.pending = { kind: "pick_place", candidates: found.candidates.slice(0, 6).map((c) => c.code) };
  } else {
    run.state.misses++;
    run.state.pending = null;
    run.say({ text: run.t("steps:ask_place.not_found"), role: "notice" });
  }
  prompt(step, run);
  return WAIT;
}

export const askPlace: StepDef<AskPlace> = {
  schema,
  enter(step, run) {
    const request = run.state.request;
    const gazetteer = run.ctx.content.triage.gazetteer;
    if (request.commune === null && request.point !== null) {
      const near = gazetteer.nearest(request.point.lat, request.point.lon);
      if (near) return settle(step, run, near.commune);
      request.point = null;
    }
    const known = request.commune ? gazetteer.get(request.commune) : undefined;
    if (known) return settle(step, run, known);
    prompt(step, run);
    return WAIT;
  },
  prompt,
  resume,
  references: (step) => ({
    steps: [step.next],
    keys: [step.text, "steps:ask_place.which", "steps:ask_place.none_of_these", "steps:ask_place.outside_coverage", "steps:ask_place.outside_country", "steps:ask_place.not_found"],
  }),
};
