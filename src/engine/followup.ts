import { referralTo } from "../directory/referrals.js";
import type { EngineContext } from "./context.js";
import { FOLLOWUP_ANSWERS, type FollowupAnswer } from "./followup-settings.js";
import type { Choice } from "./messages.js";
import { referralCard } from "./referral-card.js";
import { GLOBAL_CHOICE, Run } from "./run.js";
import type { ConversationState } from "./state.js";
import { organisationOf } from "./steps/common.js";
import type { StepResult } from "./step.js";

/** Choice ids of the follow-up questions: valid whatever step the conversation is at, while a question is open. */
export const FOLLOWUP_CHOICE = "fu.";
const STOP = "stop";
const REASON = "reason.";
const SKIP_REASON = "skip";

/** A follow-up due for sending: the `followup` row's id, the service asked about, and the request's commune. */
export interface DueFollowup {
  id: string;
  serviceId: string;
  commune: string | null;
  /** The second and last message: worded as a reminder. */
  reminder: boolean;
}

/** Why a due follow-up is not sent now: the person said stop, or a facilitator has the conversation. */
export type FollowupHeld = "no_consent" | "in_handoff";

/**
 * The follow-up question for a conversation, built like a step's reply: "did you manage to reach <service>?" with
 * the answers as buttons, in the person's language. The state remembers the question so the answer can come at any
 * later time. Pure: the scheduler sends what this returns and saves the state.
 */
export function askFollowup(state: ConversationState, due: DueFollowup, ctx: EngineContext): StepResult | { held: FollowupHeld } {
  if (state.followup?.consent !== true) return { held: "no_consent" };
  if (state.handoff) return { held: "in_handoff" };
  const flow = ctx.content.flows.get(state.flow) ?? ctx.content.flows.get(ctx.content.mainFlow)!;
  const run = new Run(structuredClone(state), ctx, flow);
  run.state.followup = { consent: true, asked: { id: due.id, serviceId: due.serviceId, commune: due.commune, stage: "answer" } };
  run.state.pending = null;
  const service = organisationOf(run, due.serviceId);
  run.ask(run.t(due.reminder ? "followup:reminder" : "followup:question", { service }), answerChoices(run));
  return result(run);
}

function answerChoices(run: Run): Choice[] {
  return [...FOLLOWUP_ANSWERS.map((a) => ({ id: `${FOLLOWUP_CHOICE}${a}`, label: run.t(`followup:answer.${a}`) })), { id: `${FOLLOWUP_CHOICE}${STOP}`, label: run.t("followup:answer.stop") }];
}

function reasonChoices(run: Run): Choice[] {
  return [
    ...run.ctx.content.followup.reasons.map((r) => ({ id: `${FOLLOWUP_CHOICE}${REASON}${r}`, label: run.t(`followup:reason.${r}`) })),
    { id: `${FOLLOWUP_CHOICE}${REASON}${SKIP_REASON}`, label: run.t("followup:reason_skip") },
  ];
}

/** What a person can do after answering: a new request, or a facilitator when the referral did not work out. */
function nextChoices(run: Run, withFacilitator: boolean): Choice[] {
  return [
    ...(withFacilitator ? [{ id: GLOBAL_CHOICE.human, label: run.t("common:talk_to_facilitator") }] : []),
    { id: GLOBAL_CHOICE.menu, label: run.t("followup:new_request") },
  ];
}

/** The answer's choice if `text` is one of the open question's labels (typed rather than pressed). */
export function typedFollowupChoice(run: Run, text: string, normalise: (s: string) => string): string | null {
  const asked = run.state.followup.asked;
  const typed = normalise(text);
  // "stop" (data/followup.yaml `stop_words`) ends follow-ups whenever some are expected, not only as an answer.
  if (run.state.followup.consent === true && run.ctx.content.followup.stop_words.some((w) => normalise(w) === typed)) return `${FOLLOWUP_CHOICE}${STOP}`;
  if (!asked) return null;
  const choices = asked.stage === "answer" ? answerChoices(run) : reasonChoices(run);
  return choices.find((c) => normalise(c.label) === typed)?.id ?? null;
}

/**
 * A follow-up button (`fu.…`): true when it answered the open question; false when no question is open or the
 * button is not one of its answers (an old or forged button), which the caller treats like any stale button.
 */
export function answerFollowup(run: Run, choiceId: string): boolean {
  const asked = run.state.followup.asked;
  if (!choiceId.startsWith(FOLLOWUP_CHOICE)) return false;
  const option = choiceId.slice(FOLLOWUP_CHOICE.length);
  if (option === STOP && (asked || run.state.followup.consent === true)) {
    run.emit({ type: "followup_stopped", followupId: asked?.id ?? null });
    run.state.followup = { consent: false, asked: null };
    run.ask(run.t("followup:stopped"), nextChoices(run, false));
    return true;
  }
  if (!asked) return false;
  if (asked.stage === "reason") {
    if (!option.startsWith(REASON)) return false;
    const reason = option.slice(REASON.length);
    if (reason !== SKIP_REASON && !run.ctx.content.followup.reasons.includes(reason)) return false;
    if (reason !== SKIP_REASON) run.emit({ type: "followup_reason", followupId: asked.id, reason });
    run.state.followup = { ...run.state.followup, asked: null };
    run.ask(run.t("followup:thanks_reason"), nextChoices(run, true));
    return true;
  }
  if (!(FOLLOWUP_ANSWERS as readonly string[]).includes(option)) return false;
  const answer = option as FollowupAnswer;
  run.emit({ type: "followup_answered", followupId: asked.id, answer });
  switch (answer) {
    case "helped":
      run.state.followup = { ...run.state.followup, asked: null };
      run.ask(run.t("followup:thanks_helped"), nextChoices(run, false));
      return true;
    case "reached_not_helped":
      run.state.followup = { ...run.state.followup, asked: null };
      run.ask(run.t("followup:thanks_not_helped"), nextChoices(run, true));
      return true;
    case "not_yet": {
      run.state.followup = { ...run.state.followup, asked: null };
      const service = run.ctx.directory.get(asked.serviceId);
      const commune = asked.commune ? run.ctx.content.triage.gazetteer.get(asked.commune) : undefined;
      const point = commune && commune.lat !== null && commune.lon !== null ? { lat: commune.lat, lon: commune.lon } : null;
      const referral = service?.active ? referralTo(service, point, run.ctx.now) : null;
      if (referral) {
        run.say({ text: run.t("followup:card_again"), role: "info" });
        run.say(referralCard(run, referral, null));
      }
      run.ask(run.t("followup:not_yet"), nextChoices(run, true));
      return true;
    }
    case "could_not":
      run.state.followup = { ...run.state.followup, asked: { ...asked, stage: "reason" } };
      run.ask(run.t("followup:why"), reasonChoices(run));
      return true;
  }
}

function result(run: Run): StepResult {
  return { state: run.state, outbound: run.outbound, events: run.events, language: run.language, dir: run.ctx.content.i18n.dir(run.language) };
}

/** Locale keys the follow-up messages use, checked in every language at start-up. */
export const FOLLOWUP_KEYS = [
  "followup:question",
  "followup:reminder",
  ...FOLLOWUP_ANSWERS.map((a) => `followup:answer.${a}`),
  "followup:answer.stop",
  "followup:reason_skip",
  "followup:new_request",
  "followup:thanks_reason",
  "followup:stopped",
  "followup:thanks_helped",
  "followup:thanks_not_helped",
  "followup:card_again",
  "followup:not_yet",
  "followup:why",
] as const;
