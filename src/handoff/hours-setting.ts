import { WEEKDAYS, type Weekday, type WeeklyHours } from "../directory/schema.js";

const RANGE = /^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-4]):[0-5]\d$/;

/**
 * Reads FACILITATOR_HOURS: groups of days and ranges separated by ";", e.g.
 * "mon-fri 09:00-17:00; sat 09:00-12:00" or "mon,wed 09:00-12:00 14:00-17:00". Throws with the part it could not read.
 */
export function parseWeeklyHours(text: string): WeeklyHours {
  const hours: WeeklyHours = {};
  for (const part of text.split(";").map((p) => p.trim()).filter(Boolean)) {
    const [days, ...ranges] = part.split(/\s+/);
    if (!days || ranges.length === 0 || !ranges.every((r) => RANGE.test(r))) throw new Error(`cannot read "${part}": expected days then ranges, e.g. "mon-fri 09:00-17:00"`);
    for (const day of expandDays(days, part)) hours[day] = [...(hours[day] ?? []), ...ranges];
  }
  return hours;
}

function expandDays(spec: string, part: string): Weekday[] {
  const days: Weekday[] = [];
  for (const piece of spec.toLowerCase().split(",")) {
    const [from, to] = piece.split("-") as [string, string | undefined];
    const a = WEEKDAYS.indexOf(from as Weekday);
    const b = to === undefined ? a : WEEKDAYS.indexOf(to as Weekday);
    if (a < 0 || b < 0 || b < a) throw new Error(`cannot read the days "${piece}" in "${part}": expected mon tue wed thu fri sat sun, or a range such as mon-fri`);
    days.push(...WEEKDAYS.slice(a, b + 1));
  }
  return days;
}
