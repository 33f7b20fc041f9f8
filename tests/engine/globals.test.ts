/**
 * What works at any step: menu, language, delete my data, help, talk to a person, danger signals, media, stale or
 * forged buttons, empty and huge messages, numbers. Each case: a conversation brought to a step by `before`, then
 * one message, and what must follow.
 */
import { describe, expect, it } from "vitest";
import type { Inbound } from "../../src/engine/messages.js";
import { Conversation } from "../helpers/converse.js";
import { realContent, testContext } from "../helpers/content.js";

const t = (language: string, key: string) => realContent().content.i18n.t(language, key);

/** French, past the privacy notice, at the need question. */
const AT_NEED: (Inbound | string)[] = ["bonjour", { kind: "choice", id: "language.fr" }, { kind: "choice", id: "privacy.continue" }];
/** French, at the place question, need: health. */
const AT_PLACE = [...AT_NEED, { kind: "choice", id: "need.health" } as Inbound];

interface GlobalCase {
  description: string;
  before: (Inbound | string)[];
  input: Inbound | string;
  /** The step the conversation is at afterwards; null when it was forgotten. */
  stepAfter: string | null;
  /** Texts (or locale keys in French, prefixed "fr:") that the replies contain, in order. */
  says?: string[];
  events?: string[];
}

const cases: GlobalCase[] = [
  { description: '"menu" restarts at the need question', before: AT_PLACE, input: "menu", stepAfter: "need", says: ["fr:intake:need.prompt"] },
  { description: '"0" restarts at the need question', before: AT_PLACE, input: "0", stepAfter: "need" },
  { description: '"langue" opens the language question, then goes back', before: AT_PLACE, input: "langue", stepAfter: "language" },
  { description: '"لغة" opens the language question too', before: AT_PLACE, input: "لغة", stepAfter: "language" },
  { description: '"supprimer mes données" asks to confirm', before: AT_PLACE, input: "supprimer mes données", stepAfter: "place", says: ["fr:common:delete.confirm"], events: [] },
  { description: "confirming deletion forgets the conversation and emits delete_requested", before: [...AT_PLACE, "supprimer mes données"], input: { kind: "choice", id: "g.delete.yes" }, stepAfter: null, says: ["fr:common:delete.done"], events: ["delete_requested"] },
  { description: "declining deletion keeps everything and asks the question again", before: [...AT_PLACE, "delete my data"], input: { kind: "choice", id: "g.delete.no" }, stepAfter: "place", says: ["fr:common:delete.kept", "fr:intake:place.prompt"], events: [] },
  { description: '"احذف بياناتي" asks to confirm in any language', before: AT_NEED, input: "احذف بياناتي", stepAfter: "need", says: ["fr:common:delete.confirm"] },
  { description: '"aide" shows the help, then the question again', before: AT_PLACE, input: "aide", stepAfter: "place", says: ["fr:common:help", "fr:intake:place.prompt"] },
  { description: '"je veux parler à quelqu\'un" hands the conversation to a facilitator', before: AT_PLACE, input: "je veux parler à quelqu'un", stepAfter: "handoff", says: ["fr:intake:handoff.queued"], events: ["request_logged", "handoff_wished"] },
  { description: "a voice note gets a polite answer and the question again", before: AT_PLACE, input: { kind: "media", media: "voice" }, stepAfter: "place", says: ["fr:common:media_not_supported", "fr:intake:place.prompt"] },
  { description: "a sticker before anything else gets the same answer, then the language question", before: [], input: { kind: "media", media: "sticker" }, stepAfter: "language", says: ["fr:common:media_not_supported"] },
  { description: "a forged button id is refused and the current question shown", before: AT_PLACE, input: { kind: "choice", id: "need.health'; DROP TABLE request;--" }, stepAfter: "place", says: ["fr:common:button_expired", "fr:intake:place.prompt"] },
  { description: "a button from an earlier question has expired", before: AT_PLACE, input: { kind: "choice", id: "privacy.continue" }, stepAfter: "place", says: ["fr:common:button_expired"] },
  { description: "an empty message", before: AT_PLACE, input: "   \u200B ", stepAfter: "place", says: ["fr:common:empty_message", "fr:intake:place.prompt"] },
  { description: "a 10,000-character message is read, not refused", before: AT_NEED, input: "j'ai besoin d'un médecin ".repeat(400), stepAfter: "place", says: ["Santé"] },
  { description: "a number answers the current question", before: AT_NEED, input: "3", stepAfter: "place", says: ["Violence"] },
  { description: "an Arabic-Indic number too", before: AT_NEED, input: "٤", stepAfter: "place", says: ["Logement"] },
  { description: "a number beyond the choices is read as words", before: AT_NEED, input: "42", stepAfter: "need", says: ["fr:common:not_understood"] },
  { description: "danger mid-flow: emergency numbers first, then an urgent handoff", before: AT_PLACE, input: "mon mari me frappe maintenant à Agadir", stepAfter: "handoff", says: ["fr:common:emergency.intro", "19", "177", "15", "fr:intake:handoff.queued"], events: ["urgent_detected", "request_logged", "handoff_wished"] },
  { description: "danger as the first message: numbers in the language written, then an urgent handoff", before: [], input: "my wife is pregnant and bleeding a lot", stepAfter: "handoff", says: ["If you are in danger now", "19", "a facilitator will answer you here"], events: ["urgent_detected", "request_logged", "handoff_wished"] },
  { description: "a location outside Morocco at the place question", before: AT_PLACE, input: { kind: "location", lat: 40.4168, lon: -3.7038 }, stepAfter: "place", says: ["fr:steps:ask_place.outside_country"] },
  { description: "a location with impossible coordinates", before: AT_PLACE, input: { kind: "location", lat: Number.NaN, lon: 500 }, stepAfter: "place", says: ["fr:common:location_invalid"] },
];

