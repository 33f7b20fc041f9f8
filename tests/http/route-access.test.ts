/**
 * Every route the HTTP app registers, for each of: no session, facilitator, staff, administrator; the CSRF token of
 * every change; the security headers of every answer; the cookies' flags. A route added without a line in the table
 * below fails here, so that each new route says who may use it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PASSWORD, startHarness, type Harness, type SignIn } from "./harness.js";

type Role = "facilitator" | "staff" | "admin";
type Who = "anonymous" | Role;
const WHO: readonly Who[] = ["anonymous", "facilitator", "staff", "admin"];
type Outcome = "public" | "login" | "forbidden" | "allowed";

/** How a change proves it comes from the site's own page. */
type Csrf =
  /** The session's token: `x-csrf-token` header (JSON APIs) or `_csrf` form field. */
  | "session"
  /** The double-submit token of a form shown before any session (sign-in; the administrator token). */
  | "login-form"
  | "admin-form"
  /** None: the public JSON API, which no cookie authenticates. */
  | "none";

interface Rule {
  /** Who gets in: everyone, or these roles (the others: a sign-in for no session, 403 for a session). */
  access: "public" | Role[];
  /** A concrete path for the pattern. */
  sample: string;
  csrf?: Csrf;
  /** A JSON body (else a form). */
  json?: Record<string, unknown>;
  form?: Record<string, string>;
  /** The route ends the session: each call gets a fresh one. */
  endsSession?: true;
  /** An event stream: only the status and headers are read. */
  stream?: true;
}

const ADMIN_TOKEN = "route-access-admin-token-0123456789";
const FACILITATORS: Role[] = ["facilitator", "admin"];
const STAFF: Role[] = ["staff", "admin"];
const ADMIN: Role[] = ["admin"];
const ALL: Role[] = ["facilitator", "staff", "admin"];

