/**
 * The hostile-input corpus through the JSON API (`POST /api/chat`, `GET /api/events/:session`) over real HTTP: every
 * text at several points of a conversation, in French and in Arabic, gets a 200 with a reply in the session's
 * language and the conversation goes on; malformed requests get a 400 with a JSON error; nothing gets a 5xx.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_TEXT } from "../../src/channels/web.js";
import type { Dalil } from "../../src/app/dalil.js";
import { projectRoot } from "../../src/content/files.js";
import { MAX_BODY_BYTES, createHttpApp, startHttpServer } from "../../src/http/server.js";
import { personHash } from "../../src/store/secret.js";
import { normalise } from "../../src/triage/normalise.js";
import { TestClock, silentLogger, startTestDalil, tempDir } from "../helpers/store.js";
import { BAD_LOCATIONS, FORGED_CHOICES, INEZGANE, PLACE_TRICKS, TEXTS, distinctiveWords, inLanguage } from "./corpus.js";

/**
 * Like tests/helpers/server.ts, without the per-address and global API limits: the whole corpus comes from one
 * address within a minute of the test clock. The per-person limit stays (each case uses a conversation of its own).
 */
async function startServer(): Promise<{ url: string; dalil: Dalil; close: () => Promise<void> }> {
  const dir = tempDir();
  const dalil = await startTestDalil(dir.path, { clock: new TestClock(), env: { DALIL_RATE_LIMIT_IP_PER_MINUTE: "0", DALIL_RATE_LIMIT_GLOBAL_PER_MINUTE: "0" } });
  const http = await startHttpServer(createHttpApp({ dalil, logger: silentLogger, root: projectRoot() }), { host: "127.0.0.1", port: 0 });
  return {
    url: http.url.replace("localhost", "127.0.0.1"),
    dalil,
    async close() {
      await http.close();
      await dalil.close();
      dir.cleanup();
    },
  };
}

let server: Awaited<ReturnType<typeof startServer>>;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.close();
});

let sessions = 0;
/** A fresh conversation for each case: the rate limit (30 messages in 10 s) is per person. */
const newSession = () => `hostile-api-${String(++sessions).padStart(5, "0")}-abcdef`;
const t = (language: string, key: string) => server.dalil.loaded.content.i18n.t(language, key);

interface Answer {
  status: number;
  json: any;
  contentType: string;
}

/** A raw POST /api/chat: any body, any content type. */
async function post(body: string | Uint8Array | ReadableStream, contentType: string | null = "application/json"): Promise<Answer> {
  const response = await fetch(`${server.url}/api/chat`, {
    method: "POST",
    headers: contentType === null ? {} : { "content-type": contentType },
    body,
    ...(body instanceof ReadableStream ? { duplex: "half" } : {}),
  } as RequestInit);
  const contentTypeOut = response.headers.get("content-type") ?? "";
  const raw = await response.text();
  let json: any = null;
  try {
    json = JSON.parse(raw);
  } catch {
    json = { unparsed: raw };
  }
  return { status: response.status, json, contentType: contentTypeOut };
}
const chat = (body: object) => post(JSON.stringify(body));

/** The language menu as shown before any language is chosen: every language at once, the one message not in one language. */
const allLanguagesMenu = () => server.dalil.loaded.content.i18n.languages.map((l) => t(l, "intake:language.prompt")).join("\n");

function expectInLanguage(answer: Answer, language: string, context: string): void {
  expect(answer.status, `${context}: status (${JSON.stringify(answer.json).slice(0, 300)})`).toBe(200);
  expect(answer.json.language, `${context}: language`).toBe(language);
  expect(answer.json.dir, `${context}: dir`).toBe(language === "ar" ? "rtl" : "ltr");
  expect(answer.json.messages.length, `${context}: some reply`).toBeGreaterThan(0);
  for (const m of answer.json.messages) {
    if (m.text === allLanguagesMenu()) continue;
    expect(inLanguage(m.text, language), `${context}: "${m.text.slice(0, 120)}" is in ${language}`).toBe(true);
    for (const c of m.choices ?? []) if (!c.id.startsWith("language.")) expect(inLanguage(c.label, language), `${context}: button "${c.label}" is in ${language}`).toBe(true);
  }
}

