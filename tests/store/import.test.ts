import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Dalil } from "../../src/app/dalil.js";
import { projectRoot } from "../../src/content/files.js";
import { realContent } from "../helpers/content.js";
import { startTestDalil, tempDir } from "../helpers/store.js";
import { testDatabaseEnv } from "../helpers/postgres.js";

const open: { dalil?: Dalil; cleanup: () => void }[] = [];
afterEach(async () => {
  for (const o of open.splice(0)) {
    await o.dalil?.close();
    o.cleanup();
  }
});

function dalilCli(args: string[], env: Record<string, string>) {
  const result = spawnSync(process.execPath, ["src/bin/dalil.mjs", ...args], { cwd: projectRoot(), encoding: "utf8", env: { ...process.env, ...env }, timeout: 120_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("directory import", () => {
  it("imports the sample directory into an empty database on first start", async () => {
    const dir = tempDir();
    const dalil = await startTestDalil(dir.path);
    open.push({ dalil, cleanup: dir.cleanup });
    const expected = realContent().directoryFiles.reduce((n, f) => n + f.data.services.length, 0);
    expect(await dalil.db.prisma.service.count()).toBe(expected);
    const loaded = await dalil.directory.current();
    expect(loaded.services.map((s) => s.id).sort()).toEqual(realContent().directory.services.map((s) => s.id).sort());
    // What the database gives back is what the files said.
    const fromFiles = realContent().directory.get("svc-baom-inezgane-orientation")!;
    expect(loaded.get("svc-baom-inezgane-orientation")).toEqual(fromFiles);
  });

  it("upserts by id and says which records it replaced", async () => {
    const dir = tempDir();
    const dalil = await startTestDalil(dir.path);
    open.push({ dalil, cleanup: dir.cleanup });
    const before = await dalil.db.prisma.service.count();
    const report = await dalil.directory.import(realContent().directoryFiles, new Date());
    expect(await dalil.db.prisma.service.count()).toBe(before);
    expect(report.overwritten).toContain("service svc-baom-inezgane-orientation");
    expect(report.services).toBe(before);
  });

  it("writes nothing when a record fails", async () => {
    const dir = tempDir();
    const dalil = await startTestDalil(dir.path);
    open.push({ dalil, cleanup: dir.cleanup });
    const before = await dalil.db.prisma.service.count();
    const [first] = realContent().directoryFiles;
    const good = { ...first!.data.services[0]!, id: "svc-new-and-good" };
    // A reference the database refuses: the whole import is rolled back, including the good record before it.
    const bad = { ...first!.data.services[0]!, id: "svc-new-and-bad", organisation: "org-does-not-exist" };
    await expect(dalil.directory.import([{ data: { sample: true, organisations: [], locations: [], services: [good, bad] } }], new Date())).rejects.toThrow();
    expect(await dalil.db.prisma.service.count()).toBe(before);
    expect(await dalil.db.prisma.service.findUnique({ where: { id: "svc-new-and-good" } })).toBeNull();
  });

  it("dalil import: bad data exits non-zero naming the file, record and field, and writes nothing", async () => {
    const dir = tempDir();
    open.push({ cleanup: dir.cleanup });
    const env = { ...(await testDatabaseEnv(dir.path)), DALIL_VAR_DIR: dir.path };
    const bad = dalilCli(["import", "--from", "tests/store/fixtures/bad-directory"], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('tests/store/fixtures/bad-directory/broken.yaml:13 › service "svc-bad-category" › categories[1]: Invalid option');
    expect(bad.stderr).toContain('tests/store/fixtures/bad-directory/broken.yaml:8 › location "loc-far" › lat: Too big: expected number to be <=90');
    expect(bad.stderr).toContain('organisation "org-bad" › kind');
    expect(bad.stderr).toContain('service "svc-bad-hours" › at[0].hours.mon[0]');
    const refs = dalilCli(["import", "--from", "tests/store/fixtures/bad-references"], env);
    expect(refs.code).toBe(1);
    expect(refs.stderr).toContain('references.yaml:9 › service "svc-dangling" › organisation: Unknown organisation');
    expect(refs.stderr).toContain('service "svc-no-location" › at[0].location: Unknown location');
    expect(refs.stderr).toContain('location "loc-nowhere" › commune: Unknown commune code "09.999.99.99"');
    expect(refs.stderr).toContain('Duplicate id: "org-ok"');

    const good = dalilCli(["import"], env);
    expect(good.code).toBe(0);
    expect(good.stdout).toMatch(/Imported \d+ organisations, \d+ locations, \d+ services/);
  });
});
