import { z } from "zod";
import { DETECTED_LANGUAGES } from "../../codes.js";
import { normalise } from "../../triage/normalise.js";
import { STEP_ID } from "../flow.js";
import { clip } from "../text.js";
import type { Run } from "../run.js";
import { WAIT, goto, type StepDef, type StepInput, type Transition } from "./types.js";

export const type = "ask_language";

/**
 * Asks which language to reply in, offering every language that has a `locales/<code>/` folder, each named in
 * itself. A first message typed as text is read for its language, which is then proposed ("Je vous réponds en
 * français ?"); the text is kept for the need question. After a change of language mid-conversation, the person
 * goes back to where they were.
 *
 * ```yaml
 * - id: language
 *   type: ask_language
 *   text: intake:language.prompt      # shown in every language at once
 *   propose: { ar-Latn: ar }           # detected language → reply language
 *   next: privacy
 * ```
 */
export const schema = z
  .object({
    id: z.string().regex(STEP_ID),
    type: z.literal(type),
    text: z.string().min(1),
    /** Which reply language to propose for each detected language; the rest propose themselves when available. */
    propose: z.partialRecord(z.enum(DETECTED_LANGUAGES), z.string()).default({}),
    next: z.string(),
  })
  .strict();
export type AskLanguage = z.infer<typeof schema>;

function languageChoices(step: AskLanguage, run: Run, first?: string) {
  const i18n = run.ctx.content.i18n;
  const ordered = first ? [first, ...i18n.languages.filter((l) => l !== first)] : [...i18n.languages];
  return ordered.map((language) => run.choice(step.id, language, i18n.name(language)));
}

function prompt(step: AskLanguage, run: Run): void {
  const i18n = run.ctx.content.i18n;
  const pending = run.state.pending;
  if (pending?.kind === "confirm_language") {
    run.ask(i18n.t(pending.proposed, "common:language.proposed"), languageChoices(step, run, pending.proposed));
    return;
  }
  // Before a language is chosen, the question is shown in all of them.
  const text = run.state.language ? run.t(step.text) : i18n.languages.map((l) => i18n.t(l, step.text)).join("\n");
  run.ask(text, languageChoices(step, run));
}

function choose(step: AskLanguage, run: Run, language: string): Transition {
  run.state.language = language;
  run.state.pending = null;
  run.emit({ type: "language_set", language });
  const back = run.state.returnTo;
  run.state.returnTo = null;
  return goto(back && run.stepById(back) ? back : step.next);
}

/** A language named in any of the available languages ("français", "arabic", "العربية", "ar"). */
function named(run: Run, text: string): string | null {
  const i18n = run.ctx.content.i18n;
  const typed = normalise(text);
  for (const language of i18n.languages) {
    if (typed === language) return language;
    for (const other of i18n.languages) {
      if (normalise(i18n.t(other, `common:language.names.${language}`)) === typed) return language;
    }
    if (normalise(i18n.name(language)) === typed) return language;
  }
  return null;
}

function resume(step: AskLanguage, run: Run, input: StepInput): Transition {
  const languages = run.ctx.content.i18n.languages;
  if (input.kind === "choice") return choose(step, run, input.option);
  if (input.kind === "location") {
    run.state.request.point = { lat: input.lat, lon: input.lon };
    prompt(step, run);
    return WAIT;
  }
  const byName = named(run, input.text);
  if (byName) return choose(step, run, byName);
  const detected = input.triage.language;
  const proposed = step.propose[detected] ?? (languages.includes(detected) ? detected : null);
  // Keep what they wrote: "bonjour, j'ai besoin d'un médecin à Inezgane" answers the next questions too.
  if (run.state.request.text === null) run.state.request.text = clip(input.text, 500);
  if (proposed && languages.includes(proposed)) {
    run.state.pending = { kind: "confirm_language", proposed };
  }
  prompt(step, run);
  return WAIT;
}

export const askLanguage: StepDef<AskLanguage> = {
  schema,
  enter(step, run) {
    prompt(step, run);
    return WAIT;
  },
  prompt,
  resume,
  references: (step) => ({ steps: [step.next], keys: [step.text, "common:language.proposed"] }),
};
