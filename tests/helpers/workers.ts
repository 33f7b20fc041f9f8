import { spawn, type ChildProcess } from "node:child_process";
import { projectRoot } from "../../src/content/files.js";

/** A Dalil process started as `npm start` starts it, and where it serves. */
export interface WorkerProcess {
  process: ChildProcess;
  url: string;
  /** Its logs (JSON lines on stderr), for tests that count what it did. */
  stderr: string;
  stop(): Promise<void>;
}

/**
 * Starts `node --import tsx src/main.ts` with `env` on a free port and waits until it says it is running. `nodeArgs`
 * go to node before the script (benchmarks pass `--cpu-prof` and the like).
 */
export async function startWorkerProcess(env: Record<string, string>, options: { nodeArgs?: readonly string[] } = {}): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), "--import", "tsx", "src/main.ts"], { cwd: projectRoot(), env: { ...process.env, PORT: "0", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  const worker: WorkerProcess = {
    process: child,
    url: "",
    stderr: "",
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    },
  };
  child.stdout!.on("data", (d) => (stdout += d));
  child.stderr!.on("data", (d) => (worker.stderr += d));
  const end = Date.now() + 60_000;
  while (!/Channels:/.test(stdout) && Date.now() < end && child.exitCode === null) await new Promise((r) => setTimeout(r, 100));
  const url = /open (http:\/\/\S+)/.exec(stdout)?.[1];
  if (!url) {
    child.kill("SIGKILL");
    throw new Error(`the worker did not start: ${worker.stderr.slice(-2000)}`);
  }
  worker.url = url.replace("localhost", "127.0.0.1");
  return worker;
}

/** French, health in Inezgane, the three profile answers: ends with three referrals and one logged request. */
export const REFERRAL_SCRIPT: readonly ({ text: string } | { choice: string })[] = [
  { text: "bonjour" },
  { choice: "language.fr" },
  { choice: "privacy.continue" },
  { text: "j'ai besoin d'un médecin" },
  { text: "Inezgane" },
  { choice: "sex.female" },
  { choice: "age_band.18-59" },
  { choice: "status.migrant" },
];