/** Method and pattern, as Hono lists them in `app.routes`, and the rule of each. */
const ROUTES: Record<string, Rule> = {
  "GET /": { access: "public", sample: "/" },
  "GET /healthz": { access: "public", sample: "/healthz" },
  "GET /static/:name": { access: "public", sample: "/static/chat.js" },
  "GET /static/vendor/:name": { access: "public", sample: "/static/vendor/chart.umd.min.js" },
  "POST /api/chat": { access: "public", sample: "/api/chat", csrf: "none", json: { session: "route-access-session-0001", command: "start" } },
  "GET /api/events/:session": { access: "public", sample: "/api/events/route-access-session-0001", stream: true },
  "GET /api/strings/:language": { access: "public", sample: "/api/strings/ar" },
  "GET /login": { access: "public", sample: "/login" },
  "POST /login": { access: "public", sample: "/login", csrf: "login-form", form: { login: "route-user", password: PASSWORD } },
  "POST /logout": { access: ALL, sample: "/logout", csrf: "session", form: {}, endsSession: true },
  "GET /inbox": { access: FACILITATORS, sample: "/inbox" },
  "GET /inbox/api/tickets": { access: FACILITATORS, sample: "/inbox/api/tickets" },
  "GET /inbox/api/tickets/:id{[0-9]+}": { access: FACILITATORS, sample: "/inbox/api/tickets/999999" },
  "POST /inbox/api/tickets/:id{[0-9]+}/claim": { access: FACILITATORS, sample: "/inbox/api/tickets/999999/claim", csrf: "session", json: {} },
  "POST /inbox/api/tickets/:id{[0-9]+}/reply": { access: FACILITATORS, sample: "/inbox/api/tickets/999999/reply", csrf: "session", json: { text: "hello" } },
  "POST /inbox/api/tickets/:id{[0-9]+}/note": { access: FACILITATORS, sample: "/inbox/api/tickets/999999/note", csrf: "session", json: { text: "a note" } },
  "POST /inbox/api/tickets/:id{[0-9]+}/referral": { access: FACILITATORS, sample: "/inbox/api/tickets/999999/referral", csrf: "session", json: { serviceId: "x" } },
  "POST /inbox/api/tickets/:id{[0-9]+}/close": { access: FACILITATORS, sample: "/inbox/api/tickets/999999/close", csrf: "session", json: { outcome: "referred_by_facilitator" } },
  "POST /inbox/api/tickets/:id{[0-9]+}/transfer": { access: FACILITATORS, sample: "/inbox/api/tickets/999999/transfer", csrf: "session", json: { to: "nobody" } },
  "GET /inbox/api/services": { access: FACILITATORS, sample: "/inbox/api/services?q=sant" },
  "GET /inbox/api/facilitators": { access: FACILITATORS, sample: "/inbox/api/facilitators" },
  "GET /dashboard": { access: STAFF, sample: "/dashboard" },
  "GET /dashboard/data.json": { access: STAFF, sample: "/dashboard/data.json" },
  "GET /dashboard/export.csv": { access: STAFF, sample: "/dashboard/export.csv?by=category,sex" },
  "GET /dashboard/log": { access: STAFF, sample: "/dashboard/log" },
  "GET /admin/directory": { access: ADMIN, sample: "/admin/directory" },
  "GET /admin/directory/service/new": { access: ADMIN, sample: "/admin/directory/service/new" },
  "GET /admin/directory/service/:id": { access: ADMIN, sample: "/admin/directory/service/no-such-service" },
  "POST /admin/directory/service/:id": { access: ADMIN, sample: "/admin/directory/service/no-such-service", csrf: "session", form: {} },
  "POST /admin/directory/service/:id/:action{verify|deactivate|activate}": { access: ADMIN, sample: "/admin/directory/service/no-such-service/verify", csrf: "session", form: {} },
  "GET /admin/directory/location/new": { access: ADMIN, sample: "/admin/directory/location/new" },
  "GET /admin/directory/location/:id": { access: ADMIN, sample: "/admin/directory/location/no-such-location" },
  "POST /admin/directory/location/:id": { access: ADMIN, sample: "/admin/directory/location/no-such-location", csrf: "session", form: {} },
  "GET /admin/users": { access: ADMIN, sample: "/admin/users" },
  "POST /admin/users": { access: ADMIN, sample: "/admin/users", csrf: "session", form: {} },
  "POST /admin/users/:login/:action{disable|enable}": { access: ADMIN, sample: "/admin/users/nobody-here/enable", csrf: "session", form: {} },
  // Opened by an administrator's session, or by DALIL_ADMIN_TOKEN (its form, a 401, for no session).
  "GET /admin/whatsapp": { access: ADMIN, sample: "/admin/whatsapp" },
  "POST /admin/token": { access: "public", sample: "/admin/token", csrf: "admin-form", form: { token: ADMIN_TOKEN } },
};

/** Middleware registrations (`app.use`), listed too: a handler registered with `app.all` would otherwise slip by. */
const MIDDLEWARE = ["ALL /*", "ALL /api/*", "ALL /login", "ALL /logout", "ALL /inbox", "ALL /inbox/*", "ALL /dashboard", "ALL /dashboard/*", "ALL /admin/*", "ALL /admin/directory/*", "ALL /admin/users/*"];

const expected = (rule: Rule, who: Who): Outcome => {
  if (rule.access === "public") return "public";
  if (who !== "anonymous" && rule.access.includes(who)) return "allowed";
  return who === "anonymous" ? "login" : "forbidden";
};

/** What an answer amounts to, from the client's side. */
function outcomeOf(response: Response): Outcome | `unexpected ${number}` {
  const location = response.headers.get("location") ?? "";
  // A refusal sends to the sign-in form with the page to come back to (signing out sends to a plain /login).
  if (response.status === 401 || (response.status >= 300 && response.status < 400 && location.startsWith("/login?next="))) return "login";
  if (response.status === 403) return "forbidden";
  if (response.status === 429 || response.status >= 500) return `unexpected ${response.status}`;
  return "allowed";
}

let server: Harness;
let plain: Harness;
const sessions = {} as Record<Role, SignIn>;
const LOGINS: Record<Role, string> = { facilitator: "fac", staff: "sta", admin: "adm" };
let clients = 0;
/** Every answer seen in this file, for the header checks. */
const seen: { label: string; response: Response; body: string }[] = [];

