import { z } from "zod";
import { PROFILE_FIELDS, type ProfileField } from "../../codes.js";
import { normalise } from "../../triage/normalise.js";
import { OPTION_ID, STEP_ID } from "../flow.js";
import type { Run } from "../run.js";
import { notUnderstood, startNewRequest } from "./common.js";
import { WAIT, goto, type StepDef, type StepInput, type Transition } from "./types.js";

export const type = "ask_choice";

/** The option every skippable question adds, saved as `undisclosed`. */
const SKIP = "undisclosed";

const optionSchema = z
  .object({
    id: z.string().regex(OPTION_ID, "option ids are 1–24 characters of a-z 0-9 _ + -"),
    label: z.string().min(1),
    /** Where this option leads; the step's `next` otherwise. */
    next: z.string().optional(),
    /** `new_request`: forget the request in progress before going on (the profile stays). */
    action: z.enum(["new_request"]).optional(),
  })
  .strict();

/**
 * Asks a question with buttons. With `save_as`, the answer is a profile code (sex, age band, status) and the option
 * ids must be codes of that field; `skippable` adds "prefer not to say" (`undisclosed`); `ask_once` skips the
 * question when the person already answered it in this conversation. A typed answer that is an option's label
 * counts as that option.
 *
 * ```yaml
 * - id: sex
 *   type: ask_choice
 *   text: intake:profile.sex
 *   save_as: sex
 *   skippable: true
 *   ask_once: true
 *   options:
 *     - { id: female, label: common:sex.female }
 *     - { id: male, label: common:sex.male }
 *   next: age_band
 * ```
 */
export const schema = z
  .object({
    id: z.string().regex(STEP_ID),
    type: z.literal(type),
    text: z.string().min(1),
    options: z.array(optionSchema).min(1).max(12),
    save_as: z.enum(Object.keys(PROFILE_FIELDS) as [ProfileField, ...ProfileField[]]).optional(),
    skippable: z.boolean().default(false),
    ask_once: z.boolean().default(false),
    next: z.string(),
  })
  .strict()
  .superRefine((step, ctx) => {
    if (step.save_as) {
      const codes: readonly string[] = PROFILE_FIELDS[step.save_as];
      step.options.forEach((o, i) => {
        if (!codes.includes(o.id)) {
          ctx.addIssue({ code: "custom", path: ["options", i, "id"], message: `Invalid option for save_as "${step.save_as}": expected one of ${codes.map((c) => `"${c}"`).join(", ")}, received "${o.id}"` });
        }
      });
    }
    const ids = step.options.map((o) => o.id);
    ids.forEach((id, i) => {
      if (ids.indexOf(id) !== i) ctx.addIssue({ code: "custom", path: ["options", i, "id"], message: `Duplicate option id "${id}"` });
    });
  });
export type AskChoice = z.infer<typeof schema>;

function options(step: AskChoice): { id: string; label: string; next?: string; action?: "new_request" }[] {
  return step.skippable ? [...step.options, { id: SKIP, label: "common:prefer_not_to_say" }] : step.options;
}

function prompt(step: AskChoice, run: Run): void {
  run.ask(
    run.t(step.text),
    options(step).map((o) => run.choice(step.id, o.id, run.t(o.label))),
  );
}

function pick(step: AskChoice, run: Run, optionId: string): Transition {
  const option = options(step).find((o) => o.id === optionId);
  if (!option) {
    prompt(step, run);
    return WAIT;
  }
  if (step.save_as) (run.state.profile as Record<string, string>)[step.save_as] = option.id;
  if (option.action === "new_request") startNewRequest(run);
  run.state.misses = 0;
  return goto(option.next ?? step.next);
}

function resume(step: AskChoice, run: Run, input: StepInput): Transition {
  if (input.kind === "choice") return pick(step, run, input.option);
  if (input.kind === "text") {
    const typed = normalise(input.text);
    const match = options(step).find((o) => normalise(run.t(o.label)) === typed || o.id === typed);
    if (match) return pick(step, run, match.id);
  }
  run.state.misses++;
  notUnderstood(run);
  prompt(step, run);
  return WAIT;
}

export const askChoice: StepDef<AskChoice> = {
  schema,
  enter(step, run) {
    if (step.ask_once && step.save_as && run.state.profile[step.save_as] !== undefined) return goto(step.next);
    prompt(step, run);
    return WAIT;
  },
  prompt,
  resume,
  references: (step) => ({
    steps: [step.next, ...step.options.flatMap((o) => (o.next ? [o.next] : []))],
    keys: [step.text, ...options(step).map((o) => o.label)],
  }),
};