/** Where in a conversation a hostile message arrives, and the steps that lead there. */
const POINTS: Record<string, (language: string) => object[]> = {
  "after choosing the language": (language) => [{ command: "start" }, { choice: `language.${language}` }],
  "at the need question": (language) => [{ command: "start" }, { choice: `language.${language}` }, { choice: "privacy.continue" }],
  "at the place question": (language) => [{ command: "start" }, { choice: `language.${language}` }, { choice: "privacy.continue" }, { choice: "need.health" }],
};

async function reach(session: string, steps: object[]): Promise<Answer> {
  let last: Answer | undefined;
  for (const body of steps) {
    last = await chat({ session, ...body });
    expect(last.status).toBe(200);
  }
  return last!;
}

/** The conversation still works: the question now asked can be answered (its first button, or a place). */
async function goOn(session: string, last: Answer, language: string, context: string): Promise<Answer> {
  const asking = [...last.json.messages].reverse().find((m: any) => m.choices?.length || m.askLocation);
  if (!asking) {
    // With a facilitator (a relayed message gets no answer): help still answers.
    const help = await chat({ session, command: "help" });
    expect(help.status, `${context}: next step`).toBe(200);
    return help;
  }
  const next = asking.choices?.length ? await chat({ session, choice: asking.choices[0].id }) : await chat({ session, location: INEZGANE });
  expectInLanguage(next, language, `${context}, next step`);
  expect(next.json.messages.map((m: any) => m.text), `${context}: next step accepted`).not.toContain(t(language, "common:button_expired"));
  if (!asking.choices?.length) expect(next.json.messages.at(-1).choices.map((c: any) => c.id), `${context}: place taken`).toContain("sex.female");
  return next;
}

/** On to the end of the request: the first button of each question until the referrals (the request is logged). */
async function finish(session: string, last: Answer, language: string, context: string): Promise<void> {
  for (let i = 0; i < 8; i++) {
    const ids: string[] = last.json.messages.at(-1)?.choices?.map((c: any) => c.id) ?? [];
    if (ids.includes("after.new") || ids.length === 0) return;
    last = await chat({ session, choice: ids[0] });
    expectInLanguage(last, language, `${context}, to the end`);
  }
}

describe("POST /api/chat: every corpus text as the first message", () => {
  for (const c of TEXTS) {
    it(c.name, async () => {
      const session = newSession();
      const answer = await chat({ session, text: c.text });
      expect(answer.status, JSON.stringify(answer.json).slice(0, 300)).toBe(200);
      const language = answer.json.language;
      expect(["fr", "ar", "en"]).toContain(language);
      expectInLanguage(answer, language, "first message");
      // Whatever it was, the language question follows.
      expect(answer.json.messages.at(-1).choices.map((x: any) => x.id)).toEqual(expect.arrayContaining(["language.fr", "language.ar", "language.en"]));
      if (c.expect === "empty") expect(answer.json.messages[0].text).toBe(t("fr", "common:empty_message"));
      for (const chosen of ["ar"]) expectInLanguage(await chat({ session, choice: `language.${chosen}` }), chosen, "then choosing Arabic");
    });
  }
});

for (const language of ["fr", "ar"]) {
  for (const [point, steps] of Object.entries(POINTS)) {
    describe(`POST /api/chat in ${language}, ${point}`, () => {
      for (const c of TEXTS) {
        it(c.name, async () => {
          const session = newSession();
          await reach(session, steps(language));
          const answer = await chat({ session, text: c.text });
          expectInLanguage(answer, language, c.name);
          if (c.expect === "empty") expect(answer.json.messages[0].text).toBe(t(language, "common:empty_message"));
          const next = await goOn(session, answer, language, c.name);
          await finish(session, next, language, c.name);
        });
      }
    });
  }
}