describe("global commands and odd input", () => {
  for (const c of cases) {
    it(c.description, () => {
      const conversation = new Conversation(testContext());
      for (const message of c.before) conversation.send(message);
      const result = conversation.send(c.input);
      expect(conversation.step).toBe(c.stepAfter);
      const said = result.outbound.map((m) => m.text).join("\n");
      let from = 0;
      for (const expected of c.says ?? []) {
        const text = expected.startsWith("fr:") ? t("fr", expected.slice(3)) : expected;
        const at = said.indexOf(text, from);
        expect(at, `expected replies to contain, in order: ${text}\n--- replies ---\n${said}`).toBeGreaterThanOrEqual(0);
        from = at + text.length;
      }
      if (c.events) expect(result.events.map((e) => e.type).filter((e) => e !== "language_set")).toEqual(c.events);
    });
  }

  it("an urgent handoff carries the message, the need and the place on its card", () => {
    const conversation = new Conversation(testContext());
    for (const message of AT_PLACE) conversation.send(message);
    const result = conversation.send("mon mari me frappe maintenant à Agadir");
    const wish = result.events.find((e) => e.type === "handoff_wished") as Extract<(typeof result.events)[number], { type: "handoff_wished" }>;
    expect(wish).toMatchObject({ urgent: true, reason: "urgent", card: { urgent: true, commune: "09.001.01.01", categories: ["health"], signals: expect.arrayContaining(["violence_now"]) } });
    expect(wish.transcript.at(-1)).toEqual({ from: "person", text: "mon mari me frappe maintenant à Agadir" });
    expect(wish.transcript.some((l) => l.from === "person" && l.text === "[Santé et soins]")).toBe(true);
  });

  it("while a facilitator has the conversation, messages are relayed, not answered by the flow", () => {
    const conversation = new Conversation(testContext());
    for (const message of AT_PLACE) conversation.send(message);
    conversation.send("je veux parler à quelqu'un");
    let result = conversation.send("bonjour, j'attends");
    expect(result.outbound).toEqual([]);
    expect(result.events).toEqual([{ type: "relay", message: { kind: "text", text: "bonjour, j'attends" }, urgent: false }]);
    result = conversation.send({ kind: "media", media: "voice" });
    expect(result.events).toEqual([{ type: "relay", message: { kind: "media", media: "voice" }, urgent: false }]);
    result = conversation.send("il me frappe maintenant");
    expect(result.outbound[0]!.role).toBe("emergency");
    expect(result.events.find((e) => e.type === "relay")).toMatchObject({ urgent: true });
    result = conversation.send("supprimer mes données");
    expect(result.outbound.at(-1)!.choices!.map((c) => c.id)).toEqual(["g.delete.yes", "g.delete.no"]);
    result = conversation.send({ kind: "choice", id: "g.delete.yes" });
    expect(result.state).toBeNull();
  });

  it("after a change of language the person goes back to the question they were at, in the new language", () => {
    const conversation = new Conversation(testContext());
    for (const message of AT_PLACE) conversation.send(message);
    conversation.send("language");
    const result = conversation.press("language.en");
    expect(conversation.step).toBe("place");
    expect(result.outbound.at(-1)!.text).toBe(t("en", "intake:place.prompt"));
  });

  it("never changes the state it was given", () => {
    const conversation = new Conversation(testContext());
    for (const message of AT_PLACE) conversation.send(message);
    const before = structuredClone(conversation.state);
    const frozen = conversation.state!;
    conversation.send("Inezgane");
    expect(frozen).toEqual(before);
  });

  it("is deterministic: the same messages give the same replies, events and state", () => {
    const script = [...AT_PLACE, "Inezgane", "Femme", "18 à 59 ans", { kind: "choice", id: "status.migrant" } as Inbound];
    const run = () => {
      const conversation = new Conversation(testContext());
      for (const message of script) conversation.send(message);
      return conversation.history;
    };
    expect(run()).toEqual(run());
  });
});
