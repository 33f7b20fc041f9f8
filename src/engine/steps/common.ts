import { CATEGORIES, type Category, NOT_ASKED } from "../../codes.js";
import { localDate } from "../../directory/hours.js";
import type { Outcome } from "../../codes.js";
import type { Choice, Outbound, RequestRecord } from "../messages.js";
import type { Run } from "../run.js";
import { emptyRequest } from "../state.js";

/** Buttons for need categories, labelled `common:category.<code>`. */
export function categoryChoices(run: Run, stepId: string, categories: readonly Category[] = CATEGORIES): Choice[] {
  return categories.map((code) => run.choice(stepId, code, run.t(`common:category.${code}`)));
}

/** The reply to an answer the step could not use. */
export function notUnderstood(run: Run): void {
  run.say({ text: run.t("common:not_understood"), role: "notice" });
}

/** Forget the request in progress (the profile stays: it describes the person, asked once). */
export function startNewRequest(run: Run): void {
  run.state.request = emptyRequest();
  run.state.pending = null;
  run.state.misses = 0;
}

/**
 * Write the request to the log once: codes only. Later events of the same request (a handoff wish) refer to
 * its id. Returns the id.
 */
export function logRequest(run: Run, outcome: Outcome): string {
  const request = run.state.request;
  if (request.loggedId !== null) return request.loggedId;
  const commune = request.commune ? run.ctx.content.triage.gazetteer.get(request.commune) : undefined;
  const record: RequestRecord = {
    id: run.ctx.newId(),
    date: localDate(run.ctx.now),
    language: run.language,
    region: commune?.regionCode ?? null,
    commune: commune?.code ?? null,
    urgent: request.urgent,
    sex: run.state.profile.sex ?? NOT_ASKED,
    ageBand: run.state.profile.age_band ?? NOT_ASKED,
    status: run.state.profile.status ?? NOT_ASKED,
    outcome,
    categories: request.categories.length > 0 ? [...request.categories] : ["other"],
    referrals: [...request.referrals],
  };
  request.loggedId = record.id;
  run.emit({ type: "request_logged", request: record });
  return record.id;
}

/** The emergency numbers from data/emergency.yaml, in one message. */
export function emergencyMessage(run: Run, language: string = run.language): Outbound {
  const i18n = run.ctx.content.i18n;
  const lines = run.ctx.content.emergency.map((e) => `${i18n.t(language, `common:emergency.service.${e.service}`)}: ${e.number}`);
  return { text: [i18n.t(language, "common:emergency.intro"), ...lines].join("\n"), role: "emergency" };
}

/** The name people know a service by (its organisation's), for follow-up questions; empty if it left the directory. */
export function organisationOf(run: Run, serviceId: string): string {
  return run.ctx.directory.get(serviceId)?.organisation.name ?? "";
}
