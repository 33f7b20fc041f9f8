import type { TriageResult } from "../triage/triage.js";
import type { GlobalCommand } from "../triage/lexicon-schema.js";
import type { EngineContext } from "./context.js";
import type { Flow } from "./flow.js";
import type { EngineEvent, Inbound, Outbound, RelayedMessage } from "./messages.js";
import { CONFIDENT } from "../triage/triage.js";
import { normalise } from "../triage/normalise.js";
import { FOLLOWUP_CHOICE, answerFollowup, typedFollowupChoice } from "./followup.js";
import { GLOBAL_CHOICE, Run } from "./run.js";
import { STATE_VERSION, initialState, type ConversationState, type TranscriptLine } from "./state.js";
import { emergencyMessage, startNewRequest } from "./steps/common.js";
import { stepTypeOf, type FlowStep } from "./steps/index.js";
import type { StepInput, Transition } from "./steps/types.js";
import { cleanText, clip, isBlank } from "./text.js";

export interface StepResult {
  /** The state to store; null when the person deleted their data and the conversation must be forgotten. */
  state: ConversationState | null;
  outbound: Outbound[];
  events: EngineEvent[];
  /** The language of the replies, and its direction, for channels that lay text out. */
  language: string;
  dir: "ltr" | "rtl";
}

/** A flow that loops without waiting would never answer: stop after this many steps in one call. */
const MAX_TRANSITIONS = 30;
/** Longest text a step sees; longer messages are cut, not refused. */
const MAX_TEXT = 4000;

/**
 * The conversation engine: one message in, the new state, the replies and the events out. Pure and deterministic:
 * no I/O, no clock and no randomness except through `ctx`. The input state is never modified.
 *
 * Order of handling: danger signals first (emergency numbers before anything else), then global commands (menu,
 * language, delete my data, help, talk to a person), then the current step.
 */
export function step(state: ConversationState | null, received: Inbound, ctx: EngineContext): StepResult {
  // Whatever the channel let through, the words read and kept are well-formed and bounded.
  const inbound: Inbound = received.kind === "text" ? { kind: "text", text: cleanText(clip(received.text, MAX_TEXT)) } : received;
  const run = start(state, ctx);
  const wasHandedOff = run.state.handoff !== null;
  if (wasHandedOff) handoffMode(run, inbound);
  else {
    // The person's words first: a handoff opened by this very message carries them.
    const said = personSaid(run.state, inbound);
    if (said !== null) keepTranscript(run, [{ from: "person", text: said }]);
    handle(run, inbound);
    if (!run.forget) keepTranscript(run, run.outbound.map((m) => ({ from: "dalil", text: m.text.length > DALIL_CHARS ? `${clip(m.text, DALIL_CHARS - 1)}…` : m.text })));
  }
  // While a language is only proposed, the replies are already written in it.
  const pending = run.state.pending;
  const language = run.state.language === null && pending?.kind === "confirm_language" ? pending.proposed : run.language;
  return {
    state: run.forget ? null : run.state,
    outbound: run.outbound,
    events: run.events,
    language,
    dir: ctx.content.i18n.dir(language),
  };
}

function start(state: ConversationState | null, ctx: EngineContext): Run {
  const main = ctx.content.flows.get(ctx.content.mainFlow)!;
  if (state === null) return new Run(initialState(main.id), ctx, main);
  const flow = ctx.content.flows.get(state.flow);
  const copy = structuredClone(state);
  if (!flow || copy.v !== STATE_VERSION) {
    // Content changed under a stored conversation: keep the person's language and start again.
    const fresh = initialState(main.id);
    fresh.language = copy.language && ctx.content.i18n.languages.includes(copy.language) ? copy.language : null;
    const run = new Run(fresh, ctx, main);
    run.emit({ type: "error", code: "state_reset", extra: { flow: state.flow, version: copy.v } });
    return run;
  }
  // Fields added since the state was stored get their empty value (a new field needs no version bump).
  copy.request.transcript ??= [];
  copy.offeredLabels ??= [];
  copy.handoff ??= null;
  copy.followup ??= { consent: null, asked: null };
  const run = new Run(copy, ctx, flow);
  if (copy.step !== null && !flow.byId.has(copy.step)) {
    run.emit({ type: "error", code: "unknown_step", extra: { flow: flow.id, step: copy.step } });
    copy.step = flow.menu;
    copy.pending = null;
  }
  if (copy.language !== null && !ctx.content.i18n.languages.includes(copy.language)) copy.language = null;
  return run;
}

