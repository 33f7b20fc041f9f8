import type { Dalil } from "../../src/app/dalil.js";
import { projectRoot } from "../../src/content/files.js";
import { createHttpApp, startHttpServer } from "../../src/http/server.js";
import { TestClock, silentLogger, startTestDalil, tempDir } from "./store.js";

export interface TestServer {
  url: string;
  dalil: Dalil;
  clock: TestClock;
  /** POST /api/chat with a JSON body (or a raw string); returns status and parsed JSON. */
  chat(body: unknown): Promise<{ status: number; json: any }>;
  close(): Promise<void>;
}

/** Dalil behind a real HTTP server on a free port, over a temporary SQLite database. */
export async function startTestServer(options: { clock?: TestClock } = {}): Promise<TestServer> {
  const dir = tempDir();
  const clock = options.clock ?? new TestClock();
  const dalil = await startTestDalil(dir.path, { clock });
  const http = await startHttpServer(createHttpApp({ dalil, logger: silentLogger, root: projectRoot() }), { host: "127.0.0.1", port: 0 });
  const url = http.url.replace("localhost", "127.0.0.1");
  return {
    url,
    dalil,
    clock,
    async chat(body) {
      const response = await fetch(`${url}/api/chat`, { method: "POST", headers: { "content-type": "application/json" }, body: typeof body === "string" ? body : JSON.stringify(body) });
      return { status: response.status, json: await response.json() };
    },
    async close() {
      await http.close();
      await dalil.close();
      dir.cleanup();
    },
  };
}
