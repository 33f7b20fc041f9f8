import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Dalil } from "../../src/app/dalil.js";
import type { WhatsAppStatus } from "../../src/channels/whatsapp/channel.js";
import { projectRoot } from "../../src/content/files.js";
import { createHttpApp, startHttpServer } from "../../src/http/server.js";
import { silentLogger, startTestDalil, tempDir } from "../helpers/store.js";

const TOKEN = "admin-token-0123456789abcdef";
let dalil: Dalil;
let http: Awaited<ReturnType<typeof startHttpServer>>;
let base: string;
let status: WhatsAppStatus = { state: "qr", qr: "2@QR-CODE-TEXT,abc", since: new Date() };
const dir = tempDir();

beforeAll(async () => {
  dalil = await startTestDalil(dir.path);
  http = await startHttpServer(createHttpApp({ dalil, logger: silentLogger, root: projectRoot(), adminToken: TOKEN, whatsapp: { status: () => status } }), { host: "127.0.0.1", port: 0 });
  base = http.url.replace("localhost", "127.0.0.1");
});
afterAll(async () => {
  await http.close();
  await dalil.close();
  dir.cleanup();
});

async function login(token: string): Promise<Response> {
  return fetch(`${base}/admin/token`, { method: "POST", body: new URLSearchParams({ token }), redirect: "manual", headers: { "x-forwarded-for": `10.0.0.${token.length}` } });
}

describe("the WhatsApp QR page", () => {
  it("asks for the administrator token before showing anything", async () => {
    const response = await fetch(`${base}/admin/whatsapp`);
    expect(response.status).toBe(401);
    const html = await response.text();
    expect(html).toContain('<form method="post" action="/admin/token">');
    expect(html).not.toContain("<svg");
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
