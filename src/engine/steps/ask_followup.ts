import { z } from "zod";
import { normalise } from "../../triage/normalise.js";
import { STEP_ID } from "../flow.js";
import { followupDays } from "../followup-settings.js";
import type { Run } from "../run.js";
import { notUnderstood, organisationOf } from "./common.js";
import { WAIT, goto, type StepDef, type StepInput, type Transition } from "./types.js";

export const type = "ask_followup";

const DAY_MS = 86_400_000;

/**
 * After a referral, asks whether Dalil may write again in a few days to ask if the person reached the first service
 * offered (days: `data/followup.yaml`, by need). Yes schedules the follow-up (`followup_scheduled`); no changes
 * nothing else. The answer is kept with the conversation, so later referrals in it are followed up (or not) without
 * asking again. Skipped, without a word, on channels that cannot reach a person later (the web chat), when nothing
 * was referred, and after "stop asking".
 *
 * ```yaml
 * - id: followup
 *   type: ask_followup
 *   text: intake:followup.ask
 *   yes: intake:followup.yes
 *   no: intake:followup.no
 *   confirmed: intake:followup.confirmed
 *   next: after
 * ```
 */
export const schema = z
  .object({
    id: z.string().regex(STEP_ID),
    type: z.literal(type),
    /** The question; `{{when}}` ("in 3 days", "tomorrow") and `{{service}}` are filled in. */
    text: z.string().min(1),
    yes: z.string().min(1),
    no: z.string().min(1),
    /** Said once the follow-up is scheduled; `{{when}}` is filled in. */
    confirmed: z.string().min(1),
    next: z.string(),
  })
  .strict();
export type AskFollowup = z.infer<typeof schema>;

function applies(run: Run): boolean {
  const request = run.state.request;
  return run.ctx.canFollowUp === true && request.loggedId !== null && request.referrals.length > 0 && run.state.followup.consent !== false;
}

function days(run: Run): number {
  return followupDays(run.ctx.content.followup, run.state.request.categories);
}

/** "in 3 days", "tomorrow", "dans 3 jours", "غدا": the language's own words through Intl. */
function when(run: Run): string {
  return new Intl.RelativeTimeFormat(run.ctx.content.i18n.intlLocale(run.language), { numeric: "auto" }).format(days(run), "day");
}

function prompt(step: AskFollowup, run: Run): void {
  run.ask(run.t(step.text, { when: when(run), service: organisationOf(run, run.state.request.referrals[0]!) }), [run.choice(step.id, "yes", run.t(step.yes)), run.choice(step.id, "no", run.t(step.no))]);
}

function schedule(step: AskFollowup, run: Run): Transition {
  const request = run.state.request;
  run.emit({ type: "followup_scheduled", requestId: request.loggedId!, serviceId: request.referrals[0]!, dueAt: new Date(run.ctx.now.getTime() + days(run) * DAY_MS).toISOString() });
  run.say({ text: run.t(step.confirmed, { when: when(run) }), role: "info" });
  return goto(step.next);
}

function answer(step: AskFollowup, run: Run, yes: boolean): Transition {
  run.state.followup = { ...run.state.followup, consent: yes };
  return yes ? schedule(step, run) : goto(step.next);
}

function resume(step: AskFollowup, run: Run, input: StepInput): Transition {
  if (!applies(run)) return goto(step.next);
  if (input.kind === "choice" && (input.option === "yes" || input.option === "no")) return answer(step, run, input.option === "yes");
  if (input.kind === "text") {
    const typed = normalise(input.text);
    if (typed === normalise(run.t(step.yes))) return answer(step, run, true);
    if (typed === normalise(run.t(step.no))) return answer(step, run, false);
  }
  run.state.misses++;
  notUnderstood(run);
  prompt(step, run);
  return WAIT;
}

export const askFollowup: StepDef<AskFollowup> = {
  schema,
  enter(step, run) {
    if (!applies(run)) return goto(step.next);
    if (run.state.followup.consent === true) return schedule(step, run);
    prompt(step, run);
    return WAIT;
  },
  prompt,
  resume,
  references: (step) => ({ steps: [step.next], keys: [step.text, step.yes, step.no, step.confirmed] }),
};