function current(run: Run): FlowStep | undefined {
  return run.state.step === null ? undefined : run.flow.byId.get(run.state.step);
}

/** Move to a step and keep going until one waits for the person. */
function goTo(run: Run, stepId: string): void {
  let next: string | null = stepId;
  for (let i = 0; next !== null; i++) {
    const target = run.flow.byId.get(next);
    if (!target || i >= MAX_TRANSITIONS) {
      run.emit({ type: "error", code: target ? "flow_loop" : "unknown_step", extra: { flow: run.flow.id, step: next } });
      if (next === run.flow.menu) return;
      next = run.flow.menu;
      continue;
    }
    if (run.state.step !== target.id) run.state.misses = 0;
    run.state.step = target.id;
    next = follow(stepTypeOf(target).enter(target, run));
  }
}

function follow(transition: Transition): string | null {
  return "goto" in transition ? transition.goto : null;
}

function resume(run: Run, input: StepInput): void {
  const here = current(run);
  if (!here) {
    goTo(run, run.flow.start);
    return;
  }
  const next = follow(stepTypeOf(here).resume(here, run, input));
  if (next !== null) {
    run.state.pending = null;
    run.state.misses = 0;
    goTo(run, next);
  }
}

/** Ask the current question again (after a notice), or begin the flow. */
function reprompt(run: Run): void {
  const here = current(run);
  if (!here) goTo(run, run.flow.start);
  else stepTypeOf(here).prompt(here, run);
}

function stepOfType(run: Run, type: FlowStep["type"]): FlowStep | undefined {
  return run.flow.steps.find((s) => s.type === type);
}

function handle(run: Run, inbound: Inbound): void {
  switch (inbound.kind) {
    case "media":
      run.say({ text: run.t("common:media_not_supported"), role: "notice" });
      reprompt(run);
      return;
    case "edited":
      run.say({ text: run.t("common:edited_not_supported"), role: "notice" });
      reprompt(run);
      return;
    case "command":
      if (inbound.command === "start") return startCommand(run, inbound.commune);
      return command(run, inbound.command);
    case "location":
      if (!readablePoint(inbound)) {
        run.say({ text: run.t("common:location_invalid"), role: "notice" });
        reprompt(run);
        return;
      }
      // A point abroad (Paris, 0,0) is said so at once, whatever the question; the place question says it itself.
      if (current(run)?.type !== "ask_place" && run.ctx.content.triage.gazetteer.nearest(inbound.lat, inbound.lon) === null) {
        run.say({ text: run.t("steps:ask_place.outside_country"), role: "notice" });
        reprompt(run);
        return;
      }
      if (run.state.step === null) run.state.request.point = { lat: inbound.lat, lon: inbound.lon };
      return resume(run, inbound);
    case "choice":
      return choice(run, inbound.id);
    case "text":
      return text(run, inbound.text);
  }
}

function startCommand(run: Run, commune?: string): void {
  const known = commune !== undefined && run.ctx.content.triage.gazetteer.get(commune) !== undefined;
  if (run.state.step !== null) startNewRequest(run);
  if (known) run.state.request.commune = commune!;
  goTo(run, run.state.language === null ? run.flow.start : run.flow.menu);
}

function command(run: Run, name: GlobalCommand | "start"): void {
  switch (name) {
    case "start":
      return startCommand(run);
    case "menu":
      startNewRequest(run);
      goTo(run, run.state.language === null ? run.flow.start : run.flow.menu);
      return;
    case "language": {
      const languageStep = stepOfType(run, "ask_language");
      if (!languageStep) return reprompt(run);
      if (run.state.step !== null && run.state.step !== languageStep.id) run.state.returnTo = run.state.step;
      run.state.pending = null;
      goTo(run, languageStep.id);
      return;
    }
    case "help":
      run.say({ text: run.t("common:help"), role: "info" });
      reprompt(run);
      return;
    case "human": {
      const handoffStep = stepOfType(run, "handoff");
      if (!handoffStep) return reprompt(run);
      goTo(run, handoffStep.id);
      return;
    }
    case "delete":
      run.state.pending = { kind: "confirm_delete" };
      run.ask(run.t("common:delete.confirm"), [
        { id: GLOBAL_CHOICE.deleteYes, label: run.t("common:delete.yes") },
        { id: GLOBAL_CHOICE.deleteNo, label: run.t("common:delete.no") },
      ]);
      return;
  }
}

