import { TIME_ZONE } from "../codes.js";
import { WEEKDAYS, type HoursException, type Weekday, type WeeklyHours } from "./schema.js";

/** A local date and time in Africa/Casablanca. */
export interface LocalTime {
  date: string; // YYYY-MM-DD
  weekday: Weekday;
  minutes: number; // since local midnight
}

const partsFormat = new Intl.DateTimeFormat("en-GB", {
  timeZone: TIME_ZONE,
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

/** The local date and time in Africa/Casablanca at an instant (the zone's offset changes around Ramadan). */
export function localTime(instant: Date, timeZoneFormat: Intl.DateTimeFormat = partsFormat): LocalTime {
  const parts = Object.fromEntries(timeZoneFormat.formatToParts(instant).map((p) => [p.type, p.value]));
  const date = `${parts.year}-${parts.month}-${parts.day}`;
  return { date, weekday: weekdayOf(date), minutes: Number(parts.hour) * 60 + Number(parts.minute) };
}

/** The local calendar date (YYYY-MM-DD) in Africa/Casablanca. */
export function localDate(instant: Date): string {
  return localTime(instant).date;
}

export function weekdayOf(date: string): Weekday {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay(); // 0 = Sunday
  return WEEKDAYS[(day + 6) % 7]!;
}

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

interface Range {
  start: number;
  end: number; // may exceed 1440 for a range past midnight
}

function parseRange(text: string): Range {
  const [from, to] = text.split("-") as [string, string];
  const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
  const start = toMinutes(from);
  let end = toMinutes(to);
  if (end <= start) end += 24 * 60;
  return { start, end };
}

/** The ranges that start on a local date: the week's, unless a dated exception replaces them or closes the day. */
export function rangesOn(date: string, hours: WeeklyHours, exceptions: readonly HoursException[]): Range[] {
  const weekday = weekdayOf(date);
  const exception = exceptions.find((e) => e.from <= date && date <= e.to);
  if (exception?.closed) return [];
  const week = exception?.hours ?? hours;
  return (week[weekday] ?? []).map(parseRange);
}

export interface OpeningStatus {
  open: boolean;
  /** When open: local closing time "HH:MM". */
  closesAt?: string;
  /** When closed: the next opening within two weeks, local date and time. */
  next?: { date: string; weekday: Weekday; time: string };
  /** Whether any opening hours are known at all. */
  known: boolean;
}

const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60) % 24).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;

/**
 * Open now, and until when; or when it next opens. A range past midnight ("18:00-02:00" on Monday) keeps the
 * place open early on Tuesday, so the previous day's ranges are checked too.
 */
export function openingStatus(hours: WeeklyHours, exceptions: readonly HoursException[], instant: Date): OpeningStatus {
  const known = Object.values(hours).some((r) => r && r.length > 0) || exceptions.some((e) => e.hours !== undefined);
  if (!known) return { open: false, known: false };
  const now = localTime(instant);
  for (const r of rangesOn(now.date, hours, exceptions)) {
    if (r.start <= now.minutes && now.minutes < r.end) return { open: true, closesAt: hhmm(r.end), known };
  }
  const yesterday = addDays(now.date, -1);
  for (const r of rangesOn(yesterday, hours, exceptions)) {
    if (r.end > 1440 && now.minutes < r.end - 1440) return { open: true, closesAt: hhmm(r.end), known };
  }
  for (let d = 0; d <= 14; d++) {
    const date = addDays(now.date, d);
    const starts = rangesOn(date, hours, exceptions)
      .map((r) => r.start)
      .filter((start) => d > 0 || start > now.minutes)
      .sort((a, b) => a - b);
    if (starts.length > 0) return { open: false, next: { date, weekday: weekdayOf(date), time: hhmm(starts[0]!) }, known };
  }
  return { open: false, known };
}

/**
 * The week in a compact form: consecutive days with the same hours grouped,
 * e.g. [{ from: "mon", to: "fri", ranges: ["08:30-16:30"] }, { from: "sat", to: "sat", ranges: ["09:00-12:00"] }].
 */
export function weekSummary(hours: WeeklyHours): { from: Weekday; to: Weekday; ranges: string[] }[] {
  const groups: { from: Weekday; to: Weekday; ranges: string[] }[] = [];
  for (const day of WEEKDAYS) {
    const ranges = hours[day] ?? [];
    if (ranges.length === 0) continue;
    const last = groups[groups.length - 1];
    const previousDay = WEEKDAYS[WEEKDAYS.indexOf(day) - 1];
    if (last && last.to === previousDay && last.ranges.join() === ranges.join()) last.to = day;
    else groups.push({ from: day, to: day, ranges: [...ranges] });
  }
  return groups;
}
