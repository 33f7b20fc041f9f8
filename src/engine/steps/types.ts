import type { z } from "zod";
import type { TriageResult } from "../../triage/triage.js";
import type { Run } from "../run.js";

/** An answer the engine passes to a step, after global commands, stale buttons and media were dealt with. */
export type StepInput =
  | { kind: "text"; text: string; triage: TriageResult }
  /** The option id, without the "<step id>." prefix; always one the step offered. */
  | { kind: "choice"; option: string }
  | { kind: "location"; lat: number; lon: number };

/** Wait for the person, or go on to a step at once. */
export type Transition = { wait: true } | { goto: string };

export const WAIT: Transition = { wait: true };
export const goto = (step: string): Transition => ({ goto: step });

/** What a step refers to, so that a flow can be checked before any conversation uses it. */
export interface StepReferences {
  steps: string[];
  /** Locale keys the step shows. */
  keys: string[];
}

/**
 * One step type: the schema of its definition in a flow file, and what it does. Every step type has a table of
 * cases in `tests/engine/cases/<type>.json`.
 */
export interface StepDef<S extends { id: string; type: string }> {
  schema: z.ZodType<S>;
  /** Arriving at the step: ask its question, or move on at once when the answer is already known. */
  enter(step: S, run: Run): Transition;
  /** Ask the step's question (again). */
  prompt(step: S, run: Run): void;
  resume(step: S, run: Run, input: StepInput): Transition;
  references(step: S): StepReferences;
}

export const stepId = (run: Run): string => run.state.step ?? "";
