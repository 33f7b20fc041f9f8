/** Role and CSRF checks on the staff routes, route by route, over real HTTP. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SIGN_IN_ATTEMPTS } from "../../src/http/routes/staff-auth.js";
import { PASSWORD, startHarness, type Harness } from "./harness.js";

let server: Harness;

beforeAll(async () => {
  // Behind a proxy on this machine: X-Forwarded-For tells the client's address.
  server = await startHarness({ env: { TRUSTED_PROXY: "loopback" } });
  for (const [login, role] of [["fac", "facilitator"], ["sta", "staff"], ["adm", "admin"]] as const) {
    await server.dalil.users.create({ login, role, password: PASSWORD }, new Date());
  }
});
afterAll(async () => {
  await server.close();
});

let clients = 0;
/** Each sign-in from its own address, so that the attempt limits of one test do not spill into another. */
async function signIn(login: string, password = PASSWORD, client = `192.0.2.${++clients}`): Promise<{ cookie: string; csrf: string; status: number; location: string | null }> {
  const form = await fetch(`${server.url}/login`);
  const loginCookie = form.headers.get("set-cookie")!.split(";")[0]!;
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1]!;
  const response = await fetch(`${server.url}/login`, { method: "POST", redirect: "manual", headers: { cookie: loginCookie, "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": client }, body: new URLSearchParams({ _csrf: csrf, login, password }) });
  const session = response.headers.get("set-cookie")?.split(";")[0] ?? "";
  let sessionCsrf = "";
  if (session) {
    const inbox = await fetch(`${server.url}/inbox`, { headers: { cookie: session } });
    sessionCsrf = /name="csrf-token" content="([^"]+)"/.exec(await inbox.text())?.[1] ?? "";
  }
  return { cookie: session, csrf: sessionCsrf, status: response.status, location: response.headers.get("location") };
}

