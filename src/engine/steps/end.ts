import { z } from "zod";
import { STEP_ID } from "../flow.js";
import { clip } from "../text.js";
import { startNewRequest } from "./common.js";
import { WAIT, goto, type StepDef } from "./types.js";

export const type = "end";

/**
 * Says goodbye and waits. Whatever the person writes next starts a new request at the flow's menu step; their words
 * are kept for it, so "I also need a place to sleep" is read as the new need.
 *
 * ```yaml
 * - id: goodbye
 *   type: end
 *   text: intake:goodbye
 * ```
 */
export const schema = z
  .object({
    id: z.string().regex(STEP_ID),
    type: z.literal(type),
    text: z.string().min(1),
    /** Where the next message leads; the flow's menu step by default. */
    next: z.string().optional(),
  })
  .strict();
export type End = z.infer<typeof schema>;

export const end: StepDef<End> = {
  schema,
  enter(step, run) {
    run.state.offered = [];
    run.say({ text: run.t(step.text), role: "info" });
    return WAIT;
  },
  prompt(step, run) {
    run.say({ text: run.t(step.text), role: "info" });
  },
  resume(step, run, input) {
    startNewRequest(run);
    if (input.kind === "text") run.state.request.text = clip(input.text, 500);
    if (input.kind === "location") run.state.request.point = { lat: input.lat, lon: input.lon };
    return goto(step.next ?? run.flow.menu);
  },
  references: (step) => ({ steps: step.next ? [step.next] : [], keys: [step.text] }),
};
