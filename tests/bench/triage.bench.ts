/**
 * `npm run bench -- triage`: the cost of reading one message (language, categories, urgency, place), with the real
 * lexicon, the learned need model and the full gazetteer (1,503 communes), over the labelled messages people wrote;
 * then the same without the model, for its share. Prints figures only.
 */
import { join } from "node:path";
import { projectRoot } from "../../src/content/files.js";
import { loadContent } from "../../src/content/load.js";
import { readLabelled } from "../../src/triage/evaluate.js";
import type { Benchmark } from "./run.js";
import { fmt, largest, percentile } from "./stats.js";

/** Passes over the messages: enough for stable percentiles (about 10,000 timed calls) in a few seconds. */
const ROUNDS = 25;
const LOADS = 5;

const bench: Benchmark = {
  name: "triage: one message through Triage.analyse",
  async run() {
    const loads: number[] = [];
    let content = loadContent().content;
    for (let i = 0; i < LOADS; i++) {
      const started = performance.now();
      content = loadContent().content;
      loads.push(performance.now() - started);
    }
    console.log(`content load (flows, locales, lexicon, gazetteer, directory), ${LOADS} loads: median ${fmt(percentile(loads, 50), 1)} ms, max ${fmt(largest(loads), 1)} ms`);

    const folder = join(projectRoot(), "tests", "triage", "labelled");
    // Only the texts: nothing about a held-out message is printed here.
    const texts = [...readLabelled(join(folder, "dev.jsonl")), ...readLabelled(join(folder, "heldout.jsonl"))].map((m) => m.text);
    const triage = content.triage;
    // Warm-up, timed: the first reading of each message pays for JIT compilation, fuse.js indexes built lazily and the
    // need model's per-word cache; the timed rounds after it are a running bot's steady state.
    const first: number[] = [];
    for (const text of texts) {
      const t0 = performance.now();
      triage.analyse(text);
      first.push(performance.now() - t0);
    }

    const times: number[] = [];
    const started = performance.now();
    for (let round = 0; round < ROUNDS; round++) {
      for (const text of texts) {
        const t0 = performance.now();
        triage.analyse(text, { expectingPlace: false });
        times.push(performance.now() - t0);
      }
    }
    const total = performance.now() - started;
    console.log(`messages: ${texts.length} labelled (dev + held-out), ${ROUNDS} rounds = ${times.length} calls`);
    console.log(`first reading of each message (cold): median ${fmt(percentile(first, 50), 3)} ms, p95 ${fmt(percentile(first, 95), 3)} ms`);
    console.log(`per message: median ${fmt(percentile(times, 50), 3)} ms, p95 ${fmt(percentile(times, 95), 3)} ms, p99 ${fmt(percentile(times, 99), 3)} ms, max ${fmt(largest(times), 3)} ms`);
    console.log(`throughput: ${Math.round(times.length / (total / 1000))} messages/s (one thread)`);

    // The learned need model's share of the cost: the same messages read by the lexicon alone.
    const lexiconOnly = triage.withoutModel();
    for (const text of texts) lexiconOnly.analyse(text);
    const alone: number[] = [];
    for (let round = 0; round < 5; round++) {
      for (const text of texts) {
        const t0 = performance.now();
        lexiconOnly.analyse(text, { expectingPlace: false });
        alone.push(performance.now() - t0);
      }
    }
    console.log(`without the need model (lexicon alone), 5 rounds: median ${fmt(percentile(alone, 50), 3)} ms, p95 ${fmt(percentile(alone, 95), 3)} ms`);

    const place: number[] = [];
    for (const text of texts) {
      const t0 = performance.now();
      triage.analyse(text, { expectingPlace: true });
      place.push(performance.now() - t0);
    }
    console.log(`as an answer to "where are you?" (typo-tolerant places): median ${fmt(percentile(place, 50), 3)} ms, p95 ${fmt(percentile(place, 95), 3)} ms`);
  },
};

export default bench;
