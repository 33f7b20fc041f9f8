import { parseWeeklyHours } from "../handoff/hours-setting.js";
import { weekSummary } from "./hours.js";
import type { HoursException, WeeklyHours } from "./schema.js";

/**
 * Opening hours as people type them in a form, one group per line: "mon-fri 08:30-16:30", "fri 08:30-12:00 14:30-16:30".
 * Throws with the line it could not read.
 */
export function parseHoursText(text: string): WeeklyHours {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  return lines.length === 0 ? {} : parseWeeklyHours(lines.join(";"));
}

export function formatHoursText(hours: WeeklyHours): string {
  return weekSummary(hours)
    .map((g) => `${g.from === g.to ? g.from : `${g.from}-${g.to}`} ${g.ranges.join(" ")}`)
    .join("\n");
}

const DATE = "\\d{4}-\\d{2}-\\d{2}";
const LINE = new RegExp(`^(${DATE})(?:\\.\\.(${DATE}))?\\s+(closed|.+?)(?:\\s+#\\s*(.*))?$`);

/**
 * Dated exceptions, one per line: "2026-11-18 closed # Independence Day", or
 * "2027-02-08..2027-03-09 mon-fri 09:00-15:00 # Ramadan". Throws with the line it could not read.
 */
export function parseExceptionsText(text: string): HoursException[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .map((line) => {
      const m = LINE.exec(line);
      if (!m) throw new Error(`cannot read "${line}": expected "2026-11-18 closed # label" or "2027-02-08..2027-03-09 mon-fri 09:00-15:00 # label"`);
      const [, from, to, rest, label] = m as unknown as [string, string, string | undefined, string, string | undefined];
      const base = { from, to: to ?? from, ...(label ? { label: label.trim() } : {}) };
      return rest === "closed" ? { ...base, closed: true } : { ...base, hours: parseWeeklyHours(rest.replace(/\s+(?=(mon|tue|wed|thu|fri|sat|sun)\b)/g, "; ")) };
    });
}

export function formatExceptionsText(exceptions: readonly HoursException[]): string {
  return exceptions
    .map((e) => {
      const dates = e.from === e.to ? e.from : `${e.from}..${e.to}`;
      const what = e.closed ? "closed" : formatHoursText(e.hours ?? {}).split("\n").join(" ");
      return `${dates} ${what}${e.label ? ` # ${e.label}` : ""}`;
    })
    .join("\n");
}
