/**
 * `npm run bench`: runs every tests/bench/*.bench.ts in turn and prints its figures. Benchmarks print numbers; they
 * never pass or fail on time (timed assertions belong nowhere). `npm run bench -- triage` runs the ones whose file
 * name contains "triage".
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

export interface Benchmark {
  name: string;
  run(): Promise<void>;
}

const filter = process.argv[2] ?? "";
const folder = import.meta.dirname;
const files = readdirSync(folder).filter((f) => f.endsWith(".bench.ts") && f.includes(filter)).sort();
console.log(`Dalil benchmarks — node ${process.version}, ${new Date().toISOString()}`);
for (const file of files) {
  const module = (await import(pathToFileURL(join(folder, file)).href)) as { default: Benchmark };
  console.log(`\n## ${module.default.name} (${file})`);
  const started = performance.now();
  await module.default.run();
  console.log(`(${((performance.now() - started) / 1000).toFixed(1)} s)`);
}
