import { randomUUID } from "node:crypto";
import { createInterface } from "node:readline/promises";
import type { EngineContext } from "../engine/context.js";
import type { Choice, Inbound, Outbound } from "../engine/messages.js";
import type { ConversationState } from "../engine/state.js";
import { step, type StepResult } from "../engine/step.js";

/** Sends one message to Dalil and returns the step's result. */
export type Send = (inbound: Inbound) => Promise<StepResult>;

/** A conversation held in this process only: nothing is stored. */
export function inMemory(context: () => EngineContext): Send {
  let state: ConversationState | null = null;
  return async (inbound) => {
    const result = step(state, inbound, context());
    state = result.state;
    return result;
  };
}

/**
 * A conversation in the terminal, for trying content without any other channel: choices are numbered, "/loc lat lon"
 * shares a location, "/voice" sends a voice note, "/quit" ends.
 */
export async function runTerminalChat(send: Send, input: NodeJS.ReadableStream, output: NodeJS.WritableStream): Promise<void> {
  const rl = createInterface({ input, output, terminal: false });
  let choices: Choice[] = [];
  const print = (messages: Outbound[]) => {
    for (const m of messages) {
      output.write(`\n${m.text}\n`);
      if (m.choices) output.write(m.choices.map((c, i) => `  ${i + 1}. ${c.label}`).join("\n") + "\n");
      if (m.askLocation) output.write("  (/loc <lat> <lon> to share a location)\n");
      if (m.choices) choices = m.choices;
    }
  };
  output.write("Dalil in the terminal. Type a message, a choice number, /loc <lat> <lon>, /voice, or /quit.\n");
  for await (const line of rl) {
    const text = line.trim();
    if (text === "/quit") break;
    let inbound: Inbound = { kind: "text", text: line };
    const location = /^\/loc\s+(-?[\d.]+)\s+(-?[\d.]+)$/.exec(text);
    if (location) inbound = { kind: "location", lat: Number(location[1]), lon: Number(location[2]) };
    else if (text === "/voice") inbound = { kind: "media", media: "voice" };
    else if (/^\d+$/.test(text) && choices[Number(text) - 1]) inbound = { kind: "choice", id: choices[Number(text) - 1]!.id };
    const result = await send(inbound);
    print(result.outbound);
    for (const event of result.events) output.write(`  · event ${event.type}${event.type === "request_logged" ? ` ${JSON.stringify(event.request)}` : ""}\n`);
  }
  rl.close();
}

/** Ids for request rows: random, so that nothing links them to a person or to each other. */
export const randomId = (): string => randomUUID();
