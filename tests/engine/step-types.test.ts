/**
 * Table-driven cases for every step type: `tests/engine/cases/<type>.json`, an array of
 * { description, step, state?, input, now?, transition, outbound, events, state_after }.
 * `input` null means arriving at the step; otherwise { kind: "text", text } | { kind: "choice", option } |
 * { kind: "location", lat, lon }. `state_after` lists only the state fields the case is about.
 * UPDATE_CASES=1 rewrites the expectations from what the engine does now: review the diff like code.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Flow } from "../../src/engine/flow.js";
import { Run } from "../../src/engine/run.js";
import { initialState, type ConversationState } from "../../src/engine/state.js";
import { flowStepSchema, stepTypeOf, stepTypes, type FlowStep } from "../../src/engine/steps/index.js";
import type { StepInput } from "../../src/engine/steps/types.js";
import { WEDNESDAY_11H, fixtureDirectory, realContent } from "../helpers/content.js";

interface StepCase {
  description: string;
  step: unknown;
  state?: Record<string, unknown>;
  input: null | { kind: "text"; text: string } | { kind: "choice"; option: string } | { kind: "location"; lat: number; lon: number };
  now?: string;
  facilitator_hours?: Record<string, string[]>;
  /** The channel can reach the person later (follow-ups); false when absent. */
  can_follow_up?: boolean;
  transition?: unknown;
  outbound?: unknown;
  events?: unknown;
  state_after?: Record<string, unknown>;
}

const CASES_DIR = join(import.meta.dirname, "cases");
const update = process.env.UPDATE_CASES === "1";
const directory = fixtureDirectory();

/** The step under test, plus an `end` stub for every step it (or the state, through `returnTo`) refers to. */
function flowFor(step: FlowStep, returnTo: unknown): Flow {
  const referred = [...stepTypeOf(step).references(step).steps, "menu", ...(typeof returnTo === "string" ? [returnTo] : [])];
  const stubs = new Set(referred.filter((id) => id !== step.id));
  const steps: FlowStep[] = [step, ...[...stubs].map((id): FlowStep => ({ id, type: "end", text: "intake:goodbye" }))];
  return { id: "cases", file: "cases", start: step.id, menu: "menu", steps, byId: new Map(steps.map((s) => [s.id, s])) };
}

function stateFor(step: FlowStep, overrides: Record<string, unknown> = {}): ConversationState {
  const base = { ...initialState("cases"), step: step.id, language: "fr" } as ConversationState;
  const { request, profile, ...rest } = overrides as { request?: object; profile?: object };
  return { ...base, ...rest, request: { ...base.request, ...request }, profile: { ...base.profile, ...profile } } as ConversationState;
}

function runCase(c: StepCase) {
  const { content } = realContent();
  const step = flowStepSchema.parse(c.step);
  let n = 0;
  const ctx = { content, directory, now: c.now ? new Date(c.now) : WEDNESDAY_11H, newId: () => `id-${++n}`, ...(c.facilitator_hours ? { facilitatorHours: c.facilitator_hours } : {}), canFollowUp: c.can_follow_up ?? false };
  const run = new Run(stateFor(step, c.state), ctx, flowFor(step, c.state?.returnTo));
  const def = stepTypeOf(step);
  let transition;
  if (c.input === null) transition = def.enter(step, run);
  else {
    const input: StepInput = c.input.kind === "text" ? { ...c.input, triage: content.triage.analyse(c.input.text) } : c.input;
    transition = def.resume(step, run, input);
  }
  return { transition, outbound: run.outbound, events: run.events, state: run.state as unknown as Record<string, unknown> };
}

const DEFAULT_STATE_KEYS = ["language", "profile", "request", "pending", "misses", "offered", "handoff"];

for (const type of Object.keys(stepTypes)) {
  describe(type, () => {
    const file = join(CASES_DIR, `${type}.json`);
    it("has a table of cases", () => {
      expect(existsSync(file), `missing ${file}`).toBe(true);
    });
    if (!existsSync(file)) return;
    const cases = JSON.parse(readFileSync(file, "utf8")) as StepCase[];
    if (update) {
      for (const c of cases) {
        const actual = runCase(c);
        c.transition = actual.transition;
        c.outbound = actual.outbound;
        c.events = actual.events;
        const keys = c.state_after ? Object.keys(c.state_after) : DEFAULT_STATE_KEYS;
        c.state_after = Object.fromEntries(keys.map((k) => [k, actual.state[k]]));
      }
      writeFileSync(file, JSON.stringify(cases, null, 2) + "\n");
    }
    for (const c of cases) {
      it(`${type}: ${c.description}`, () => {
        const actual = runCase(c);
        expect(actual.transition).toEqual(c.transition);
        expect(actual.outbound).toEqual(c.outbound);
        expect(actual.events).toEqual(c.events);
        for (const [key, value] of Object.entries(c.state_after ?? {})) expect(actual.state[key], `state_after.${key}`).toEqual(value);
      });
    }
  });
}