describe("POST /api/chat: asking for a person with hostile words", () => {
  const ask: Record<string, string> = { fr: "je veux parler à quelqu'un", ar: "بغيت نهضر مع شي واحد" };
  for (const language of ["fr", "ar"]) {
    for (const c of TEXTS) {
      it(`${language}: ${c.name}`, async () => {
        const session = newSession();
        await reach(session, POINTS["at the need question"]!(language));
        const answer = await chat({ session, text: `${ask[language]} ${c.text}`.slice(0, MAX_TEXT) });
        expectInLanguage(answer, language, c.name);
        expect(answer.json.messages.map((m: any) => m.text).join("\n")).toContain(t(language, "intake:handoff.queued"));
        // With a facilitator now: the same words are relayed, nothing breaks.
        const relayed = await chat({ session, text: c.text });
        expect(relayed.status).toBe(200);
        for (const m of relayed.json.messages) expect(inLanguage(m.text, language), m.text).toBe(true);
      });
    }
  }
});

describe("POST /api/chat: commune names written with Unicode tricks are understood", () => {
  for (const language of ["fr", "ar"]) {
    for (const trick of PLACE_TRICKS) {
      it(`${language}: ${trick.name}`, async () => {
        const session = newSession();
        await reach(session, POINTS["at the place question"]!(language));
        const answer = await chat({ session, text: trick.text });
        expectInLanguage(answer, language, trick.name);
        expect(answer.json.messages.at(-1).choices.map((c: any) => c.id), `${trick.name} → ${JSON.stringify(normalise(trick.text))}`).toContain("sex.female");
        const stored = await server.dalil.conversationStore.find("web", personHash(server.dalil.secret, "web", session));
        expect(stored!.state.request.commune).toBe(trick.code);
      });
    }
  }
  it("normalise folds each trick to the commune's plain name", () => {
    for (const trick of PLACE_TRICKS) {
      const commune = server.dalil.loaded.content.triage.gazetteer.get(trick.code)!;
      expect([normalise(commune.nameFr), normalise(commune.nameAr)], trick.name).toContain(normalise(trick.text));
    }
  });
});

describe("POST /api/chat: forged choice ids", () => {
  for (const language of ["fr", "ar"]) {
    for (const point of ["at the need question", "at the place question"]) {
      for (const forged of FORGED_CHOICES) {
        it(`${language}, ${point}: ${forged.name}`, async () => {
          const session = newSession();
          const before = await reach(session, POINTS[point]!(language));
          const answer = await chat({ session, choice: forged.id });
          if (forged.id.length > 64) {
            expect(answer.status).toBe(400);
            expect(typeof answer.json.error).toBe("string");
          } else {
            expectInLanguage(answer, language, forged.name);
            expect(answer.json.messages[0].text).toBe(t(language, "common:button_expired"));
            // The current question, asked again.
            expect(answer.json.messages.at(-1).text).toBe(before.json.messages.at(-1).text);
          }
          await goOn(session, before, language, forged.name);
          expect(({} as any).admin).toBeUndefined();
        });
      }
    }
  }
});

describe("POST /api/chat: locations that are not a point in Morocco", () => {
  for (const language of ["fr", "ar"]) {
    for (const point of Object.keys(POINTS)) {
      for (const location of BAD_LOCATIONS) {
        it(`${language}, ${point}: ${location.name}`, async () => {
          const session = newSession();
          const before = await reach(session, POINTS[point]!(language));
          if (!Number.isFinite(location.lat) || !Number.isFinite(location.lon)) {
            // JSON cannot carry NaN or Infinity: sent as strings and as 1e999, they are malformed requests.
            for (const raw of [`"${location.lat}"`, location.lat > 0 ? "1e999" : "-1e999", "null"]) {
              const answer = await post(`{"session":"${session}","location":{"lat":${raw},"lon":-9.5}}`);
              expect(answer.status, raw).toBe(400);
              expect(typeof answer.json.error).toBe("string");
            }
          } else {
            const answer = await chat({ session, location: { lat: location.lat, lon: location.lon } });
            expectInLanguage(answer, language, location.name);
            const expected = location.kind === "invalid" ? "common:location_invalid" : "steps:ask_place.outside_country";
            expect(answer.json.messages[0].text, location.name).toBe(t(language, expected));
          }
          await goOn(session, before, language, location.name);
        });
      }
    }
  }
});

