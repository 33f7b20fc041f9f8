import { TIME_ZONE } from "../../codes.js";
import { WEEKDAYS, weeklyHoursSchema, type HoursException, type Weekday, type WeeklyHours } from "../schema.js";

/**
 * Opening hours ↔ HSDS schedules (RFC 5545 recurrence fields).
 *
 * - Weekly hours: one schedule per time range, `freq: WEEKLY`, `byday` the days that share it ("MO,TU"),
 *   `opens_at`/`closes_at` as HH:MM:SS local time. A range past midnight keeps `closes_at` before `opens_at`; a day that
 *   ends at 24:00 closes at 23:59:59 (a time of day has no 24:00), read back as 24:00.
 * - A dated exception: the same, with `valid_from`/`valid_to` and the label as `description`; a closure is a schedule
 *   with `valid_from`/`valid_to` and no `opens_at`/`closes_at`.
 * - Times are Moroccan legal time (Africa/Casablanca). HSDS 3.0 only has a numeric UTC offset (`timezone`), and
 *   Morocco's changes around Ramadan: the export writes the offset in force (+1, or 0 for dates in Ramadan); the
 *   import accepts 0, 1, "Africa/Casablanca" or nothing, and reads the times as local time.
 * - Equivalent forms come back in one shape: an exception that closes and also gives hours comes back closed
 *   (closing wins in `rangesOn` too), one whose hours open no day comes back as a closure, `closed: false` and empty
 *   days are left out.
 */

const BYDAY: Record<Weekday, string> = { mon: "MO", tue: "TU", wed: "WE", thu: "TH", fri: "FR", sat: "SA", sun: "SU" };
const DAY_OF = Object.fromEntries(Object.entries(BYDAY).map(([day, code]) => [code, day as Weekday])) as Record<string, Weekday>;

export interface ScheduleDraft {
  freq?: "WEEKLY";
  byday?: string;
  opens_at?: string;
  closes_at?: string;
  valid_from?: string;
  valid_to?: string;
  description?: string;
  timezone: number;
}

const offsetFormat = new Intl.DateTimeFormat("en-US", { timeZone: TIME_ZONE, timeZoneName: "longOffset" });

/** Morocco's UTC offset in hours on a date (noon), or its usual one (+1) for weekly hours. */
function offsetOn(date: string | undefined): number {
  if (date === undefined) return 1;
  const name = offsetFormat.formatToParts(new Date(`${date}T12:00:00Z`)).find((p) => p.type === "timeZoneName")?.value ?? "GMT+01:00";
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  return m ? (m[1] === "-" ? -1 : 1) * (Number(m[2]) + Number(m[3]) / 60) : 0;
}

const toHsdsTime = (hhmm: string) => (hhmm === "24:00" ? "23:59:59" : `${hhmm}:00`);

/**
 * Ranges grouped by (position in the day, range), positions first: each day's ranges come back in their order when the
 * schedules are read in sequence, even when two days list the same ranges in a different order.
 */
function weeklySchedules(hours: WeeklyHours, dated: { valid_from: string; valid_to: string; description?: string } | undefined): ScheduleDraft[] {
  const groups = new Map<string, { index: number; range: string; days: Weekday[] }>();
  for (const day of WEEKDAYS) {
    (hours[day] ?? []).forEach((range, index) => {
      const key = `${index}|${range}`;
      const group = groups.get(key) ?? { index, range, days: [] };
      group.days.push(day);
      groups.set(key, group);
    });
  }
  return [...groups.values()]
    .sort((a, b) => a.index - b.index)
    .map(({ range, days }) => {
      const [from, to] = range.split("-") as [string, string];
      return { ...dated, freq: "WEEKLY" as const, byday: days.map((d) => BYDAY[d]).join(","), opens_at: toHsdsTime(from), closes_at: toHsdsTime(to), timezone: offsetOn(dated?.valid_from) };
    });
}

/** The schedules of a site: its week, then its exceptions in order. */
export function hoursToSchedules(hours: WeeklyHours, exceptions: readonly HoursException[]): ScheduleDraft[] {
  const out = weeklySchedules(hours, undefined);
  for (const e of exceptions) {
    const dated = { valid_from: e.from, valid_to: e.to, ...(e.label !== undefined ? { description: e.label } : {}) };
    const week = e.closed === true || e.hours === undefined ? [] : weeklySchedules(e.hours, dated);
    // An exception whose hours open no day closes too: it is written as a closure, the only way HSDS can say it.
    out.push(...(week.length > 0 ? week : [{ ...dated, timezone: offsetOn(e.from) }]));
  }
  return out;
}

/** A problem with one field of one schedule; the caller knows where the schedule came from. */
export type ScheduleProblem = (schedule: Record<string, unknown>, field: string, message: string) => void;

const UNSUPPORTED = ["dtstart", "until", "count", "byweekno", "bymonthday", "byyearday"] as const;
/** HH:MM or HH:MM:SS, with an offset Morocco uses (Z, +00:00, +01:00) or none: all read as local time. */
const TIME = /^([01]\d|2[0-4]):([0-5]\d)(?::([0-5]\d))?(Z|\+0[01]:?00)?$/;

