import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { projectRoot } from "../../src/content/files.js";
import { tempDir } from "../helpers/store.js";
import { testDatabaseEnv } from "../helpers/postgres.js";

const dir = tempDir();
afterAll(() => dir.cleanup());
const env = { ...process.env, ...(await testDatabaseEnv(dir.path)), DALIL_VAR_DIR: dir.path };
const dalil = (args: string[], input = "") => spawnSync(process.execPath, ["src/bin/dalil.mjs", ...args], { cwd: projectRoot(), env, input, encoding: "utf8", timeout: 120_000 });

describe("dalil user", () => {
  it("adds an account with the password read from stdin, lists it, disables it", () => {
    const added = dalil(["user", "add", "amina", "--role", "facilitator", "--name", "Amina B."], "a password of some length\n");
    expect(added.stderr).toBe("");
    expect(added.stdout).toContain("Created amina (facilitator).");
    const list = dalil(["user", "list"]);
    expect(list.stdout).toMatch(/^amina\tfacilitator\tactive\tAmina B\.\tnever signed in$/m);
    expect(dalil(["user", "disable", "amina"]).status).toBe(0);
    expect(dalil(["user", "list"]).stdout).toMatch(/^amina\tfacilitator\tdisabled/m);
  });

  it("refuses a short password, an unknown role and a taken login, saying why", () => {
    const short = dalil(["user", "add", "bilal", "--role", "staff"], "short\n");
    expect(short.status).toBe(1);
    expect(short.stderr).toContain("password: at least 12 characters");
    const role = dalil(["user", "add", "bilal", "--role", "boss"], "a password of some length\n");
    expect(role.stderr).toContain("role: expected one of admin, staff, facilitator");
    dalil(["user", "add", "carla", "--role", "admin"], "a password of some length\n");
    expect(dalil(["user", "add", "carla", "--role", "admin"], "a password of some length\n").stderr).toContain('login: "carla" is already taken');
  });
});