describe("POST /api/chat: malformed requests get a 400 with a JSON error", () => {
  const session = "malformed-requests-0001";
  const bad: [string, string | Uint8Array, string | null][] = [
    ["a JSON array", "[1, 2, 3]", "application/json"],
    ["an empty JSON array", "[]", "application/json"],
    ["a JSON string", '"hello"', "application/json"],
    ["a JSON number", "42", "application/json"],
    ["JSON null", "null", "application/json"],
    ["JSON true", "true", "application/json"],
    ["an empty body", "", "application/json"],
    ["whitespace", "   ", "application/json"],
    ["truncated JSON", '{"session": "abcdefghijklmnopqrst", "text": "hi"', "application/json"],
    ["JSON with a comment", '{"session": "abcdefghijklmnopqrst", /* x */ "text": "hi"}', "application/json"],
    ["JSON with a trailing comma", '{"session": "abcdefghijklmnopqrst", "text": "hi",}', "application/json"],
    ["single quotes", "{'session': 'abcdefghijklmnopqrst', 'text': 'hi'}", "application/json"],
    ["invalid UTF-8", new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), "application/json"],
    ["deeply nested JSON", `{"session": "abcdefghijklmnopqrst", "text": ${"[".repeat(5000)}${"]".repeat(5000)}}`, "application/json"],
    ["JSON as text/plain", JSON.stringify({ session, text: "hi" }), "text/plain"],
    ["JSON as text/plain;charset=UTF-8", JSON.stringify({ session, text: "hi" }), "text/plain;charset=UTF-8"],
    ["JSON as a form", JSON.stringify({ session, text: "hi" }), "application/x-www-form-urlencoded"],
    ["a form", `session=${session}&text=hi`, "application/x-www-form-urlencoded"],
    ["multipart", `--b\r\nContent-Disposition: form-data; name="session"\r\n\r\n${session}\r\n--b--\r\n`, "multipart/form-data; boundary=b"],
    ["XML", `<chat><session>${session}</session></chat>`, "application/xml"],
    ["no content type", JSON.stringify({ session, text: "hi" }), null],
  ];
  for (const [name, body, contentType] of bad) {
    it(name, async () => {
      const answer = await post(body, contentType);
      expect(answer.status, JSON.stringify(answer.json)).toBe(400);
      expect(answer.contentType).toContain("application/json");
      expect(typeof answer.json.error).toBe("string");
    });
  }

  const valid = { session, text: "bonjour" };
  const wrong: [string, object][] = [
    ["no session", { text: "hi" }],
    ...([42, null, true, [], {}, ["abcdefghijklmnopqrst"], { id: "abcdefghijklmnopqrst" }] as unknown[]).map((v): [string, object] => [`session ${JSON.stringify(v)}`, { ...valid, session: v }]),
    ...([42, null, false, [], {}, ["hi"], { text: "hi" }] as unknown[]).map((v): [string, object] => [`text ${JSON.stringify(v)}`, { ...valid, text: v }]),
    ...([42, null, true, "", [], {}, ["need.health"]] as unknown[]).map((v): [string, object] => [`choice ${JSON.stringify(v)}`, { session, choice: v }]),
    ...([42, null, "30,-9", [30, -9], {}, { lat: 30 }, { lon: -9 }, { lat: "30", lon: -9 }, { lat: 30, lon: "-9" }, { lat: true, lon: false }, { lat: [30], lon: [-9] }, { lat: 30, lon: -9, alt: 5 }] as unknown[]).map(
      (v): [string, object] => [`location ${JSON.stringify(v)}`, { session, location: v }],
    ),
    ...([42, null, "", "drop", "START", "__proto__", "constructor", ["start"]] as unknown[]).map((v): [string, object] => [`command ${JSON.stringify(v)}`, { session, command: v }]),
    ["nothing to say", { session }],
    ["an unknown field", { ...valid, admin: true }],
    ["an unknown field named constructor", { ...valid, constructor: { prototype: { admin: true } } }],
    ["an unknown field named prototype", { ...valid, prototype: { admin: true } }],
    [`text of ${MAX_TEXT + 1} characters`, { ...valid, text: "x".repeat(MAX_TEXT + 1) }],
  ];
  for (const [name, body] of wrong) {
    it(`wrong types: ${name}`, async () => {
      const answer = await chat(body);
      expect(answer.status, JSON.stringify(answer.json)).toBe(400);
      expect(typeof answer.json.error).toBe("string");
    });
  }

  it("__proto__ in the body pollutes nothing", async () => {
    const answer = await post(`{"session":"${session}","text":"hi","__proto__":{"admin":true,"text":"injected"}}`);
    expect(answer.status).toBeLessThan(500);
    expect(({} as any).admin).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty("admin");
  });

  const ids: [string, string][] = [
    ["too short", "short"],
    ["empty", ""],
    ["too long", "a".repeat(129)],
    ["10,000 characters", "a".repeat(10_000)],
    ["path traversal", "abcdefghijklmnop/../.."],
    ["a NUL byte", "abcdefghijklmnop\u0000"],
    ["a newline", "abcdefghijklmnop\nq"],
    ["spaces", "abcdefgh ijklmnop"],
    ["fullwidth letters", "ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐ"],
    ["Arabic", "ابتثجحخدذرزسشصضطظ"],
    ["HTML", "<script>alert(1)</script>"],
    ["SQL", "abcdefghijklmnop' OR '1'='1"],
    ["a zero-width space", "abcdefgh\u200Bijklmnop"],
  ];
  for (const [name, id] of ids) {
    it(`invalid session id: ${name}`, async () => {
      const answer = await chat({ session: id, text: "bonjour" });
      expect(answer.status).toBe(400);
      expect(typeof answer.json.error).toBe("string");
    });
  }

  it(`a body over ${MAX_BODY_BYTES} bytes`, async () => {
    const answer = await post(JSON.stringify({ session, text: "x".repeat(MAX_BODY_BYTES) }));
    expect(answer.status).toBe(400);
    expect(answer.json.error).toMatch(/too large/);
  });

  it("a 5 MB body is refused without being read (a 400, or the connection closed early), and the server goes on", async () => {
    const answer = await post(JSON.stringify({ session, text: "x".repeat(5_000_000) })).catch((error: Error) => ({ status: 0, json: { closed: String(error.cause ?? error) }, contentType: "" }));
    expect([0, 400]).toContain(answer.status);
    expect((await chat({ session: newSession(), command: "start" })).status).toBe(200);
  });

  it(`a chunked body over ${MAX_BODY_BYTES} bytes (no content-length)`, async () => {
    const chunk = new TextEncoder().encode("x".repeat(16 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent === 0) controller.enqueue(new TextEncoder().encode(`{"session":"${session}","text":"`));
        if (sent > MAX_BODY_BYTES * 2) {
          controller.enqueue(new TextEncoder().encode('"}'));
          controller.close();
          return;
        }
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const answer = await post(stream).catch((error: Error) => ({ status: 0, json: { closed: String(error.cause ?? error) }, contentType: "" }));
    expect([0, 400]).toContain(answer.status);
    expect((await chat({ session: newSession(), command: "start" })).status).toBe(200);
  });

  it("a body just under the limit is read (20,000 Arabic letters)", async () => {
    const body = JSON.stringify({ session: newSession(), text: "ب".repeat(MAX_TEXT) });
    expect(Buffer.byteLength(body)).toBeLessThan(MAX_BODY_BYTES);
    expect((await post(body)).status).toBe(200);
  });

  it("a byte-order mark before the JSON is read as JSON", async () => {
    expect((await post(`\uFEFF${JSON.stringify({ session: newSession(), command: "start" })}`)).status).toBe(200);
  });

  const accepted: [string, string][] = [
    ["application/json; charset=utf-8", "application/json; charset=utf-8"],
    ["upper case", "Application/JSON"],
  ];
  for (const [name, contentType] of accepted) {
    it(`a JSON content type with parameters is accepted: ${name}`, async () => {
      expect((await post(JSON.stringify({ session: newSession(), command: "start" }), contentType)).status).toBe(200);
    });
  }

  it("odd but valid session ids work like any other", async () => {
    for (const id of ["__proto__________", "constructor______", "prototype-prototype", "0000000000000000", "-".repeat(128)]) {
      const answer = await chat({ session: id, command: "start" });
      expect(answer.status, id).toBe(200);
      expect(answer.json.messages.at(-1).choices.map((c: any) => c.id)).toContain("language.fr");
    }
  });

  it("a duplicate key: the last one counts, as in JSON.parse", async () => {
    const answer = await post(`{"session":"${newSession()}","command":"drop","command":"start"}`);
    expect(answer.status).toBe(200);
  });
});

