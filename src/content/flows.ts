import { z } from "zod";
import { STEP_ID, type Flow } from "../engine/flow.js";
import { stepTypeOf, stepTypes, type FlowStep } from "../engine/steps/index.js";
import type { ContentIssue } from "./errors.js";
import { check, type YamlFile } from "./files.js";
import { didYouMean, quoteList } from "./suggest.js";

const flowFileSchema = z
  .object({
    id: z.string().regex(STEP_ID, "flow ids are 1–32 characters of a-z 0-9 _"),
    start: z.string(),
    menu: z.string(),
    steps: z.array(z.unknown()).min(1),
  })
  .strict();

const STEP_TYPE_NAMES = Object.keys(stepTypes);

/**
 * Reads one flow file: the flow's own fields, then each step by its type's schema, then every reference between
 * steps. All problems are collected. The steps that parsed are returned even when others did not, so that the
 * caller can check their locale keys too and report everything in one go; the flow only when every step parsed.
 */
export function parseFlow(yaml: YamlFile, issues: ContentIssue[]): { flow: Flow | null; steps: FlowStep[] } {
  const head = check(flowFileSchema, yaml.value, yaml, issues);
  if (!head) return { flow: null, steps: [] };
  const steps: FlowStep[] = [];
  head.steps.forEach((raw, index) => {
    const rawId = typeof raw === "object" && raw !== null && "id" in raw ? String((raw as { id: unknown }).id) : undefined;
    const where = rawId ? `step "${rawId}"` : `steps[${index}]`;
    const type = typeof raw === "object" && raw !== null && "type" in raw ? (raw as { type: unknown }).type : undefined;
    if (typeof type !== "string" || !STEP_TYPE_NAMES.includes(type)) {
      const line = yaml.lineOf(["steps", index, "type"]);
      issues.push({
        file: yaml.file,
        ...(line ? { line } : {}),
        where,
        path: ["type"],
        message: `Unknown step type: expected one of ${quoteList(STEP_TYPE_NAMES)}, received ${JSON.stringify(type)}${typeof type === "string" ? didYouMean(type, STEP_TYPE_NAMES) : ""}`,
      });
      return;
    }
    const schema = stepTypes[type as keyof typeof stepTypes].schema;
    const step = check(schema, raw, yaml, issues, { basePath: ["steps", index], where });
    if (step) steps.push(step as FlowStep);
  });

  // Steps that failed to parse still exist for references: "next: privacy" is fine when only privacy's text is wrong.
  const ids = head.steps.flatMap((raw) => (typeof raw === "object" && raw !== null && typeof (raw as { id?: unknown }).id === "string" ? [(raw as { id: string }).id] : []));
  const byId = new Map<string, FlowStep>();
  steps.forEach((s) => {
    if (byId.has(s.id)) issues.push({ file: yaml.file, where: `step "${s.id}"`, path: ["id"], message: `Duplicate step id "${s.id}"`, ...lineOf(yaml, s.id, ["id"]) });
    byId.set(s.id, s);
  });
  const unknownStep = (target: string) => `Unknown step: expected one of ${quoteList(ids)}, received "${target}"${didYouMean(target, ids)}`;
  for (const field of ["start", "menu"] as const) {
    if (!ids.includes(head[field])) {
      const line = yaml.lineOf([field]);
      issues.push({ file: yaml.file, ...(line ? { line } : {}), path: [field], message: unknownStep(head[field]) });
    }
  }
  for (const s of steps) {
    for (const target of stepTypeOf(s).references(s).steps) {
      if (!ids.includes(target)) {
        const path = fieldNaming(s, target);
        issues.push({ file: yaml.file, where: `step "${s.id}"`, path, message: unknownStep(target), ...lineOf(yaml, s.id, path) });
      }
    }
  }
  const flow = steps.length < head.steps.length ? null : { id: head.id, file: yaml.file, start: head.start, menu: head.menu, steps, byId };
  return { flow, steps };
}

/** Where in a step a reference to `target` is written: `next`, or `options[i].next`. */
function fieldNaming(step: FlowStep, target: string): PropertyKey[] {
  if ("next" in step && step.next === target) return ["next"];
  if (step.type === "ask_choice") {
    const i = step.options.findIndex((o) => o.next === target);
    if (i >= 0) return ["options", i, "next"];
  }
  return ["next"];
}

function lineOf(yaml: YamlFile, stepIdValue: string, path: readonly PropertyKey[]): { line?: number } {
  const raw = (yaml.value as { steps?: unknown[] }).steps ?? [];
  const index = raw.findIndex((r) => typeof r === "object" && r !== null && (r as { id?: unknown }).id === stepIdValue);
  const line = index >= 0 ? yaml.lineOf(["steps", index, ...path]) : undefined;
  return line ? { line } : {};
}
