/**
 * The deployment files in deploy/ against the code: docker-compose.yml (parsed, its variables interpolated as Compose
 * would, each Dalil process's environment run through Dalil's own configuration parser), the Caddyfile it mounts, the
 * systemd units and the production environment file. A misspelled or removed variable, a second WhatsApp process or
 * a worker that does not wait for PostgreSQL fails here. Docker itself is not run.
 */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { configSchema, parseConfig } from "../../src/config.js";
import { projectRoot } from "../../src/content/files.js";

const DEPLOY = join(projectRoot(), "deploy");
const read = (name: string) => readFileSync(join(DEPLOY, name), "utf8");

/** Dalil's settings: every variable a Dalil process is given must be one of these. */
const SETTINGS = new Set(Object.keys(configSchema.shape));
/** Variables given to a Dalil process that are not Dalil's settings (deploy/README.md says what they are for). */
const NOT_SETTINGS: Record<string, string> = {
  NODE_ENV: "set to production in the image; read by libraries",
  HOME: "a writable home for Chromium (dalil-whatsapp.service)",
};
const unknownVariables = (names: Iterable<string>) => [...names].filter((n) => !SETTINGS.has(n) && !(n in NOT_SETTINGS));

/** Values for the variables that docker-compose.yml reads from deploy/.env. */
const DOTENV = { DALIL_SECRET: "0123456789abcdef".repeat(4), POSTGRES_PASSWORD: "s3cretpassw0rd", DALIL_DOMAIN: "dalil.example.org" };

class MissingVariable extends Error {}

/** Compose's interpolation: $$, $VAR, ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, ${VAR?error}. */
function interpolate(text: string, env: Record<string, string>): string {
  return text.replace(/\$(?:\$|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g, (match, name?: string, colon?: string, op?: string, arg?: string, bare?: string) => {
    if (match === "$$") return "$";
    if (bare) return env[bare] ?? "";
    const value = env[name!];
    const missing = value === undefined || (colon === ":" && value === "");
    if (!op) return value ?? "";
    if (!missing) return value!;
    if (op === "-") return arg ?? "";
    throw new MissingVariable(`${name}: ${arg}`);
  });
}

type Service = {
  image?: string;
  build?: { context?: string; dockerfile?: string; target?: string };
  container_name?: string;
  environment?: Record<string, string | number | boolean | null> | string[];
  depends_on?: Record<string, { condition?: string }> | string[];
  deploy?: { replicas?: number };
  volumes?: (string | { source?: string; target?: string })[];
  ports?: (string | number)[];
  healthcheck?: { test?: string[] | string };
};
type Compose = { services: Record<string, Service>; volumes?: Record<string, unknown> };

/** docker-compose.yml as Compose reads it (YAML merge keys resolved), before interpolation. */
function loadCompose(text = read("docker-compose.yml")): Compose {
  return parse(text, { merge: true }) as Compose;
}

/** A service's environment as name → raw value (Compose accepts a map or a list of NAME=value). */
function environment(service: Service): Record<string, string> {
  const env = service.environment ?? {};
  if (Array.isArray(env)) return Object.fromEntries(env.map((line) => [line.split("=")[0]!, line.slice(line.indexOf("=") + 1)]));
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === null ? "" : String(v)]));
}

/** The environment a process of the service gets, with deploy/.env's values (or others) interpolated. */
const processEnv = (service: Service, dotenv: Record<string, string> = DOTENV) =>
  Object.fromEntries(Object.entries(environment(service)).map(([k, v]) => [k, interpolate(v, dotenv)]));

/** Short-syntax volumes as { source, target }. */
const volumes = (service: Service) =>
  (service.volumes ?? []).map((v) => (typeof v === "string" ? { source: v.split(":")[0]!, target: v.split(":")[1]! } : { source: v.source ?? "", target: v.target ?? "" }));

const DALIL_SERVICES = ["worker", "whatsapp"] as const;

