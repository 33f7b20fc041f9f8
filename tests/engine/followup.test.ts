/**
 * The follow-up question and its answers in the engine alone (no database): what is asked, in which language, what
 * each answer emits, and what happens to stale, forged and typed answers.
 */
import { describe, expect, it } from "vitest";
import { askFollowup } from "../../src/engine/followup.js";
import { followupDays, followupSettingsSchema, withinPoliteHours } from "../../src/engine/followup-settings.js";
import type { ConversationState } from "../../src/engine/state.js";
import { Conversation } from "../helpers/converse.js";
import { fixtureDirectory, realContent, testContext } from "../helpers/content.js";

const directory = fixtureDirectory();
const ctx = { ...testContext({ directory }), canFollowUp: true };

/** A conversation at the end of a referral to svc-health-agadir, with consent given. */
function afterReferral(language = "fr"): Conversation {
  const conversation = new Conversation(ctx);
  conversation.send("bonjour");
  conversation.press(`language.${language}`);
  conversation.press("privacy.continue");
  conversation.press("need.health");
  conversation.send("Agadir");
  conversation.press("sex.male");
  conversation.press("age_band.18-59");
  conversation.press("status.migrant");
  conversation.press("followup.yes");
  return conversation;
}

function ask(conversation: Conversation, reminder = false) {
  const result = askFollowup(conversation.state!, { id: "fu-1", serviceId: "svc-health-agadir", commune: "09.001.01.01", reminder }, ctx);
  if ("held" in result) throw new Error(`held: ${result.held}`);
  conversation.state = result.state;
  conversation.history.push(result);
  return result;
}

describe("the follow-up question", () => {
  it("names the service, in the person's language, with the five answers", () => {
    const conversation = afterReferral("ar");
    const result = ask(conversation);
    expect(result.dir).toBe("rtl");
    expect(result.outbound).toHaveLength(1);
    expect(result.outbound[0]!.text).toContain("Santé Pour Tous (test)");
    expect(result.outbound[0]!.text).toMatch(/^مرحبا، معك دليل/);
    expect(result.outbound[0]!.choices!.map((c) => c.label)).toEqual(["نعم، ساعدوني", "نعم، لكن بدون حل", "ليس بعد", "لا، لم أستطع", "لا تسألني مرة أخرى"]);
    expect(result.events).toEqual([]);
  });

  it("is held without consent, and while a facilitator has the conversation", () => {
    const conversation = afterReferral();
    const noConsent: ConversationState = { ...conversation.state!, followup: { consent: false, asked: null } };
    expect(askFollowup(noConsent, { id: "fu-1", serviceId: "svc-health-agadir", commune: null, reminder: false }, ctx)).toEqual({ held: "no_consent" });
    const inHandoff: ConversationState = { ...conversation.state!, handoff: { since: "2026-11-25T10:00:00Z", urgent: false } };
    expect(askFollowup(inHandoff, { id: "fu-1", serviceId: "svc-health-agadir", commune: null, reminder: false }, ctx)).toEqual({ held: "in_handoff" });
  });

  it("does not change the stored state it was given", () => {
    const conversation = afterReferral();
    const before = structuredClone(conversation.state);
    askFollowup(conversation.state!, { id: "fu-1", serviceId: "svc-health-agadir", commune: null, reminder: false }, ctx);
    expect(conversation.state).toEqual(before);
  });
});

