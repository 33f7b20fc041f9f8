import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { projectRoot } from "../../src/content/files.js";
import { startTestDalil, tempDir } from "../helpers/store.js";
import { testDatabaseEnv } from "../helpers/postgres.js";

const dir = tempDir();
const env = { ...process.env, ...(await testDatabaseEnv(dir.path)), DALIL_VAR_DIR: dir.path };
const dalil = (args: string[]) => spawnSync(process.execPath, ["src/bin/dalil.mjs", ...args], { cwd: projectRoot(), env, encoding: "utf8", timeout: 120_000 });

beforeAll(async () => {
  const app = await startTestDalil(dir.path);
  let n = 0;
  const add = async (date: string, region: string, sex: string, category: string, times: number) => {
    for (let i = 0; i < times; i++) {
      await app.db.prisma.request.create({ data: { id: `r${++n}`, date, channel: "web", language: "fr", region, commune: region === "09" ? "09.273.01.15" : "02.411.01.23", urgent: false, sex, ageBand: "18-59", status: "migrant", outcome: "referred", categories: { create: [{ category, rank: 1 }] } } });
    }
  };
  await add("2026-02-01", "09", "female", "health", 12);
  await add("2026-02-01", "09", "male", "health", 20);
  await add("2026-02-01", "09", "female", "legal", 7);
  await add("2026-02-01", "09", "male", "legal", 2);
  await add("2026-02-01", "09", "female", "education", 8);
  await add("2026-02-01", "09", "male", "education", 9);
  await add("2026-02-01", "02", "female", "health", 40);
  await add("2026-05-01", "09", "female", "health", 30);
  await app.close();
});
afterAll(() => dir.cleanup());

describe("dalil report", () => {
  it("prints the readable table by default, suppressed, for a region given by name", () => {
    const result = dalil(["report", "--from", "2026-01-01", "--to", "2026-03-31", "--by", "category,sex", "--region", "Souss-Massa"]);
    expect(result.status).toBe(0);
    const lines = result.stdout.split("\n");
    expect(lines[0]).toMatch(/^category\s+Femme\s+Homme/);
    expect(lines.find((l) => l.startsWith("Santé et soins"))).toMatch(/12\s+20\s+0\s+0\s+32$/);
    // 2 men: hidden; the 7 women beside them too (the row total would give them away), and so on down the column.
    expect(lines.find((l) => l.startsWith("Papiers et droits"))).toMatch(/x\s+<5\s+0\s+0\s+9$/);
    expect(lines.find((l) => l.startsWith("École et cours"))).toMatch(/x\s+x\s+0\s+0\s+17$/);
    expect(result.stdout).toContain("Counts from 1 to 4 are shown as <5");
  });

  it("writes CSV with HXL tags, and JSON", () => {
    const csv = dalil(["report", "--from", "2026-01-01", "--to", "2026-03-31", "--by", "category,sex", "--region", "09", "--format", "csv", "--hxl"]);
    const rows = parse(csv.stdout) as string[][];
    expect(rows[1]![0]).toBe("#sector");
    expect(rows.find((r) => r[0] === "health")!.slice(1, 3)).toEqual(["12", "20"]);
    const json = JSON.parse(dalil(["report", "--from", "2026-01-01", "--to", "2026-03-31", "--by", "sex", "--format", "json"]).stdout);
    expect(json.rows).toEqual(["female", "male", "undisclosed", "not_asked"]);
    expect(json.cells.map((c: unknown[]) => c[0])).toEqual([67, 31, 0, 0]);
  });

  it("says what is wrong with bad arguments", () => {
    const result = dalil(["report", "--from", "January", "--by", "category,colour", "--region", "Atlantis"]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('--from: expected a date such as 2026-01-31, received "January"');
    expect(result.stderr).toContain('--by: unknown dimension "colour"');
    expect(result.stderr).toContain('--region: no region "Atlantis"');
  });
});