describe("GET /api/events/:session with hostile session ids", () => {
  const invalid = [
    "bad",
    "a".repeat(129),
    "a".repeat(10_000),
    "..%2F..%2F..%2Fetc%2Fpasswd",
    "abcdefghijklmnop%00",
    "abcdefghijklmnop%0Aq",
    "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    encodeURIComponent("ابتثجحخدذرزسشصضطظ"),
    encodeURIComponent("ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐ"),
    "abcdefghijklmnop'%20OR%20'1'%3D'1",
    "__proto__",
    "constructor",
    "%E0%A4%A",
    "%FF%FE%FD%FC%FB%FA%F9%F8%F7%F6%F5%F4%F3%F2%F1%F0",
  ];
  for (const id of invalid) {
    it(`${id.slice(0, 40)}${id.length > 40 ? "…" : ""}: refused, never a 5xx`, async () => {
      const response = await fetch(`${server.url}/api/events/${id}`);
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
      if (response.status === 400) expect(typeof ((await response.json()) as any).error).toBe("string");
      else await response.body?.cancel();
    });
  }

  for (const id of ["__proto__________", "constructor______", "hasOwnProperty___"]) {
    it(`${id}: a well-formed id opens a stream like any other`, async () => {
      const controller = new AbortController();
      const response = await fetch(`${server.url}/api/events/${id}`, { signal: controller.signal });
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toContain("text/event-stream");
      controller.abort();
    });
  }

  it("a path outside the events route is a 404", async () => {
    for (const path of ["/api/events/", "/api/events/a/b", "/api/events/..%2f..%2fchat"]) {
      const response = await fetch(`${server.url}${path}`);
      expect(response.status, path).toBeGreaterThanOrEqual(400);
      expect(response.status, path).toBeLessThan(500);
      await response.body?.cancel();
    }
  });
});