describe("staff access", () => {
  it("sends each role to its home after signing in, with a secure session cookie", async () => {
    expect((await signIn("fac")).location).toBe("/inbox");
    expect((await signIn("sta")).location).toBe("/dashboard");
    expect((await signIn("adm")).location).toBe("/admin/users");
    const form = await fetch(`${server.url}/login`);
    const loginCookie = form.headers.get("set-cookie")!.split(";")[0]!;
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1]!;
    const response = await fetch(`${server.url}/login`, { method: "POST", redirect: "manual", headers: { cookie: loginCookie, "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ _csrf: csrf, login: "fac", password: PASSWORD }) });
    const cookie = response.headers.get("set-cookie")!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
  });

  it("refuses a wrong password, and a login form without its CSRF token", async () => {
    expect((await signIn("fac", "not the password at all")).status).toBe(401);
    const response = await fetch(`${server.url}/login`, { method: "POST", redirect: "manual", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ login: "fac", password: PASSWORD }) });
    expect(response.status).toBe(403);
  });

  it("limits sign-in attempts, per client address and per login", async () => {
    await server.dalil.users.create({ login: "target", role: "admin", password: PASSWORD }, new Date());
    const fromOneClient: number[] = [];
    for (let i = 0; i < 12; i++) fromOneClient.push((await signIn("target", `wrong password number ${i}`, "198.51.100.7")).status);
    expect(fromOneClient.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(fromOneClient.slice(10)).toEqual([429, 429]);
    // The login itself is now protected from other addresses too, even with the right password.
    expect((await signIn("target", PASSWORD, "198.51.100.8")).status).toBe(429);
  });

  /** The error line of the sign-in page. */
  const alertOf = (body: string) => /<p class="error" role="alert">(.*?)<\/p>/.exec(body)?.[1] ?? null;
  const t = (key: string) => server.dalil.loaded.content.i18n.t("fr", key);
  const N = SIGN_IN_ATTEMPTS.limit;

  it("after N failed attempts from one address, refuses it for a while even with the right password, with a clear message", async () => {
    const client = { "x-forwarded-for": "198.51.100.20" };
    // Different logins, so that only the address's count is reached.
    for (let i = 0; i < N; i++) expect((await server.signIn(`someone-${i}`, "wrong password here", client)).status).toBe(401);
    const refused = await server.signIn("fac", PASSWORD, client);
    expect(refused.status).toBe(429);
    expect(refused.cookie).toBe("");
    expect(alertOf(refused.body)).toBe(t("staff:login.throttled").replace(/'/g, "&#39;"));
    // Another address is not held up, nor is the login.
    expect((await server.signIn("fac", PASSWORD, { "x-forwarded-for": "198.51.100.21" })).status).toBe(303);
    // The window passes.
    server.clock.advance(SIGN_IN_ATTEMPTS.windowMs);
    expect((await server.signIn("fac", PASSWORD, client)).status).toBe(303);
  });

  it("after N failed attempts on one login from many addresses, refuses that login for a while, then lets it in", async () => {
    await server.dalil.users.create({ login: "spread", role: "staff", password: PASSWORD }, new Date());
    for (let i = 0; i < N; i++) expect((await server.signIn("spread", `wrong password ${i}`, { "x-forwarded-for": `203.0.113.${100 + i}` })).status).toBe(401);
    expect((await server.signIn("spread", PASSWORD, { "x-forwarded-for": "203.0.113.200" })).status).toBe(429);
    server.clock.advance(SIGN_IN_ATTEMPTS.windowMs);
    expect((await server.signIn("spread", PASSWORD, { "x-forwarded-for": "203.0.113.200" })).location).toBe("/dashboard");
  });

  it("answers the same for a login that does not exist: the same refusal, the same limit, the same message", async () => {
    await server.dalil.users.create({ login: "real-one", role: "staff", password: PASSWORD }, new Date());
    const answers: Record<string, { statuses: number[]; alerts: (string | null)[] }> = {};
    for (const login of ["real-one", "ghost-one"]) {
      const statuses: number[] = [];
      const alerts: (string | null)[] = [];
      for (let i = 0; i <= N; i++) {
        const r = await server.signIn(login, `wrong password ${i}`, { "x-forwarded-for": `192.0.2.${200 + i}` });
        statuses.push(r.status);
        alerts.push(alertOf(r.body));
      }
      answers[login] = { statuses, alerts };
    }
    expect(answers["real-one"]).toEqual(answers["ghost-one"]);
    expect(answers["ghost-one"]!.statuses).toEqual([...Array<number>(N).fill(401), 429]);
    expect(answers["ghost-one"]!.alerts.at(0)).toBe(t("staff:login.wrong"));
  });

  it("does not count sign-ins that succeed", async () => {
    const client = { "x-forwarded-for": "198.51.100.30" };
    for (let i = 0; i < N + 5; i++) expect((await server.signIn("sta", PASSWORD, client)).status).toBe(303);
  });

  it("believes X-Forwarded-For only from a trusted proxy: reached directly, the socket's address is counted", async () => {
    const direct = await startHarness();
    try {
      await direct.dalil.users.create({ login: "fac", role: "facilitator", password: PASSWORD }, new Date());
      // A client that changes its claimed address at each try is still one client.
      for (let i = 0; i < N; i++) expect((await direct.signIn(`nobody-${i}`, "wrong password", { "x-forwarded-for": `10.9.8.${i}` })).status).toBe(401);
      expect((await direct.signIn("fac", PASSWORD, { "x-forwarded-for": "10.9.9.9" })).status).toBe(429);
    } finally {
      await direct.close();
    }
  });

  const routes: [string, string, { none: number; facilitator: number; staff: number; admin: number }][] = [
    ["GET", "/inbox", { none: 303, facilitator: 200, staff: 403, admin: 200 }],
    ["GET", "/inbox/api/tickets", { none: 401, facilitator: 200, staff: 403, admin: 200 }],
    ["GET", "/admin/users", { none: 303, facilitator: 403, staff: 403, admin: 200 }],
  ];
  for (const [method, path, expected] of routes) {
    it(`${method} ${path}: ${JSON.stringify(expected)}`, async () => {
      const sessions = { facilitator: await signIn("fac"), staff: await signIn("sta"), admin: await signIn("adm") };
      const call = (cookie?: string) => fetch(`${server.url}${path}`, { method, redirect: "manual", headers: cookie ? { cookie } : {} });
      expect((await call()).status).toBe(expected.none);
      for (const role of ["facilitator", "staff", "admin"] as const) expect((await call(sessions[role].cookie)).status, role).toBe(expected[role]);
    });
  }

  it("refuses a change without the session's CSRF token", async () => {
    const fac = await signIn("fac");
    const without = await fetch(`${server.url}/inbox/api/tickets/1/claim`, { method: "POST", headers: { cookie: fac.cookie, "content-type": "application/json" }, body: "{}" });
    expect(without.status).toBe(403);
    const withToken = await fetch(`${server.url}/inbox/api/tickets/1/claim`, { method: "POST", headers: { cookie: fac.cookie, "content-type": "application/json", "x-csrf-token": fac.csrf }, body: "{}" });
    expect(withToken.status).toBe(404);
  });

  it("lets an administrator add a facilitator from the page; a disabled account cannot sign in", async () => {
    const adm = await signIn("adm");
    const page = await (await fetch(`${server.url}/admin/users`, { headers: { cookie: adm.cookie } })).text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page)![1]!;
    const created = await fetch(`${server.url}/admin/users`, { method: "POST", headers: { cookie: adm.cookie, "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ _csrf: csrf, login: "nadia", displayName: "Nadia", role: "facilitator", password: PASSWORD }) });
    expect(created.status).toBe(200);
    expect((await signIn("nadia")).location).toBe("/inbox");
    await fetch(`${server.url}/admin/users/nadia/disable`, { method: "POST", headers: { cookie: adm.cookie, "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ _csrf: csrf }) });
    expect((await signIn("nadia")).status).toBe(401);
  });
});
