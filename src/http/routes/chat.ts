import { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import { z } from "zod";
import { SESSION_ID, chatRequestSchema, toInbound, toMessage, toResponse } from "../../channels/web.js";
import type { HttpDeps } from "../server.js";

/** How often an events stream looks for messages left by another process (one left by this process wakes it at once). */
const POLL_MS = 2000;
/** A comment line now and then keeps proxies from closing an idle stream. */
const KEEPALIVE_MS = 20_000;
/** The session id in the events path, checked like the one in a chat request. */
const sessionParam = z.string().regex(SESSION_ID);
/** `application/json`, or a `+json` type, with or without parameters (`; charset=utf-8`), in any case. */
const JSON_TYPE = /^application\/(?:[a-z0-9.+-]+\+)?json\s*(?:;|$)/i;

/**
 * The web chat's JSON API, usable by any integration:
 * - `POST /api/chat` `{ session, text?, choice?, location?, command? }` → `{ language, dir, messages }`
 * - `GET /api/events/:session`: server-sent events, one `messages` event per batch of messages that arrived later
 * - `GET /api/strings/:language`: the page's own strings, the language's direction and the languages on offer
 */
export function chatRoutes(deps: HttpDeps): Hono {
  const api = new Hono();
  const { conversations } = deps.dalil;
  const i18n = deps.dalil.loaded.content.i18n;

  api.post("/chat", async (c) => {
    // Only JSON: a form or text/plain post (what another site's page can send without asking) is refused.
    if (!JSON_TYPE.test(c.req.header("content-type") ?? "")) {
      return c.json({ error: "expected a JSON body with content-type: application/json" }, 400);
    }
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      return c.json({ error: "malformed JSON: expected an object such as {\"session\": \"...\", \"text\": \"...\"}" }, 400);
    }
    const parsed = chatRequestSchema.safeParse(body);
    if (!parsed.success) {
      return c.json({ error: "invalid request", issues: parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })) }, 400);
    }
    const received = await conversations.receive("web", parsed.data.session, toInbound(parsed.data));
    if (received.kind === "limited") {
      const messages = received.notice ? toResponse(received.notice).messages : [];
      return c.json({ error: "too many messages: wait a few seconds", messages }, 429, { "retry-after": "10" });
    }
    if (received.kind === "duplicate") return c.json({ error: "already handled" }, 409);
    return c.json(toResponse(received.result));
  });

  api.get("/events/:session", (c) => {
    const parsedSession = sessionParam.safeParse(c.req.param("session"));
    if (!parsedSession.success) return c.json({ error: "invalid session: expected 16–128 characters of A-Z a-z 0-9 _ -" }, 400);
    const session = parsedSession.data;
    return streamSSE(c, async (stream) => {
      const aborted = new AbortController();
      stream.onAbort(() => aborted.abort());
      // The process is stopping: end the stream now (the page reconnects to another worker, or later).
      if (deps.shutdown?.aborted) return;
      const stopStream = () => aborted.abort();
      deps.shutdown?.addEventListener("abort", stopStream, { once: true });
      let lastWrite = Date.now();
      while (!aborted.signal.aborted) {
        const messages = await conversations.collect("web", session);
        if (messages.length > 0) {
          const { language, dir } = await conversations.languageOf("web", session);
          await stream.writeSSE({ event: "messages", data: JSON.stringify({ language, dir, messages: messages.map(toMessage) }) });
          lastWrite = Date.now();
          continue;
        }
        if (Date.now() - lastWrite > KEEPALIVE_MS) {
          await stream.write(": keep-alive\n\n");
          lastWrite = Date.now();
        }
        await conversations.waitForMessages("web", session, POLL_MS, aborted.signal);
      }
      deps.shutdown?.removeEventListener("abort", stopStream);
    });
  });

  api.get("/strings/:language", (c) => {
    const requested = c.req.param("language");
    const language = i18n.languages.includes(requested) ? requested : i18n.defaultLanguage;
    const keys = ["title", "subtitle", "placeholder", "send", "share_location", "locating", "location_unavailable", "menu", "language", "delete", "connection_error", "open_map", "you", "dalil", "new_messages"];
    const strings = Object.fromEntries(keys.map((k) => [k, i18n.t(language, `web:${k}`)]));
    return c.json({ language, dir: i18n.dir(language), strings, languages: i18n.languages.map((code) => ({ code, name: i18n.name(code) })) });
  });

  return api;
}
