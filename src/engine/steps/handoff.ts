import { z } from "zod";
import { STEP_ID } from "../flow.js";
import type { Run } from "../run.js";
import { CONFIDENT } from "../../triage/triage.js";
import { logRequest } from "./common.js";
import { goto, type StepDef, type Transition } from "./types.js";

export const type = "handoff";

/**
 * Records that the person wants a facilitator (a `handoff_wished` event for the handoff service) and tells them
 * honestly what happens next. Asking for a person is a request: one not yet logged is logged first, as
 * `handoff_requested` (with the needs read from words the person wrote earlier, else `other`), so that the wish
 * refers to it. Never waits.
 *
 * ```yaml
 * - id: handoff
 *   type: handoff
 *   text: intake:handoff.noted
 *   next: goodbye
 * ```
 */
export const schema = z
  .object({
    id: z.string().regex(STEP_ID),
    type: z.literal(type),
    text: z.string().min(1),
    next: z.string(),
  })
  .strict();
export type Handoff = z.infer<typeof schema>;

function execute(step: Handoff, run: Run): Transition {
  const request = run.state.request;
  if (request.loggedId === null && request.categories.length === 0 && request.text !== null) {
    const triage = run.ctx.content.triage.analyse(request.text);
    request.categories = triage.categories.filter((c) => c.confidence >= CONFIDENT).map((c) => c.code).slice(0, 3);
    const place = triage.place;
    if (request.commune === null && place && !place.fuzzy && place.candidates.length === 1) request.commune = place.candidates[0]!.code;
    request.text = null;
  }
  const requestId = request.loggedId ?? logRequest(run, "handoff_requested");
  const reason = request.urgent ? "urgent" : request.triageFailed ? "triage_failed" : "asked";
  run.emit({ type: "handoff_wished", requestId, urgent: request.urgent, reason });
  run.state.misses = 0;
  run.say({ text: run.t(step.text), role: "info" });
  return goto(step.next);
}

export const handoff: StepDef<Handoff> = {
  schema,
  enter: execute,
  prompt: () => {},
  resume: (step, run) => execute(step, run),
  references: (step) => ({ steps: [step.next], keys: [step.text] }),
};