describe("deploy/docker-compose.yml", () => {
  const compose = loadCompose();
  const services = compose.services;

  it("has PostgreSQL, the workers, one WhatsApp process and the proxy", () => {
    expect(Object.keys(services).sort()).toEqual(["postgres", "proxy", "whatsapp", "worker"]);
    expect(services.postgres!.image).toMatch(/^postgres:15\b/);
    expect(services.worker!.deploy?.replicas).toBeGreaterThanOrEqual(2);
  });

  it.each(DALIL_SERVICES)("gives %s only Dalil's own settings", (name) => {
    expect(unknownVariables(Object.keys(environment(services[name]!)))).toEqual([]);
  });

  it.each(DALIL_SERVICES)("gives %s an environment that Dalil's configuration accepts", (name) => {
    const config = parseConfig(processEnv(services[name]!));
    expect(config.HOST).toBe("0.0.0.0");
    expect(config.DALIL_SECRET).toBe(DOTENV.DALIL_SECRET);
    expect(config.WHATSAPP_ENABLED).toBe(name === "whatsapp");
  });

  it.each(DALIL_SERVICES)("points %s's DATABASE_URL at the postgres service's database", (name) => {
    const url = new URL(processEnv(services[name]!).DATABASE_URL!);
    const postgres = processEnv(services.postgres!);
    expect(url.protocol).toBe("postgresql:");
    expect(url.hostname).toBe("postgres");
    expect(url.port || "5432").toBe("5432");
    expect(url.username).toBe(postgres.POSTGRES_USER);
    expect(decodeURIComponent(url.password)).toBe(postgres.POSTGRES_PASSWORD);
    expect(url.pathname).toBe(`/${postgres.POSTGRES_DB}`);
  });

  it.each(DALIL_SERVICES)("requires DALIL_SECRET for %s (${DALIL_SECRET:?...}): Compose stops without it", (name) => {
    expect(environment(services[name]!).DALIL_SECRET).toMatch(/^\$\{DALIL_SECRET:\?[^}]+\}$/);
    const { DALIL_SECRET: _, ...withoutSecret } = DOTENV;
    expect(() => processEnv(services[name]!, withoutSecret)).toThrow(MissingVariable);
    expect(() => processEnv(services[name]!, { ...DOTENV, DALIL_SECRET: "" })).toThrow(MissingVariable);
  });

  it("runs WhatsApp in exactly one process, with its session on a volume", () => {
    const whatsapp = services.whatsapp!;
    expect(whatsapp.deploy?.replicas ?? 1).toBe(1);
    // A fixed container name makes `docker compose up --scale whatsapp=2` fail.
    expect(whatsapp.container_name).toBeTruthy();
    const enabled = Object.entries(services).filter(([, s]) => parseConfig(processEnv(s)).WHATSAPP_ENABLED).map(([n]) => n);
    expect(enabled).toEqual(["whatsapp"]);
    expect(environment(services.worker!).WHATSAPP_ENABLED).toBe("0");
    const config = parseConfig(processEnv(whatsapp));
    const sessionDir = resolve("/app", config.WHATSAPP_SESSION_DIR);
    const mount = volumes(whatsapp).find((v) => sessionDir === v.target || sessionDir.startsWith(`${v.target}/`));
    expect(mount, `a volume holding ${sessionDir}`).toBeDefined();
    expect(Object.keys(compose.volumes ?? {})).toContain(mount!.source);
    expect(whatsapp.build?.target).toBe("whatsapp");
  });

  it.each(DALIL_SERVICES)("starts %s only once PostgreSQL is healthy", (name) => {
    const dependsOn = services[name]!.depends_on;
    expect(Array.isArray(dependsOn)).toBe(false);
    expect((dependsOn as Record<string, { condition?: string }>).postgres?.condition).toBe("service_healthy");
    expect(JSON.stringify(services.postgres!.healthcheck?.test)).toContain("pg_isready");
  });

  it("keeps PostgreSQL's data on a named volume", () => {
    const data = volumes(services.postgres!).find((v) => v.target === "/var/lib/postgresql/data");
    expect(data).toBeDefined();
    expect(Object.keys(compose.volumes ?? {})).toContain(data!.source);
  });

  it("builds from deploy/Dockerfile, whose stages exist", () => {
    const dockerfile = read("Dockerfile");
    for (const name of DALIL_SERVICES) {
      const build = services[name]!.build!;
      expect(resolve(DEPLOY, build.context ?? ".", build.dockerfile ?? "Dockerfile")).toBe(join(DEPLOY, "Dockerfile"));
      expect(dockerfile).toMatch(new RegExp(`^FROM \\S+ AS ${build.target}$`, "m"));
    }
    expect(dockerfile).toMatch(/^FROM node:20-bookworm-slim AS build$/m);
    expect(dockerfile).toMatch(/^USER node$/m);
  });

  it("puts the proxy in front of the workers with a config file that exists and routes to them", () => {
    const proxy = services.proxy!;
    const config = volumes(proxy).find((v) => /Caddyfile|nginx\.conf/.test(v.target));
    expect(config, "the proxy's config file is mounted").toBeDefined();
    const file = resolve(DEPLOY, config!.source);
    expect(existsSync(file), `${file} exists`).toBe(true);
    const caddyfile = readFileSync(file, "utf8");
    const port = parseConfig(processEnv(services.worker!)).PORT;
    expect(caddyfile).toMatch(new RegExp(`(dynamic a worker ${port}\\b|\\bworker:${port}\\b)`));
    // The WhatsApp process is not load-balanced: its QR page is reached through a tunnel.
    expect(caddyfile).not.toMatch(/dynamic a whatsapp|\bwhatsapp:\d+/);
    expect((proxy.depends_on as Record<string, unknown>).worker).toBeDefined();
    expect(proxy.ports?.map(String)).toEqual(expect.arrayContaining(["80:80", "443:443"]));
  });

  it("does not buffer server-sent events (/api/events) at the proxy", () => {
    const caddyfile = read("Caddyfile");
    const block = /handle \/api\/events\/\* \{([\s\S]*?)\n\t\}/.exec(caddyfile)?.[1];
    expect(block, "a handle /api/events/* block").toBeDefined();
    expect(block).toMatch(/flush_interval -1/);
    expect(block).toMatch(/worker/);
  });

  it("would fail on a misspelled variable (the checks can fail)", () => {
    const misspelled = loadCompose(read("docker-compose.yml").replace("DATABASE_POOL_SIZE:", "DATABASE_POOLSIZE:"));
    expect(unknownVariables(Object.keys(environment(misspelled.services.worker!)))).toEqual(["DATABASE_POOLSIZE"]);
    expect(() => interpolate("${X:?say so}", {})).toThrow(MissingVariable);
  });
});