describe("after the corpus", () => {
  it("the logged request rows hold codes only, none of the words people sent", async () => {
    const rows = await server.dalil.db.prisma.request.findMany({ include: { categories: true, referrals: true } });
    expect(rows.length).toBeGreaterThan(0);
    // The values only (field names such as "requestId" are not what people sent).
    const values: string[] = [];
    const collect = (v: unknown): void => {
      if (typeof v === "string") values.push(v);
      else if (Array.isArray(v)) v.forEach(collect);
      else if (v && typeof v === "object" && !(v instanceof Date)) Object.values(v).forEach(collect);
    };
    collect(rows);
    const dump = values.join("\n");
    const words = [...TEXTS, ...PLACE_TRICKS].flatMap((c) => distinctiveWords(c.text)).filter((w) => !/^(?:\d+|Inezgane|Agadir|Melloul)$/i.test(w));
    const escape = (w: string) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    for (const word of words) expect(new RegExp(`(?<![\\p{L}\\p{N}_])${escape(word)}(?![\\p{L}\\p{N}_])`, "u").test(dump), word).toBe(false);
    for (const row of rows) {
      expect(row.language).toMatch(/^(fr|ar|en)$/);
      expect(row.channel).toBe("web");
      expect(row.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      if (row.region !== null) expect(row.region).toMatch(/^\d{2}$/);
      if (row.commune !== null) expect(row.commune).toMatch(/^\d{2}\.\d{3}\.\d{2}\.\d{1,2}$/);
      for (const field of [row.sex, row.ageBand, row.status, row.outcome]) expect(field).toMatch(/^[a-z0-9_+-]{1,32}$/);
      for (const c of row.categories) expect(c.category).toMatch(/^[a-z_]+$/);
      for (const r of row.referrals) expect(r.serviceId).toMatch(/^[a-z0-9_.-]+$/i);
    }
  });

  it("the server still answers", async () => {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect((await chat({ session: newSession(), command: "start" })).status).toBe(200);
  });
});