function choice(run: Run, id: string): void {
  if (run.state.pending?.kind === "confirm_delete") {
    if (id === GLOBAL_CHOICE.deleteYes) return forget(run);
    run.state.pending = null;
    if (id === GLOBAL_CHOICE.deleteNo) {
      run.say({ text: run.t("common:delete.kept"), role: "info" });
      return reprompt(run);
    }
  }
  switch (id) {
    case GLOBAL_CHOICE.menu:
      return command(run, "menu");
    case GLOBAL_CHOICE.human:
      return command(run, "human");
    case GLOBAL_CHOICE.language:
      return command(run, "language");
  }
  if (id.startsWith(FOLLOWUP_CHOICE)) {
    if (answerFollowup(run, id)) return;
    run.say({ text: run.t("common:button_expired"), role: "notice" });
    reprompt(run);
    return;
  }
  const here = current(run);
  const prefix = here ? `${here.id}.` : "";
  if (!here || !id.startsWith(prefix) || !run.state.offered.includes(id)) {
    // A button from an old message, or forged data: say so and show what can be pressed now.
    run.say({ text: run.t("common:button_expired"), role: "notice" });
    reprompt(run);
    return;
  }
  resume(run, { kind: "choice", option: id.slice(prefix.length) });
}

function forget(run: Run): void {
  const language = run.language;
  run.emit({ type: "delete_requested" });
  run.state = initialState(run.flow.id);
  run.state.language = language;
  run.say({ text: run.t("common:delete.done"), role: "info" });
  run.forget = true;
}

/** "1", "٢", " 3 ": the number of an offered choice. */
function choiceNumber(text: string): number | null {
  const western = text.trim().replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660)).replace(/[\u06F0-\u06F9]/g, (d) => String(d.charCodeAt(0) - 0x06f0));
  return /^\d{1,2}$/.test(western) ? Number(western) : null;
}

/** Coordinates a map can show: finite, latitude within ±90, longitude within ±180. */
function readablePoint(p: { lat: number; lon: number }): boolean {
  return Number.isFinite(p.lat) && Number.isFinite(p.lon) && Math.abs(p.lat) <= 90 && Math.abs(p.lon) <= 180;
}

function text(run: Run, body: string): void {
  if (isBlank(body)) {
    run.say({ text: run.t("common:empty_message"), role: "notice" });
    reprompt(run);
    return;
  }
  if (body.trim() === "?") return command(run, "help");
  // A choice number comes before any reading of the words: in Darija written in Latin letters digits are letters.
  const number = choiceNumber(body);
  if (number === 0) return command(run, "menu");
  if (number !== null && run.state.pending?.kind !== "confirm_delete" && number <= run.state.offered.length) {
    return choice(run, run.state.offered[number - 1]!);
  }
  // A follow-up answer typed out ("Yes, I was helped") instead of pressed.
  const followupChoice = typedFollowupChoice(run, body, normalise);
  if (followupChoice !== null) return choice(run, followupChoice);
  const triage = run.ctx.content.triage.analyse(body);
  if (triage.urgent) {
    emergency(run, triage);
    if (urgentHandoff(run, triage, body)) return;
  }
  if (triage.command !== null) {
    if (run.state.step === null && triage.command !== "human") return command(run, "menu");
    if (run.state.step === null) {
      // "I want to talk to someone" as a first message: answer in the language it was written in.
      const guess = triage.language === "ar-Latn" ? "ar" : triage.language;
      if (run.ctx.content.i18n.languages.includes(guess)) run.state.language = guess;
    }
    // "Talk to someone about my papers": the rest of the words go on the handoff card.
    if (triage.command === "human" && run.state.request.categories.length === 0) run.state.request.text = clip(body, 500);
    return command(run, triage.command);
  }
  if (run.state.pending?.kind === "confirm_delete") {
    run.state.pending = null;
    run.say({ text: run.t("common:delete.kept"), role: "info" });
  }
  if (run.state.step === null) {
    // The first message: it goes to the language question, which reads it (and keeps it for the need question).
    run.state.step = run.flow.start;
  }
  resume(run, { kind: "text", text: body, triage });
}

