import { z } from "zod";
import { NOT_ASKED } from "../../codes.js";
import { findReferrals } from "../../directory/referrals.js";
import { openingStatus } from "../../directory/hours.js";
import { CONFIDENT } from "../../triage/triage.js";
import { STEP_ID } from "../flow.js";
import { formatWeek, referralCard } from "../referral-card.js";
import type { Run } from "../run.js";
import { emergencyMessage, logRequest } from "./common.js";
import { WAIT, type StepDef, type Transition } from "./types.js";

export const type = "handoff";

/**
 * Hands the conversation to a facilitator: logs the request if it was not yet (as `handoff_requested`, with the needs
 * read from words written earlier, else `other`), emits `handoff_wished` with the handoff card and the request's
 * transcript (the handoff service opens one ticket), and tells the person honestly what happens next: within the
 * facilitators' hours, that someone will answer here; outside them, when they work, the nearest open service and
 * the emergency numbers. From then on the person's messages go to the facilitator until the ticket is closed.
 *
 * ```yaml
 * - id: handoff
 *   type: handoff
 *   text: intake:handoff.queued           # within the facilitators' hours
 *   text_closed: intake:handoff.queued_closed   # outside them; {{hours}} is the week
 * ```
 */
export const schema = z
  .object({
    id: z.string().regex(STEP_ID),
    type: z.literal(type),
    text: z.string().min(1),
    text_closed: z.string().min(1),
  })
  .strict();
export type Handoff = z.infer<typeof schema>;

function execute(step: Handoff, run: Run): Transition {
  const request = run.state.request;
  if (run.state.handoff) return WAIT;
  if (request.loggedId === null && request.categories.length === 0 && request.text !== null) {
    const triage = run.ctx.content.triage.analyse(request.text);
    request.categories = triage.categories.filter((c) => c.confidence >= CONFIDENT).map((c) => c.code).slice(0, 3);
    const place = triage.place;
    if (request.commune === null && place && !place.fuzzy && place.candidates.length === 1) request.commune = place.candidates[0]!.code;
    request.text = null;
  }
  const requestId = request.loggedId ?? logRequest(run, "handoff_requested");
  const reason = request.urgent ? "urgent" : request.triageFailed ? "triage_failed" : "asked";
  const profile = run.state.profile;
  run.emit({
    type: "handoff_wished",
    requestId,
    urgent: request.urgent,
    reason,
    card: {
      language: run.language,
      categories: request.categories.length > 0 ? [...request.categories] : ["other"],
      commune: request.commune,
      urgent: request.urgent,
      signals: [...request.signals],
      profile: { sex: profile.sex ?? NOT_ASKED, ageBand: profile.age_band ?? NOT_ASKED, status: profile.status ?? NOT_ASKED },
      referrals: [...request.referrals],
    },
    transcript: [...request.transcript],
  });
  run.state.handoff = { since: run.ctx.now.toISOString(), urgent: request.urgent };
  run.state.misses = 0;
  run.state.offered = [];
  const hours = run.ctx.facilitatorHours;
  if (!hours || openingStatus(hours, [], run.ctx.now).open) {
    run.say({ text: run.t(step.text), role: "info" });
    return WAIT;
  }
  run.say({ text: run.t(step.text_closed, { hours: formatWeek(run, hours) }), role: "info" });
  nearestOpenService(run);
  if (!request.urgent) run.say(emergencyMessage(run));
  return WAIT;
}

/** Outside the facilitators' hours: the nearest service open now for the need (or for general orientation). */
function nearestOpenService(run: Run): void {
  const request = run.state.request;
  const commune = request.commune ? run.ctx.content.triage.gazetteer.get(request.commune) : undefined;
  const point = request.point ?? (commune && commune.lat !== null && commune.lon !== null ? { lat: commune.lat, lon: commune.lon } : null);
  const result = findReferrals(run.ctx.directory, {
    categories: request.categories.length > 0 ? [...request.categories, "other"] : ["other"],
    point,
    sex: run.state.profile.sex ?? "not_asked",
    now: run.ctx.now,
    limit: 20,
    maxKm: 10_000,
  });
  const open = result.nearby.find((r) => r.status.open);
  if (open) run.say(referralCard(run, open, 1));
}

export const handoff: StepDef<Handoff> = {
  schema,
  enter: execute,
  prompt: () => {},
  resume: () => WAIT,
  references: (step) => ({ steps: [], keys: [step.text, step.text_closed] }),
};
