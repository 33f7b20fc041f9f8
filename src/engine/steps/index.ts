import { z } from "zod";
import * as askChoice from "./ask_choice.js";
import * as askFollowup from "./ask_followup.js";
import * as askLanguage from "./ask_language.js";
import * as askNeed from "./ask_need.js";
import * as askPlace from "./ask_place.js";
import * as end from "./end.js";
import * as handoff from "./handoff.js";
import * as message from "./message.js";
import * as refer from "./refer.js";
import type { StepDef } from "./types.js";

/**
 * Every step type, by the name flow files use. The table is the registry: a type is available when it is listed
 * here, and the tests require a case file for each one.
 */
export const stepTypes = {
  ask_language: askLanguage.askLanguage,
  message: message.message,
  ask_need: askNeed.askNeed,
  ask_place: askPlace.askPlace,
  ask_choice: askChoice.askChoice,
  refer: refer.refer,
  ask_followup: askFollowup.askFollowup,
  handoff: handoff.handoff,
  end: end.end,
} as const;

export type StepType = keyof typeof stepTypes;

/** Any step as written in a flow file, checked by its type's schema. */
export const flowStepSchema = z.discriminatedUnion("type", [
  askLanguage.schema,
  message.schema,
  askNeed.schema,
  askPlace.schema,
  askChoice.schema,
  refer.schema,
  askFollowup.schema,
  handoff.schema,
  end.schema,
]);
export type FlowStep = z.infer<typeof flowStepSchema>;

/** The definition of a step's type, typed loosely so the engine can call it for any step. */
export function stepTypeOf(step: FlowStep): StepDef<FlowStep> {
  return stepTypes[step.type] as unknown as StepDef<FlowStep>;
}