describe("answers", () => {
  const cases: { answer: string; events: unknown[]; lastChoices: string[] }[] = [
    { answer: "fu.helped", events: [{ type: "followup_answered", followupId: "fu-1", answer: "helped" }], lastChoices: ["g.menu"] },
    { answer: "fu.reached_not_helped", events: [{ type: "followup_answered", followupId: "fu-1", answer: "reached_not_helped" }], lastChoices: ["g.human", "g.menu"] },
    { answer: "fu.not_yet", events: [{ type: "followup_answered", followupId: "fu-1", answer: "not_yet" }], lastChoices: ["g.human", "g.menu"] },
    { answer: "fu.could_not", events: [{ type: "followup_answered", followupId: "fu-1", answer: "could_not" }], lastChoices: ["fu.reason.closed", "fu.reason.too_far", "fu.reason.cost", "fu.reason.documents", "fu.reason.language", "fu.reason.unwelcome", "fu.reason.other", "fu.reason.skip"] },
    { answer: "fu.stop", events: [{ type: "followup_stopped", followupId: "fu-1" }], lastChoices: ["g.menu"] },
  ];
  for (const c of cases) {
    it(c.answer, () => {
      const conversation = afterReferral();
      ask(conversation);
      const result = conversation.send({ kind: "choice", id: c.answer });
      expect(result.events).toEqual(c.events);
      expect(result.outbound.at(-1)!.choices!.map((x) => x.id)).toEqual(c.lastChoices);
    });
  }

  it("a reason after could_not, or none", () => {
    const conversation = afterReferral();
    ask(conversation);
    conversation.send({ kind: "choice", id: "fu.could_not" });
    expect(conversation.send({ kind: "choice", id: "fu.reason.documents" }).events).toEqual([{ type: "followup_reason", followupId: "fu-1", reason: "documents" }]);
    const other = afterReferral();
    ask(other);
    other.send({ kind: "choice", id: "fu.could_not" });
    const skipped = other.send({ kind: "choice", id: "fu.reason.skip" });
    expect(skipped.events).toEqual([]);
    expect(other.state!.followup.asked).toBeNull();
  });

  it("answers typed as the button's words or its number", () => {
    const typed = afterReferral();
    ask(typed);
    expect(typed.send("non, je n'ai pas pu").events).toEqual([{ type: "followup_answered", followupId: "fu-1", answer: "could_not" }]);
    const numbered = afterReferral();
    ask(numbered);
    expect(numbered.send("١").events).toEqual([{ type: "followup_answered", followupId: "fu-1", answer: "helped" }]);
  });

  it("forged or stale follow-up buttons are refused politely and emit nothing", () => {
    const none = afterReferral();
    const stale = none.send({ kind: "choice", id: "fu.helped" });
    expect(stale.events).toEqual([]);
    expect(stale.outbound[0]!.text).toBe("Ce bouton n'est plus valable. Voici la question en cours :");
    const asked = afterReferral();
    ask(asked);
    for (const id of ["fu.reason.too_far", "fu.maybe", "fu.", "fu.reason.", "fu.helped\u0000"]) {
      const result = asked.send({ kind: "choice", id });
      expect(result.events, id).toEqual([]);
      expect(result.outbound[0]!.role, id).toBe("notice");
    }
    asked.send({ kind: "choice", id: "fu.could_not" });
    expect(asked.send({ kind: "choice", id: "fu.reason.bribe" }).events).toEqual([]);
  });

  it("the person moves on to a new request: the question's buttons still answer it later", () => {
    const conversation = afterReferral();
    ask(conversation);
    conversation.send({ kind: "choice", id: "g.menu" });
    conversation.send("je cherche un travail");
    expect(conversation.send({ kind: "choice", id: "fu.helped" }).events).toEqual([{ type: "followup_answered", followupId: "fu-1", answer: "helped" }]);
  });

  it("'stop' typed with consent given stops every follow-up; without consent it is not a follow-up answer", () => {
    const conversation = afterReferral();
    expect(conversation.send("Stop").events).toEqual([{ type: "followup_stopped", followupId: null }]);
    expect(conversation.state!.followup).toEqual({ consent: false, asked: null });
    expect(conversation.send("stop").events.some((e) => e.type === "followup_stopped")).toBe(false);
  });
});

describe("settings", () => {
  const settings = realContent().content.followup;
  it("days by the request's first need", () => {
    expect(followupDays(settings, ["health", "shelter"])).toBe(1);
    expect(followupDays(settings, ["protection"])).toBe(1);
    expect(followupDays(settings, ["employment"])).toBe(3);
    expect(followupDays(settings, [])).toBe(3);
  });
  it("polite hours in Casablanca time, end excluded", () => {
    expect(withinPoliteHours(settings, new Date("2026-11-25T07:59:00Z"))).toBe(false);
    expect(withinPoliteHours(settings, new Date("2026-11-25T08:00:00Z"))).toBe(true);
    expect(withinPoliteHours(settings, new Date("2026-11-25T18:59:00Z"))).toBe(true);
    expect(withinPoliteHours(settings, new Date("2026-11-25T19:00:00Z"))).toBe(false);
  });
  it("a settings file with a backwards range or a repeated reason is refused with the field named", () => {
    const bad = followupSettingsSchema.safeParse({ ...settings, polite_hours: "20:00-09:00", reasons: ["cost", "cost"] });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((i) => i.path.join("."))).toEqual(["polite_hours", "reasons"]);
  });
});
