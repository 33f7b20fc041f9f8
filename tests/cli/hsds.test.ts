import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { projectRoot } from "../../src/content/files.js";
import { tempDir } from "../helpers/store.js";
import { testDatabaseEnv } from "../helpers/postgres.js";

const dir = tempDir();
afterAll(() => dir.cleanup());
const env = { ...process.env, ...(await testDatabaseEnv(dir.path)), DALIL_VAR_DIR: dir.path };
const dalil = (args: string[]) => spawnSync(process.execPath, ["src/bin/dalil.mjs", ...args], { cwd: projectRoot(), env, encoding: "utf8", timeout: 120_000 });
const FIXTURES = "tests/directory/fixtures/hsds";

describe("dalil hsds", () => {
  it("refuses the specification's own example, naming file, record and field, and writes nothing", () => {
    dalil(["import"]); // the sample directory, so that there is something to keep intact
    const before = dalil(["export", "--to", join(dir.path, "before.yaml")]).stdout;
    const result = dalil(["hsds", "import", `${FIXTURES}/spec/examples/service_full.json`]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/Nothing imported: \d+ problems/);
    expect(result.stderr).toMatch(/service_full\.json › location "3a19ff88-[^"]*" › latitude: Out of range: latitude 100/);
    const after = dalil(["export", "--to", join(dir.path, "after.yaml")]).stdout;
    expect(after).toBe(before.replace("before.yaml", "after.yaml"));
  });

  it("imports a corrected copy, exports both forms, and imports its own export", () => {
    const imported = dalil(["hsds", "import", `${FIXTURES}/corrected/service.json`]);
    expect(imported.stderr).toBe("");
    expect(imported.stdout).toMatch(/Imported 1 organisations?, 1 locations?, 1 services?/);
    const exported = dalil(["hsds", "export", join(dir.path, "out")]);
    expect(exported.status).toBe(0);
    expect(existsSync(join(dir.path, "out", "hsds.json"))).toBe(true);
    expect(existsSync(join(dir.path, "out", "datapackage", "datapackage.json"))).toBe(true);
    const again = dalil(["hsds", "import", join(dir.path, "out", "datapackage")]);
    expect(again.stderr).toBe("");
    expect(again.status).toBe(0);
  });
});