/** A systemd unit as sections of key → values (keys may repeat). Throws on a line that is neither. */
function parseUnit(text: string): Map<string, Map<string, string[]>> {
  const sections = new Map<string, Map<string, string[]>>();
  let current: Map<string, string[]> | undefined;
  text.split("\n").forEach((raw, index) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || line.startsWith(";")) return;
    const header = /^\[([A-Za-z]+)\]$/.exec(line);
    if (header) {
      current = new Map();
      sections.set(header[1]!, current);
      return;
    }
    const setting = /^([A-Za-z][A-Za-z0-9]*)=(.*)$/.exec(line);
    if (!setting || !current) throw new Error(`line ${index + 1}: neither a [Section] nor Key=value inside one: ${raw}`);
    current.set(setting[1]!, [...(current.get(setting[1]!) ?? []), setting[2]!]);
  });
  return sections;
}

/** Variables a unit gives the process: Environment= lines and `env NAME=value` before the command. */
function unitVariables(service: Map<string, string[]>): Record<string, string> {
  const pairs: [string, string][] = [];
  for (const line of service.get("Environment") ?? []) for (const word of line.split(/\s+/)) pairs.push([word.split("=")[0]!, word.slice(word.indexOf("=") + 1)]);
  const exec = (service.get("ExecStart") ?? []).join(" ").split(/\s+/);
  if (/\/env$/.test(exec[0] ?? "")) for (const word of exec.slice(1)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*=/.test(word)) break;
    pairs.push([word.split("=")[0]!, word.slice(word.indexOf("=") + 1)]);
  }
  return Object.fromEntries(pairs);
}

