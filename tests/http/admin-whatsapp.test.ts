import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Dalil } from "../../src/app/dalil.js";
import type { WhatsAppStatus } from "../../src/channels/whatsapp/channel.js";
import { startHarness, type Harness } from "./harness.js";

const TOKEN = "admin-token-0123456789abcdef";
let server: Harness;
let dalil: Dalil;
let base: string;
let status: WhatsAppStatus = { state: "qr", qr: "2@QR-CODE-TEXT,abc", since: new Date() };

beforeAll(async () => {
  // Behind a proxy on this machine: X-Forwarded-For tells the client's address (attempts are counted per address).
  server = await startHarness({ env: { TRUSTED_PROXY: "loopback" }, adminToken: TOKEN, whatsapp: { status: () => status } });
  dalil = server.dalil;
  base = server.url;
});
afterAll(async () => {
  await server.close();
});

/** Posts the token form as a browser would: with the form's CSRF token and its cookie. */
async function login(token: string, options: { csrf?: boolean } = {}): Promise<Response> {
  const form = await fetch(`${base}/admin/whatsapp`);
  const cookie = form.headers.get("set-cookie")!.split(";")[0]!;
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1]!;
  const body = new URLSearchParams({ token, ...(options.csrf === false ? {} : { _csrf: csrf }) });
  return fetch(`${base}/admin/token`, { method: "POST", body, redirect: "manual", headers: { cookie, "x-forwarded-for": `10.0.0.${token.length}` } });
}

describe("the WhatsApp QR page", () => {
  it("asks for the administrator token before showing anything", async () => {
    const response = await fetch(`${base}/admin/whatsapp`);
    expect(response.status).toBe(401);
    const html = await response.text();
    expect(html).toContain('<form method="post" action="/admin/token">');
    expect(html).not.toContain("<svg");
  });

  it("refuses the form without its CSRF token, even with the right token", async () => {
    expect((await login(TOKEN, { csrf: false })).status).toBe(403);
  });

  it("refuses a wrong token, and limits attempts", async () => {
    expect((await login("wrong-token-0123456789abcdefgh")).status).toBe(401);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await login("wrong-token-0123456789abcdefgh")).status);
    expect(statuses).toContain(429);
  });

  it("shows the QR code to scan, as an SVG served with the page, once the token is given", async () => {
    const response = await login(TOKEN);
    expect(response.status).toBe(303);
    const cookie = response.headers.get("set-cookie")!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie).not.toContain(TOKEN);
    const page = await fetch(`${base}/admin/whatsapp`, { headers: { cookie: cookie.split(";")[0]! } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toMatch(/<svg[^>]*>/);
    expect(html).toContain('http-equiv="refresh"');
    expect(html).not.toMatch(/<script/);
    status = { state: "ready", since: new Date() };
    const ready = await (await fetch(`${base}/admin/whatsapp`, { headers: { cookie: cookie.split(";")[0]! } })).text();
    expect(ready).toContain(dalil.loaded.content.i18n.t("fr", "admin:whatsapp.state.ready"));
    expect(ready).not.toMatch(/<svg[^>]*>/);
  });
});
