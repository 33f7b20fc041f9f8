import type { EngineContext } from "./context.js";
import type { EngineEvent } from "./messages.js";
import { Run } from "./run.js";
import type { ConversationState } from "./state.js";
import { logRequest, startNewRequest } from "./steps/common.js";

/** Whether the state holds a request that was begun and not yet logged. */
export function hasOpenRequest(state: ConversationState): boolean {
  const r = state.request;
  return r.loggedId === null && (r.categories.length > 0 || r.commune !== null || r.urgent);
}

/**
 * A request left idle: log it as `abandoned` and start the conversation afresh at the flow's menu, so that a person who
 * comes back later begins a new request. Null when there is nothing to abandon. Pure, like `step`.
 */
export function abandon(state: ConversationState, ctx: EngineContext): { state: ConversationState; events: EngineEvent[] } | null {
  const flow = ctx.content.flows.get(state.flow);
  if (!flow || !hasOpenRequest(state)) return null;
  const run = new Run(structuredClone(state), ctx, flow);
  logRequest(run, "abandoned");
  startNewRequest(run);
  run.state.step = flow.menu;
  run.state.offered = [];
  run.state.returnTo = null;
  return { state: run.state, events: run.events };
}
