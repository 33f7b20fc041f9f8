/**
 * A web chat session id is the only key to its conversation: another id, even one that differs only in case or by a
 * character more or less, never reads its messages (here a facilitator's reply waiting for it).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PASSWORD, startHarness, type Harness } from "./harness.js";

let server: Harness;
const A = "IsolationSessionAbc123_xyz-0001";
const REPLY = "Rendez-vous demain a 9h au bureau, numero de dossier 7731";

beforeAll(async () => {
  server = await startHarness({ env: { DALIL_RATE_LIMIT_MESSAGES: "100" } });
  await server.dalil.users.create({ login: "amina", role: "facilitator", displayName: "Amina", password: PASSWORD }, new Date());
});
afterAll(async () => {
  await server?.close();
});

/** What the events stream of a session sends within `ms` (the first look at the outbox is immediate). */
async function eventsOf(session: string, ms = 700): Promise<{ status: number; text: string }> {
  const abort = new AbortController();
  const response = await fetch(`${server.url}/api/events/${session}`, { signal: abort.signal });
  if (response.status !== 200) return { status: response.status, text: await response.text() };
  const reader = response.body!.getReader();
  let text = "";
  const timer = setTimeout(() => abort.abort(), ms);
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
  } catch {
    // Aborted: time is up.
  } finally {
    clearTimeout(timer);
  }
  return { status: response.status, text };
}

describe("web chat sessions", () => {
  it("a facilitator's reply to session A reaches A only, whatever B's id looks like", async () => {
    for (const body of [{ command: "start" }, { choice: "language.fr" }, { choice: "privacy.continue" }, { text: "je veux parler à quelqu'un, j'ai un problème de papiers à Inezgane" }]) {
      expect((await server.chat({ session: A, ...body })).status).toBe(200);
    }
    const [ticket] = await server.dalil.tickets.queue();
    expect(ticket).toBeDefined();
    const amina = { key: "web:amina", name: "Amina" };
    expect((await server.dalil.handoff.claim(ticket!.id, amina)).ok).toBe(true);
    await server.dalil.handoff.reply(ticket!.id, amina, REPLY);

    const lookalikes = [A.toLowerCase(), A.toUpperCase(), `${A}x`, `${A}-`, A.slice(0, -1), `x${A}`, A.replace("Abc", "ABC")];
    for (const other of lookalikes) {
      expect(other).not.toBe(A);
      const events = await eventsOf(other);
      expect(events.status, other).toBe(200);
      expect(events.text, `events of ${other}`).not.toContain("7731");
      const answer = await server.chat({ session: other, command: "start" });
      expect(JSON.stringify(answer.json), `chat of ${other}`).not.toContain("7731");
      const next = await server.chat({ session: other, text: "bonjour" });
      expect(JSON.stringify(next.json), `chat of ${other}`).not.toContain("7731");
    }
    // Ids that are not session ids at all are refused.
    for (const bad of [`${A}/`, `${A}%00`, `${A}.`, "short"]) expect((await fetch(`${server.url}/api/events/${bad}`)).status, bad).not.toBe(200);

    // A itself still has it: nothing above took it.
    const own = await eventsOf(A, 3000);
    expect(own.text).toContain("7731");
  });
});
