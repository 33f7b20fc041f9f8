/**
 * Monitoring over 1,000,000 request rows on SQLite: how fast synthetic rows are written, then how long the headline
 * report (need × sex, one quarter, one region) and the dashboard's whole query set take.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { projectRoot } from "../../src/content/files.js";
import type { Dimension } from "../../src/monitoring/dimensions.js";
import { peopleByMonth, totals } from "../../src/monitoring/report.js";
import { reportTable } from "../../src/monitoring/tables.js";
import { openDatabase } from "../../src/store/database.js";
import { fmt, largest, percentile } from "./stats.js";

const ROWS = Number(process.env.BENCH_REPORT_ROWS ?? 1_000_000);
const CATEGORIES = ["health", "legal", "protection", "shelter", "basic_needs", "employment", "education", "return", "diaspora", "other"];
const SEXES = ["female", "male", "undisclosed", "not_asked"];
const AGES = ["12-17", "18-59", "60+", "undisclosed", "not_asked"];
const STATUSES = ["migrant", "refugee_asylum", "mre", "mre_returnee", "mre_family", "undisclosed", "not_asked"];
const CHANNELS = ["web", "telegram", "whatsapp"];
const OUTCOMES = ["referred", "referred", "referred", "no_match", "handoff_requested", "abandoned"];
const COMMUNES = ["09.273.01.15", "09.273.01.05", "09.001.01.01", "09.541.01.13", "09.581.01.07", "02.411.01.23", "02.381.01.05", "02.113.01.09", "06.141.01.0", "01.511.01.0"];

/** A small deterministic generator, so every run writes the same rows. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export default {
  name: `monitoring reports over ${ROWS.toLocaleString("en")} request rows (SQLite)`,
  async run() {
    const dir = mkdtempSync(join(tmpdir(), "dalil-bench-report-"));
    // BENCH_REPORT_DB keeps the generated database at that path, to study query plans.
    const file = process.env.BENCH_REPORT_DB ?? join(dir, "dalil.db");
    try {
      const migrated = await openDatabase(`file:${file}`, { root: projectRoot() });
      await migrated.close();
      const db = new Database(file);
      db.pragma("journal_mode = WAL");
      db.pragma("synchronous = NORMAL");
      const insertRequest = db.prepare("INSERT INTO request (id, date, channel, language, region, commune, urgent, sex, age_band, status, outcome, handoff_outcome) VALUES (?, ?, ?, 'fr', ?, ?, ?, ?, ?, ?, ?, NULL)");
      const insertCategory = db.prepare("INSERT INTO request_category (request_id, category, rank) VALUES (?, ?, ?)");
      const insertReferral = db.prepare("INSERT INTO request_referral (request_id, service_id, rank) VALUES (?, ?, 1)");
      const rnd = random(42);
      const pick = <T>(list: readonly T[]) => list[Math.floor(rnd() * list.length)]!;
      const day0 = Date.UTC(2025, 0, 1);
      const started = performance.now();
      const batch = db.transaction((from: number, to: number) => {
        for (let i = from; i < to; i++) {
          const id = `bench-${i}`;
          const commune = pick(COMMUNES);
          const date = new Date(day0 + Math.floor(rnd() * 730) * 86_400_000).toISOString().slice(0, 10);
          insertRequest.run(id, date, pick(CHANNELS), commune.slice(0, 2), commune, rnd() < 0.05 ? 1 : 0, pick(SEXES), pick(AGES), pick(STATUSES), pick(OUTCOMES));
          const first = pick(CATEGORIES);
          insertCategory.run(id, first, 1);
          if (rnd() < 0.15) {
            const second = pick(CATEGORIES);
            if (second !== first) insertCategory.run(id, second, 2);
          }
          if (rnd() < 0.7) insertReferral.run(id, `svc-${Math.floor(rnd() * 60)}`);
        }
      });
      for (let from = 0; from < ROWS; from += 20_000) batch(from, Math.min(ROWS, from + 20_000));
      const seconds = (performance.now() - started) / 1000;
      db.pragma("optimize");
      db.close();
      console.log(`generated ${ROWS.toLocaleString("en")} requests (+ categories, referrals) in ${fmt(seconds, 1)} s: ${Math.round(ROWS / seconds).toLocaleString("en")} rows/s`);

      const { prisma, close } = await openDatabase(`file:${file}`, { root: projectRoot() });
      const quarter = { from: "2026-01-01", to: "2026-03-31", region: "09" };
      const time = async (fn: () => Promise<unknown>, runs: number) => {
        const ms: number[] = [];
        for (let i = 0; i < runs; i++) {
          const t = performance.now();
          await fn();
          ms.push(performance.now() - t);
        }
        return ms;
      };
      await reportTable(prisma, quarter, ["category", "sex"], { k: 5 }); // warm-up
      const headline = await time(() => reportTable(prisma, quarter, ["category", "sex"], { k: 5 }), 7);
      console.log(`headline report (need × sex, one quarter, Souss-Massa): median ${fmt(percentile(headline, 50), 0)} ms, max ${fmt(largest(headline), 0)} ms (7 runs)`);
      const dashboardSet: Dimension[][] = [["category", "sex"], ["commune", "sex"], ["age_band", "sex"], ["status", "sex"], ["channel"], ["language"], ["month", "sex"]];
      const full = await time(async () => {
        await totals(prisma, quarter);
        await peopleByMonth(prisma, quarter);
        for (const by of dashboardSet) await reportTable(prisma, quarter, by, { k: 5 });
      }, 3);
      console.log(`full dashboard query set (totals, people, 7 tables): median ${fmt(percentile(full, 50), 0)} ms (3 runs)`);
      const year = await time(() => reportTable(prisma, { from: "2025-01-01", to: "2026-12-31" }, ["category", "sex"], { k: 5 }), 3);
      console.log(`need × sex over all ${ROWS.toLocaleString("en")} rows, no filter: median ${fmt(percentile(year, 50), 0)} ms`);
      await close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