/** Emergency numbers come first, in the language the person is writing when none was chosen yet. */
function emergency(run: Run, triage: TriageResult): void {
  const request = run.state.request;
  request.urgent = true;
  request.signals = [...new Set([...request.signals, ...triage.signals])];
  const i18n = run.ctx.content.i18n;
  const guess = triage.language === "ar-Latn" ? "ar" : triage.language;
  const language = run.state.language ?? (i18n.languages.includes(guess) ? guess : i18n.defaultLanguage);
  run.say(emergencyMessage(run, language));
  run.emit({ type: "urgent_detected", signals: triage.signals });
}

/**
 * After the emergency numbers, danger goes to a facilitator at once, whatever step the person was at; what the
 * message says about the need and the place goes on the handoff card. False when the flow has no handoff step.
 */
function urgentHandoff(run: Run, triage: TriageResult, body: string): boolean {
  const handoffStep = stepOfType(run, "handoff");
  if (!handoffStep) return false;
  const request = run.state.request;
  const i18n = run.ctx.content.i18n;
  const guess = triage.language === "ar-Latn" ? "ar" : triage.language;
  if (run.state.language === null && i18n.languages.includes(guess)) run.state.language = guess;
  if (request.categories.length === 0) {
    request.categories = triage.categories.filter((c) => c.confidence >= CONFIDENT && c.code !== "other").map((c) => c.code).slice(0, 3);
    if (request.categories.length === 0) request.text = clip(body, 500);
  }
  const place = triage.place;
  if (request.commune === null && place && !place.fuzzy && place.candidates.length === 1) request.commune = place.candidates[0]!.code;
  run.state.pending = null;
  goTo(run, handoffStep.id);
  return true;
}

/**
 * While a facilitator has the conversation, the person's messages go to them (as `relay` events), with nothing said
 * back but for danger (the emergency numbers again), things that cannot be relayed, and "delete my data".
 */
function handoffMode(run: Run, inbound: Inbound): void {
  const urgent = run.state.handoff?.urgent ?? false;
  const relay = (message: RelayedMessage, isUrgent = urgent) => run.emit({ type: "relay", message, urgent: isUrgent });
  const inProgress = () => run.say({ text: run.t("common:handoff_in_progress"), role: "notice" });
  switch (inbound.kind) {
    case "command":
      return inbound.command === "delete" ? command(run, "delete") : inProgress();
    case "choice":
      if (run.state.pending?.kind === "confirm_delete" || inbound.id.startsWith("g.delete")) return choice(run, inbound.id);
      return inProgress();
    case "edited":
      run.say({ text: run.t("common:edited_not_supported"), role: "notice" });
      return;
    case "media":
      run.say({ text: run.t("common:media_not_supported"), role: "notice" });
      return relay({ kind: "media", media: inbound.media });
    case "location":
      if (!readablePoint(inbound)) {
        run.say({ text: run.t("common:location_invalid"), role: "notice" });
        return;
      }
      return relay({ kind: "location", lat: inbound.lat, lon: inbound.lon });
    case "text": {
      const body = inbound.text;
      if (isBlank(body)) return;
      const triage = run.ctx.content.triage.analyse(body);
      if (triage.command === "delete") return command(run, "delete");
      if (triage.urgent) {
        emergency(run, triage);
        run.state.handoff = { since: run.state.handoff!.since, urgent: true };
      }
      return relay({ kind: "text", text: body }, urgent || triage.urgent);
    }
  }
}

/** Bounds of the transcript kept for a facilitator: the recent lines of one request are enough. */
const TRANSCRIPT_LINES = 30;
const PERSON_CHARS = 500;
const DALIL_CHARS = 200;

/** What the person did, as a facilitator would read it: their words, or the label of the button they pressed. */
function personSaid(state: ConversationState | null, inbound: Inbound): string | null {
  switch (inbound.kind) {
    case "text":
      return isBlank(inbound.text) ? null : clip(inbound.text, PERSON_CHARS);
    case "choice": {
      const i = state?.offered.indexOf(inbound.id) ?? -1;
      return i >= 0 ? `[${state!.offeredLabels[i] ?? inbound.id}]` : null;
    }
    case "location":
      return `[📍 ${inbound.lat.toFixed(4)}, ${inbound.lon.toFixed(4)}]`;
    case "media":
      return `[${inbound.media}]`;
    default:
      return null;
  }
}

function keepTranscript(run: Run, added: TranscriptLine[]): void {
  const lines = run.state.request.transcript;
  lines.push(...added);
  if (lines.length > TRANSCRIPT_LINES) lines.splice(0, lines.length - TRANSCRIPT_LINES);
}
