import type { EngineContext } from "./context.js";
import type { Flow, FlowStep } from "./flow.js";
import type { Choice, EngineEvent, Outbound } from "./messages.js";
import type { ConversationState } from "./state.js";

/** Choice ids of global actions, valid at any step. */
export const GLOBAL_CHOICE = {
  menu: "g.menu",
  human: "g.human",
  language: "g.language",
  deleteYes: "g.delete.yes",
  deleteNo: "g.delete.no",
} as const;

/**
 * The working area of one call to `step`: a private copy of the state that steps update, and the messages and
 * events they produce. Nothing here outlives the call.
 */
export class Run {
  readonly outbound: Outbound[] = [];
  readonly events: EngineEvent[] = [];
  /** Set when the person deleted their data: the store forgets the conversation instead of saving it. */
  forget = false;

  constructor(
    public state: ConversationState,
    readonly ctx: EngineContext,
    readonly flow: Flow,
  ) {}

  /** The language replies are written in: the person's choice, else the default. */
  get language(): string {
    return this.state.language ?? this.ctx.content.i18n.defaultLanguage;
  }

  t(key: string, vars?: Record<string, string | number>): string {
    const i18n = this.ctx.content.i18n;
    if (!i18n.has(this.language, key)) {
      this.emit({ type: "error", code: "missing_translation", extra: { key, language: this.language } });
    }
    return i18n.t(this.language, key, vars);
  }

  /** "a, b, c" with the language's own comma ("،" in Arabic). */
  list(items: readonly string[]): string {
    return items.join(this.t("common:list_separator"));
  }

  say(message: Outbound): void {
    this.outbound.push(message);
  }

  /** A question: its choices become the ones a number ("2", "٢") refers to. */
  ask(text: string, choices: Choice[] = [], extra: Partial<Outbound> = {}): void {
    this.state.offered = choices.map((c) => c.id);
    this.state.offeredLabels = choices.map((c) => c.label);
    this.say({ text, ...(choices.length > 0 ? { choices } : {}), role: "prompt", ...extra });
  }

  emit(event: EngineEvent): void {
    this.events.push(event);
  }

  stepById(id: string): FlowStep | undefined {
    return this.flow.byId.get(id);
  }

  /** A choice that belongs to a step: its id is "<step id>.<option id>". */
  choice(stepId: string, optionId: string, label: string): Choice {
    return { id: `${stepId}.${optionId}`, label };
  }
}
