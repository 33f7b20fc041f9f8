import type { EngineContext } from "./context.js";
import type { Outbound } from "./messages.js";
import { Run } from "./run.js";
import type { ConversationState } from "./state.js";
import { startNewRequest } from "./steps/common.js";

/**
 * A facilitator closed the ticket: the conversation returns to the bot, at the flow's menu, with a fresh request, and
 * the person is told. Pure, like `step`; the caller saves the state and delivers the message.
 */
export function endHandoff(state: ConversationState, ctx: EngineContext): { state: ConversationState; outbound: Outbound[]; language: string } {
  const flow = ctx.content.flows.get(state.flow) ?? ctx.content.flows.get(ctx.content.mainFlow)!;
  const run = new Run(structuredClone(state), ctx, flow);
  run.state.handoff = null;
  startNewRequest(run);
  run.state.step = flow.menu;
  run.state.offered = [];
  run.state.offeredLabels = [];
  run.say({ text: run.t("common:handoff_closed"), role: "info" });
  return { state: run.state, outbound: run.outbound, language: run.language };
}