beforeAll(async () => {
  // Behind a proxy on this machine: its X-Forwarded-For and X-Forwarded-Proto are believed.
  server = await startHarness({ env: { TRUSTED_PROXY: "loopback" }, adminToken: ADMIN_TOKEN });
  // Reached directly: forwarded headers are nobody's word.
  plain = await startHarness({ adminToken: ADMIN_TOKEN });
  for (const h of [server, plain]) {
    for (const role of ALL) await h.dalil.users.create({ login: LOGINS[role], role, password: PASSWORD }, new Date());
    await h.dalil.users.create({ login: "route-user", role: "facilitator", password: PASSWORD }, new Date());
  }
  for (const role of ALL) {
    sessions[role] = await signIn(role);
    expect(sessions[role].csrf, role).not.toBe("");
  }
});
afterAll(async () => {
  await server?.close();
  await plain?.close();
});

const signIn = (role: Role) => server.signIn(LOGINS[role], PASSWORD, { "x-forwarded-for": `198.51.100.${++clients}` });

/** A fresh token of a form shown before any session, and the cookie it is checked against. */
async function preSessionToken(form: "login-form" | "admin-form"): Promise<{ cookie: string; token: string }> {
  const page = await fetch(`${server.url}${form === "login-form" ? "/login" : "/admin/whatsapp"}`);
  const cookie = page.headers.get("set-cookie")!.split(";")[0]!;
  const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!;
  return { cookie, token };
}

/** Calls a route as `who`, with the right CSRF token, none, or a wrong one. */
async function call(key: string, who: Who, token: "right" | "missing" | "wrong" | "other-session" = "right"): Promise<Response> {
  const rule = ROUTES[key]!;
  const method = key.split(" ")[0]!;
  const session = who === "anonymous" ? undefined : rule.endsSession ? await signIn(who) : sessions[who];
  const cookies = session ? [session.cookie] : [];
  let csrf = "";
  if (rule.csrf === "session") {
    csrf = session?.csrf ?? "";
  } else if (rule.csrf === "login-form" || rule.csrf === "admin-form") {
    const form = await preSessionToken(rule.csrf);
    cookies.push(form.cookie);
    csrf = form.token;
  }
  if (token === "missing") csrf = "";
  if (token === "wrong") csrf = "x".repeat(csrf.length || 32);
  if (token === "other-session") csrf = sessions[who === "admin" ? "facilitator" : "admin"].csrf;
  const headers: Record<string, string> = { "x-forwarded-for": `203.0.113.${(++clients % 250) + 1}` };
  if (cookies.length) headers.cookie = cookies.join("; ");
  let body: string | undefined;
  if (rule.json) {
    headers["content-type"] = "application/json";
    if (csrf) headers["x-csrf-token"] = csrf;
    body = JSON.stringify(rule.json);
  } else if (rule.form) {
    headers["content-type"] = "application/x-www-form-urlencoded";
    body = new URLSearchParams({ ...rule.form, ...(csrf ? { _csrf: csrf } : {}) }).toString();
  }
  const abort = new AbortController();
  const response = await fetch(`${server.url}${rule.sample}`, { method, headers, redirect: "manual", signal: abort.signal, ...(body !== undefined ? { body } : {}) });
  if (rule.stream) {
    abort.abort();
    seen.push({ label: `${key} as ${who}`, response, body: "" });
  } else {
    seen.push({ label: `${key} as ${who}`, response, body: await response.text() });
  }
  return response;
}

