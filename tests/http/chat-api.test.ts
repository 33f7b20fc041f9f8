import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { haversineKm } from "../../src/triage/gazetteer.js";
import { startTestServer, type TestServer } from "../helpers/server.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

const INEZGANE = { lat: 30.355077, lon: -9.555138 };
let sessions = 0;
const newSession = () => `test-session-${String(++sessions).padStart(4, "0")}-abcdef`;

/** Health services nearest Inezgane first, computed from the directory the server reads. */
async function healthNearInezgane(): Promise<string[]> {
  const directory = await server.dalil.directory.current();
  return directory.services
    .filter((s) => s.active && s.categories.includes("health"))
    .map((s) => ({ id: s.id, km: Math.min(...s.sites.map((x) => haversineKm(INEZGANE.lat, INEZGANE.lon, x.location.lat, x.location.lon))) }))
    .sort((a, b) => a.km - b.km)
    .map((s) => s.id);
}

async function requestRowsFor(ids: string[]) {
  return server.dalil.db.prisma.request.findMany({ where: { id: { in: ids } }, include: { categories: true, referrals: { orderBy: { rank: "asc" } } } });
}

const conversations: Record<string, (string | { choice: string })[]> = {
  fr: ["Bonjour, j'ai besoin d'un médecin à Inezgane", { choice: "language.fr" }, { choice: "privacy.continue" }, { choice: "sex.female" }, { choice: "age_band.18-59" }, { choice: "status.migrant" }],
  ar: ["السلام عليكم", { choice: "language.ar" }, { choice: "privacy.continue" }, "بغيت طبيب", "إنزكان", { choice: "sex.male" }, { choice: "age_band.60+" }, { choice: "status.mre_returnee" }],
  en: ["hello", { choice: "language.en" }, { choice: "privacy.continue" }, { choice: "need.health" }, "Inezgane", { choice: "sex.undisclosed" }, { choice: "age_band.undisclosed" }, { choice: "status.undisclosed" }],
};

describe("POST /api/chat: a whole conversation", () => {
  for (const [language, script] of Object.entries(conversations)) {
    it(`in ${language}: a person in Inezgane asking for a doctor gets health services nearest Inezgane first, and one request row`, async () => {
      const session = newSession();
      let last: any;
      for (const step of script) {
        const { status, json } = await server.chat(typeof step === "string" ? { session, text: step } : { session, ...step });
        expect(status).toBe(200);
        last = json;
      }
      expect(last.language).toBe(language);
      expect(last.dir).toBe(language === "ar" ? "rtl" : "ltr");
      const cards = last.messages.filter((m: any) => m.role === "referral");
      expect(cards).toHaveLength(3);
      for (const card of cards) expect(card.location).toEqual({ lat: expect.any(Number), lon: expect.any(Number), name: expect.any(String) });
      const expected = (await healthNearInezgane()).slice(0, 3);
      const rows = await server.dalil.db.prisma.request.findMany({ where: { language }, include: { categories: true, referrals: { orderBy: { rank: "asc" } } } });
      expect(rows).toHaveLength(1);
      const row = rows[0]!;
      expect(row.referrals.map((r) => r.serviceId)).toEqual(expected);
      expect(row.categories.map((c) => c.category)).toEqual(["health"]);
      expect(row).toMatchObject({ channel: "web", commune: "09.273.01.15", region: "09", outcome: "referred" });
      expect(JSON.stringify(row)).not.toContain(session);
      expect(last.messages.at(-1).choices.map((c: any) => c.id)).toEqual(["after.new", "after.human", "after.end"]);
    });
  }
});

