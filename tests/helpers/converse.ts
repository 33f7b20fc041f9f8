import type { EngineContext } from "../../src/engine/context.js";
import type { Inbound } from "../../src/engine/messages.js";
import type { ConversationState } from "../../src/engine/state.js";
import { step, type StepResult } from "../../src/engine/step.js";

/** A conversation held in memory: each `send` runs one engine step on the state the previous one left. */
export class Conversation {
  state: ConversationState | null = null;
  readonly history: StepResult[] = [];

  constructor(readonly ctx: EngineContext) {}

  send(inbound: Inbound | string): StepResult {
    const message: Inbound = typeof inbound === "string" ? { kind: "text", text: inbound } : inbound;
    const result = step(this.state, message, this.ctx);
    this.state = result.state;
    this.history.push(result);
    return result;
  }

  /** Press the button whose id ends with `suffix` in the last message that had choices. */
  press(suffix: string): StepResult {
    const last = this.history.at(-1);
    const choices = last?.outbound.flatMap((m) => m.choices ?? []) ?? [];
    const choice = choices.find((c) => c.id.endsWith(suffix));
    if (!choice) throw new Error(`No button ending with "${suffix}" among: ${choices.map((c) => c.id).join(", ")}`);
    return this.send({ kind: "choice", id: choice.id });
  }

  get events() {
    return this.history.flatMap((r) => r.events);
  }

  get step(): string | null {
    return this.state?.step ?? null;
  }
}