describe("the route table", () => {
  it("has a rule for every route the app registers, and no rule for a route that is gone", () => {
    const registered = new Set(server.app.routes.map((r) => `${r.method} ${r.path}`));
    const handlers = [...registered].filter((r) => !r.startsWith("ALL "));
    const unlisted = handlers.filter((r) => !(r in ROUTES));
    expect(unlisted, "routes without a rule in ROUTES: add one").toEqual([]);
    expect(Object.keys(ROUTES).filter((r) => !registered.has(r)), "rules for routes that no longer exist").toEqual([]);
    expect([...registered].filter((r) => r.startsWith("ALL ")).sort(), "app.use / app.all registrations").toEqual([...MIDDLEWARE].sort());
  });

  it("says how every change is protected from cross-site requests", () => {
    for (const [key, rule] of Object.entries(ROUTES)) {
      if (key.startsWith("GET ")) continue;
      expect(rule.csrf, key).toBeDefined();
      // Only the public chat API goes without: no cookie authenticates it.
      if (rule.csrf === "none") expect(rule.access, key).toBe("public");
    }
  });
});

describe("access, route by route", () => {
  for (const [key, rule] of Object.entries(ROUTES)) {
    const outcomes = Object.fromEntries(WHO.map((who) => [who, expected(rule, who)]));
    it(`${key}: ${WHO.map((w) => `${w} ${outcomes[w]}`).join(", ")}`, async () => {
      for (const who of WHO) {
        const response = await call(key, who);
        const want = expected(rule, who);
        expect(outcomeOf(response), `${key} as ${who} (HTTP ${response.status})`).toBe(want === "public" ? "allowed" : want);
        // No session: pages send to the sign-in form (or ask for the administrator token), APIs answer 401.
        if (want === "login" && response.status !== 401) expect(response.headers.get("location"), key).toBe(`/login?next=${encodeURIComponent(rule.sample.split("?")[0]!)}`);
      }
    });
  }
});

describe("CSRF", () => {
  const changes = Object.entries(ROUTES).filter(([key, rule]) => !key.startsWith("GET ") && rule.csrf !== "none");
  for (const [key, rule] of changes) {
    it(`${key} refuses a missing, a wrong, or another session's token`, async () => {
      const allowed: Who[] = rule.access === "public" ? WHO.slice() : rule.access;
      for (const who of allowed) {
        for (const token of ["missing", "wrong", ...(rule.csrf === "session" ? (["other-session"] as const) : [])] as const) {
          const response = await call(key, who, token);
          expect(response.status, `${key} as ${who}, ${token} token`).toBe(403);
        }
      }
    });
  }
});

/** The CSP's directives by name. */
const directives = (csp: string) => new Map(csp.split(";").map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map(([name, ...values]) => [name!, values]));

describe("security headers", () => {
  it("on every answer seen above (pages, APIs, files, event streams, redirects, refusals) and on a 404", async () => {
    await fetch(`${server.url}/no/such/page`).then(async (r) => seen.push({ label: "404", response: r, body: await r.text() }));
    for (const file of ["staff.css", "favicon.svg", "index.html"]) await fetch(`${server.url}/static/${file}`).then(async (r) => seen.push({ label: file, response: r, body: await r.text() }));
    await fetch(`${server.url}/api/chat`, { method: "POST", body: "not json" }).then(async (r) => seen.push({ label: "400", response: r, body: await r.text() }));
    const types = new Set<string>();
    expect(seen.length).toBeGreaterThan(150);
    for (const { label, response, body } of seen) {
      const h = response.headers;
      types.add((h.get("content-type") ?? "none").split(";")[0]!);
      const csp = directives(h.get("content-security-policy") ?? "");
      const scripts = csp.get("script-src") ?? csp.get("default-src");
      expect(scripts, `${label}: script-src`).toEqual(["'self'"]);
      expect(csp.get("default-src"), label).toEqual(["'self'"]);
      expect(csp.get("object-src"), label).toEqual(["'none'"]);
      expect(csp.get("frame-ancestors"), label).toEqual(["'none'"]);
      expect(csp.get("base-uri"), label).toEqual(["'none'"]);
      expect(h.get("x-frame-options"), label).toBe("DENY");
      expect(h.get("x-content-type-options"), label).toBe("nosniff");
      expect(h.get("referrer-policy"), label).toBe("no-referrer");
      if (h.get("content-type")?.startsWith("text/html")) {
        // The CSP forbids inline code; the pages must not need it.
        expect(body, `${label}: inline script`).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/i);
        expect(body, `${label}: inline event handler`).not.toMatch(/<[^>]+\son[a-z]+\s*=/i);
      }
    }
    // Every kind of answer was looked at.
    expect([...types].sort()).toEqual(expect.arrayContaining(["application/json", "image/svg+xml", "text/css", "text/csv", "text/event-stream", "text/html", "text/javascript", "text/plain"]));
  });
});