describe("POST /api/chat: the request format", () => {
  it("a choice wins over text sent with it", async () => {
    const session = newSession();
    await server.chat({ session, command: "start" });
    const { json } = await server.chat({ session, choice: "language.en", text: "français" });
    expect(json.language).toBe("en");
  });

  it("a command starts the conversation (what the page sends when it opens)", async () => {
    const { status, json } = await server.chat({ session: newSession(), command: "start" });
    expect(status).toBe(200);
    expect(json.messages[0].choices.map((c: any) => c.id)).toEqual(["language.fr", "language.ar", "language.en"]);
  });

  it("a shared location answers the place question", async () => {
    const session = newSession();
    for (const step of [{ text: "hello" }, { choice: "language.en" }, { choice: "privacy.continue" }, { choice: "need.shelter" }]) await server.chat({ session, ...step });
    const { json } = await server.chat({ session, location: { lat: 34.6814, lon: -1.9086 } });
    expect(json.messages.at(-1).choices.map((c: any) => c.id)).toContain("sex.female");
  });

  const bad: [string, unknown][] = [
    ["malformed JSON", "{\"session\": "],
    ["JSON that is not an object", "[1, 2, 3]"],
    ["a JSON string", "\"hello\""],
    ["no session", { text: "hello" }],
    ["a session too short", { session: "short", text: "hi" }],
    ["a session too long", { session: "a".repeat(129), text: "hi" }],
    ["a session with other characters", { session: "abcdefghijklmnop/../..", text: "hi" }],
    ["text of the wrong type", { session: "abcdefghijklmnopqrst", text: 42 }],
    ["a location of the wrong type", { session: "abcdefghijklmnopqrst", location: { lat: "30", lon: -9 } }],
    ["nothing to say", { session: "abcdefghijklmnopqrst" }],
    ["an unknown field", { session: "abcdefghijklmnopqrst", text: "hi", admin: true }],
    ["an unknown command", { session: "abcdefghijklmnopqrst", command: "drop" }],
    ["a huge body", { session: "abcdefghijklmnopqrst", text: "x".repeat(100_000) }],
  ];
  for (const [description, body] of bad) {
    it(`${description} gets a 400 with a JSON error`, async () => {
      const { status, json } = await server.chat(body);
      expect(status).toBe(400);
      expect(typeof json.error).toBe("string");
    });
  }
});

describe("other routes", () => {
  it("GET /healthz reports the database and the content", async () => {
    const response = await fetch(`${server.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: "ok", database: true, content: { flows: 1, languages: ["fr", "ar", "en"] } });
  });

  it("serves the page and its own files with a CSP that forbids inline scripts", async () => {
    const page = await fetch(`${server.url}/`);
    expect(page.status).toBe(200);
    const csp = page.headers.get("content-security-policy")!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("unsafe-inline");
    const html = await page.text();
    expect(html).toContain('<script type="module" src="/static/chat.js"></script>');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/https?:\/\/(?!www\.openstreetmap)/);
    for (const file of ["chat.js", "chat.css", "favicon.svg"]) expect((await fetch(`${server.url}/static/${file}`)).status).toBe(200);
    expect((await fetch(`${server.url}/static/../package.json`)).status).toBe(404);
  });

  it("GET /api/strings gives the page's strings in a language, with its direction", async () => {
    const json = (await (await fetch(`${server.url}/api/strings/ar`)).json()) as any;
    expect(json.dir).toBe("rtl");
    expect(json.strings.send).toBe("إرسال");
    expect(json.languages.map((l: any) => l.code)).toEqual(["fr", "ar", "en"]);
  });

  it("GET /api/events/:session streams messages that arrive later", async () => {
    const session = newSession();
    await server.chat({ session, command: "start" });
    await server.chat({ session, choice: "language.en" });
    const controller = new AbortController();
    const response = await fetch(`${server.url}/api/events/${session}`, { signal: controller.signal });
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const reader = response.body!.getReader();
    setTimeout(() => void server.dalil.conversations.deliverLater("web", session, [{ text: "A facilitator writes: hello", role: "info" }]), 100);
    let received = "";
    while (!received.includes("\n\n")) received += new TextDecoder().decode((await reader.read()).value);
    controller.abort();
    const data = JSON.parse(/data: (.*)/.exec(received)![1]!);
    expect(data).toEqual({ language: "en", dir: "ltr", messages: [{ text: "A facilitator writes: hello", role: "info" }] });
    expect(await server.dalil.conversations.collect("web", session)).toEqual([]);
  });

  it("an unknown path is a JSON 404, a bad events session a 400", async () => {
    expect((await fetch(`${server.url}/nope`)).status).toBe(404);
    expect((await fetch(`${server.url}/api/events/bad`)).status).toBe(400);
  });
});
