import { z } from "zod";
import { STEP_ID } from "../flow.js";
import { clip, isBlank } from "../text.js";
import type { Run } from "../run.js";
import { WAIT, goto, type StepDef, type StepInput, type Transition } from "./types.js";

export const type = "message";

/**
 * Says something. With `continue`, waits for the person to press it (or to write anything, which is kept for the
 * next question: someone who types their need instead of pressing "Continue" has answered it); without, goes
 * straight on.
 *
 * ```yaml
 * - id: privacy
 *   type: message
 *   text: intake:privacy.text
 *   continue: intake:privacy.continue
 *   next: need
 * ```
 */
export const schema = z
  .object({
    id: z.string().regex(STEP_ID),
    type: z.literal(type),
    text: z.string().min(1),
    continue: z.string().min(1).optional(),
    next: z.string(),
  })
  .strict();
export type MessageStep = z.infer<typeof schema>;

function prompt(step: MessageStep, run: Run): void {
  if (step.continue === undefined) run.say({ text: run.t(step.text), role: "info" });
  else run.ask(run.t(step.text), [run.choice(step.id, "continue", run.t(step.continue))]);
}

function resume(step: MessageStep, run: Run, input: StepInput): Transition {
  if (input.kind === "text" && !isBlank(input.text)) run.state.request.text = clip(input.text, 500);
  if (input.kind === "location") run.state.request.point = { lat: input.lat, lon: input.lon };
  return goto(step.next);
}

export const message: StepDef<MessageStep> = {
  schema,
  enter(step, run) {
    prompt(step, run);
    return step.continue === undefined ? goto(step.next) : WAIT;
  },
  prompt,
  resume,
  references: (step) => ({ steps: [step.next], keys: [step.text, ...(step.continue ? [step.continue] : [])] }),
};