describe.each([
  { file: "dalil.service", whatsapp: false },
  { file: "dalil-whatsapp.service", whatsapp: true },
])("deploy/$file", ({ file, whatsapp }) => {
  const unit = parseUnit(read(file));
  const service = unit.get("Service")!;
  const one = (key: string) => service.get(key)?.at(-1);

  it("has [Unit], [Service] and [Install], and starts Dalil", () => {
    expect([...unit.keys()]).toEqual(["Unit", "Service", "Install"]);
    expect(unit.get("Unit")!.get("Description")).toBeDefined();
    expect(unit.get("Install")!.get("WantedBy")).toEqual(["multi-user.target"]);
    expect(service.get("ExecStart")).toHaveLength(1);
    expect(one("ExecStart")).toMatch(/(node --import tsx src\/main\.ts|npm start)$/);
    expect(one("User")).toBe("dalil");
    expect(one("WorkingDirectory")).toBe("/opt/dalil");
    expect(one("EnvironmentFile")).toBe("/etc/dalil/dalil.env");
  });

  it("restarts on failure and stops with SIGTERM, within a limit", () => {
    expect(one("Restart")).toBe("on-failure");
    expect(one("KillSignal")).toBe("SIGTERM");
    expect(Number(one("TimeoutStopSec"))).toBeGreaterThan(0);
  });

  it("is hardened, with only var/ writable", () => {
    expect(one("NoNewPrivileges")).toBe("yes");
    expect(one("ProtectSystem")).toBe("strict");
    expect(one("PrivateTmp")).toBe("yes");
    expect(service.get("ReadWritePaths")).toEqual(["/opt/dalil/var"]);
  });

  it("gives only Dalil's settings, and runs WhatsApp only in the WhatsApp unit", () => {
    const variables = unitVariables(service);
    expect(unknownVariables(Object.keys(variables))).toEqual([]);
    expect(variables.WHATSAPP_ENABLED).toBe(whatsapp ? "1" : "0");
    // Given on the command line, so that /etc/dalil/dalil.env (which overrides Environment=) cannot change them.
    expect(one("ExecStart")).toMatch(new RegExp(`^/usr/bin/env .*WHATSAPP_ENABLED=${whatsapp ? 1 : 0} `));
    if (whatsapp) expect(variables.PUPPETEER_EXECUTABLE_PATH).toBe("/usr/bin/chromium");
  });
});

describe("deploy/dalil.env.example", () => {
  const lines = read("dalil.env.example").split("\n");
  /** NAME=value lines, and the same commented out (# NAME=value), which an operator may uncomment. */
  const assignments = lines.flatMap((line) => {
    const m = /^(#\s*)?([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    return m ? [{ name: m[2]!, value: m[3]!.replace(/^"(.*)"$/, "$1"), active: !m[1] }] : [];
  });

  it("names only Dalil's settings", () => {
    expect(assignments.length).toBeGreaterThan(10);
    expect(assignments.map((a) => a.name).filter((n) => !SETTINGS.has(n))).toEqual([]);
  });

  it("has values that Dalil's configuration accepts, on PostgreSQL", () => {
    const env = Object.fromEntries(assignments.filter((a) => a.active).map((a) => [a.name, a.value]));
    const config = parseConfig(env);
    expect(config.DATABASE_URL).toMatch(/^postgresql:\/\//);
    // Left empty on purpose: start-up on PostgreSQL stops until it is set.
    expect(config.DALIL_SECRET).toBeUndefined();
  });

  it("leaves PORT and WHATSAPP_ENABLED to the units", () => {
    expect(assignments.filter((a) => a.active && (a.name === "PORT" || a.name === "WHATSAPP_ENABLED"))).toEqual([]);
  });
});

describe("deploy/README.md", () => {
  it("lists only Dalil's settings in its table of variables", () => {
    const rows = read("README.md").split("\n").flatMap((line) => /^\| `([A-Z][A-Z0-9_]*)` \|/.exec(line)?.[1] ?? []);
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.filter((n) => !SETTINGS.has(n))).toEqual([]);
  });
});