describe("cookies", () => {
  const attributes = (setCookie: string) => setCookie.split(";").slice(1).map((a) => a.trim().toLowerCase());

  it("the session cookie: HttpOnly, SameSite=Lax, Path=/, Secure only over https", async () => {
    const overHttp = await server.signIn("fac", PASSWORD, { "x-forwarded-for": "192.0.2.10" });
    expect(attributes(overHttp.setCookie)).toEqual(expect.arrayContaining(["httponly", "samesite=lax", "path=/"]));
    expect(attributes(overHttp.setCookie)).not.toContain("secure");
    const viaProxy = await server.signIn("fac", PASSWORD, { "x-forwarded-for": "192.0.2.11", "x-forwarded-proto": "https" });
    expect(attributes(viaProxy.setCookie)).toEqual(expect.arrayContaining(["httponly", "samesite=lax", "path=/", "secure"]));
    // The session works (the test client sends it back over http; a browser would over https only).
    expect((await fetch(`${server.url}/inbox`, { headers: { cookie: viaProxy.cookie } })).status).toBe(200);
  });

  it("X-Forwarded-Proto from a peer that is not a trusted proxy does not count", async () => {
    const spoofed = await plain.signIn("fac", PASSWORD, { "x-forwarded-proto": "https" });
    expect(spoofed.status).toBe(303);
    expect(attributes(spoofed.setCookie)).not.toContain("secure");
  });

  it("the sign-in form's token: HttpOnly, SameSite=Strict, only for /login, Secure behind an https proxy", async () => {
    const overHttp = (await fetch(`${server.url}/login`)).headers.get("set-cookie")!;
    expect(attributes(overHttp)).toEqual(expect.arrayContaining(["httponly", "samesite=strict", "path=/login"]));
    expect(attributes(overHttp)).not.toContain("secure");
    const viaProxy = (await fetch(`${server.url}/login`, { headers: { "x-forwarded-proto": "https" } })).headers.get("set-cookie")!;
    expect(attributes(viaProxy)).toContain("secure");
  });

  it("the administrator token's cookie: HttpOnly, SameSite=Strict, only for /admin, Secure behind an https proxy", async () => {
    const open = async (h: Harness, headers: Record<string, string>) => {
      const page = await fetch(`${h.url}/admin/whatsapp`, { headers });
      const formCookie = page.headers.get("set-cookie")!.split(";")[0]!;
      const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!;
      const response = await fetch(`${h.url}/admin/token`, { method: "POST", redirect: "manual", headers: { ...headers, cookie: formCookie, "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ _csrf: token, token: ADMIN_TOKEN }) });
      expect(response.status).toBe(303);
      return response.headers.getSetCookie().find((c) => c.startsWith("dalil_admin="))!;
    };
    const overHttp = await open(server, {});
    expect(attributes(overHttp)).toEqual(expect.arrayContaining(["httponly", "samesite=strict", "path=/admin"]));
    expect(attributes(overHttp)).not.toContain("secure");
    expect(attributes(await open(server, { "x-forwarded-proto": "https" }))).toContain("secure");
    expect(attributes(await open(plain, { "x-forwarded-proto": "https" }))).not.toContain("secure");
  });

  it("signing out clears the session cookie and ends the session", async () => {
    const fac = await signIn("facilitator");
    const response = await fetch(`${server.url}/logout`, { method: "POST", redirect: "manual", headers: { cookie: fac.cookie, "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ _csrf: fac.csrf }) });
    expect(response.status).toBe(303);
    expect(response.headers.get("set-cookie")).toMatch(/^dalil_session=;.*Max-Age=0/i);
    expect((await fetch(`${server.url}/inbox/api/tickets`, { headers: { cookie: fac.cookie } })).status).toBe(401);
  });
});