/** "10:00:00" → "10:00"; "23:59:59" closing → "24:00"; null when Dalil cannot read it. */
function fromHsdsTime(value: unknown, closing: boolean): string | null {
  const m = typeof value === "string" ? TIME.exec(value) : null;
  if (!m) return null;
  if (closing && m[1] === "23" && m[2] === "59" && m[3] === "59") return "24:00";
  return `${m[1]}:${m[2]}`;
}

/**
 * Reads schedules back into weekly hours and dated exceptions, reporting every schedule Dalil cannot represent
 * (monthly rules, week numbers, a count, a foreign time zone...). Schedules with the same dates and description make
 * one exception.
 */
export function schedulesToHours(schedules: readonly Record<string, unknown>[], problem: ScheduleProblem): { hours: WeeklyHours; exceptions: HoursException[] } {
  const hours: WeeklyHours = {};
  const exceptions: HoursException[] = [];
  const byKey = new Map<string, HoursException>();
  for (const s of schedules) {
    let problems = 0;
    const report = (field: string, message: string) => {
      problems++;
      problem(s, field, message);
    };
    for (const field of UNSUPPORTED) {
      if (s[field] !== undefined && s[field] !== "") report(field, `Dalil's hours repeat every week: a schedule with ${field} ${JSON.stringify(s[field])} cannot be represented`);
    }
    if (s.timezone !== undefined && s.timezone !== 0 && s.timezone !== 1 && s.timezone !== TIME_ZONE) {
      report("timezone", `Dalil's hours are Moroccan local time (${TIME_ZONE}, UTC+1, UTC+0 during Ramadan): expected 0, 1 or nothing, received ${JSON.stringify(s.timezone)}`);
    }
    if (s.freq !== undefined && s.freq !== "WEEKLY") report("freq", `Dalil's hours repeat every week: expected WEEKLY, received ${JSON.stringify(s.freq)}`);
    if (s.interval !== undefined && s.interval !== 1) report("interval", `Dalil's hours repeat every week: expected an interval of 1, received ${JSON.stringify(s.interval)}`);
    const from = typeof s.valid_from === "string" ? s.valid_from : undefined;
    const to = typeof s.valid_to === "string" ? s.valid_to : undefined;
    if ((from === undefined) !== (to === undefined)) report(from === undefined ? "valid_from" : "valid_to", "A dated schedule needs both valid_from and valid_to (Dalil's exceptions have both ends)");
    const hasTimes = s.opens_at !== undefined || s.closes_at !== undefined;
    const opens = hasTimes ? fromHsdsTime(s.opens_at, false) : null;
    const closes = hasTimes ? fromHsdsTime(s.closes_at, true) : null;
    if (hasTimes && opens === null) report("opens_at", `Expected a time such as "09:00:00" (local time), received ${JSON.stringify(s.opens_at ?? null)}`);
    if (hasTimes && closes === null) report("closes_at", `Expected a time such as "17:00:00" (local time), received ${JSON.stringify(s.closes_at ?? null)}`);
    const range = `${opens}-${closes}`;
    if (opens !== null && closes !== null && !weeklyHoursSchema.safeParse({ mon: [range] }).success) report("opens_at", `Dalil cannot read the range ${range}: a range starts between 00:00 and 23:59`);
    const days = typeof s.byday === "string" && s.byday !== "" ? s.byday.split(",").map((d) => d.trim().toUpperCase()) : [];
    if (days.some((d) => !(d in DAY_OF))) report("byday", `Expected days such as "MO,TU" (Dalil's hours repeat every week), received ${JSON.stringify(s.byday)}`);
    if (hasTimes && days.length === 0) report("byday", "A schedule with opening times needs the days it applies to (byday)");
    if (!hasTimes && days.length > 0) report("opens_at", "A schedule with days needs opens_at and closes_at");
    if (!hasTimes && from === undefined && problems === 0) report("opens_at", "A schedule needs opening times, or valid_from and valid_to to close on those dates");
    if (problems > 0) continue;

    if (from === undefined) {
      for (const code of days) (hours[DAY_OF[code]!] ??= []).push(range);
      continue;
    }
    const exception = exceptionFor(byKey, exceptions, from, to!, s.description);
    if (!hasTimes) exception.closed = true;
    else for (const code of days) ((exception.hours ??= {})[DAY_OF[code]!] ??= []).push(range);
  }
  for (const e of exceptions) if (e.closed) delete e.hours;
  return { hours, exceptions };
}

function exceptionFor(byKey: Map<string, HoursException>, list: HoursException[], from: string, to: string, description: unknown): HoursException {
  const label = typeof description === "string" && description !== "" ? description : undefined;
  const key = JSON.stringify([from, to, label ?? null]);
  let e = byKey.get(key);
  if (!e) {
    e = { from, to, ...(label !== undefined ? { label } : {}) };
    byKey.set(key, e);
    list.push(e);
  }
  return e;
}
