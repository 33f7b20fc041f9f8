import { describe, expect, it } from "vitest";
import { localTime, openingStatus, rangesOn } from "../../src/directory/hours.js";
import type { HoursException, WeeklyHours } from "../../src/directory/schema.js";

const WEEKDAYS: WeeklyHours = { mon: ["08:30-16:30"], tue: ["08:30-16:30"], wed: ["08:30-16:30"], thu: ["08:30-16:30"], fri: ["08:30-12:00", "14:30-16:30"] };
const RAMADAN_2027: HoursException = { from: "2027-02-08", to: "2027-03-09", label: "Ramadan", hours: { mon: ["09:00-15:00"], tue: ["09:00-15:00"], wed: ["09:00-15:00"], thu: ["09:00-15:00"], fri: ["09:00-15:00"] } };
const HOLIDAY: HoursException = { from: "2026-11-18", to: "2026-11-18", label: "Independence Day", closed: true };

describe("the time zone Africa/Casablanca", () => {
  it("is UTC+1 most of the year and UTC+0 during Ramadan", () => {
    // 12:00 UTC on a Wednesday in November: 13:00 in Casablanca.
    expect(localTime(new Date("2026-11-25T12:00:00Z"))).toEqual({ date: "2026-11-25", weekday: "wed", minutes: 13 * 60 });
    // Ramadan 2026 (about 18 February – 19 March): Morocco goes back to UTC+0.
    expect(localTime(new Date("2026-03-04T12:00:00Z"))).toEqual({ date: "2026-03-04", weekday: "wed", minutes: 12 * 60 });
  });

  it("answers open or closed by local time across the offset change", () => {
    // 15:45 UTC: 16:45 local in November (closed since 16:30); 15:45 local in Ramadan 2026 (open until 16:30).
    expect(openingStatus(WEEKDAYS, [], new Date("2026-11-25T15:45:00Z")).open).toBe(false);
    expect(openingStatus(WEEKDAYS, [], new Date("2026-03-04T15:45:00Z"))).toEqual({ open: true, closesAt: "16:30", known: true });
  });
});

describe("opening hours", () => {
  it("a Friday with a lunch break", () => {
    expect(openingStatus(WEEKDAYS, [], new Date("2026-11-27T12:30:00Z"))).toMatchObject({ open: false, next: { date: "2026-11-27", time: "14:30" } });
    expect(openingStatus(WEEKDAYS, [], new Date("2026-11-27T13:45:00Z"))).toEqual({ open: true, closesAt: "16:30", known: true });
  });

  it("hours across midnight: Monday 18:00-02:00 is open early on Tuesday, closed later", () => {
    const night: WeeklyHours = { mon: ["18:00-02:00"] };
    expect(openingStatus(night, [], new Date("2026-11-23T19:00:00Z"))).toEqual({ open: true, closesAt: "02:00", known: true }); // Mon 20:00
    expect(openingStatus(night, [], new Date("2026-11-24T00:30:00Z"))).toEqual({ open: true, closesAt: "02:00", known: true }); // Tue 01:30
    expect(openingStatus(night, [], new Date("2026-11-24T01:30:00Z"))).toMatchObject({ open: false, next: { date: "2026-11-30", weekday: "mon", time: "18:00" } }); // Tue 02:30
  });

  it("Ramadan hours replace the week between their dates, then the week comes back", () => {
    expect(rangesOn("2027-02-10", WEEKDAYS, [RAMADAN_2027]).map((r) => [r.start, r.end])).toEqual([[9 * 60, 15 * 60]]);
    expect(rangesOn("2027-03-10", WEEKDAYS, [RAMADAN_2027]).map((r) => [r.start, r.end])).toEqual([[8 * 60 + 30, 16 * 60 + 30]]);
    // Wednesday 10 February 2027, 15:30 local (UTC+0 in Ramadan): closed under Ramadan hours, open next day at 09:00.
    expect(openingStatus(WEEKDAYS, [RAMADAN_2027], new Date("2027-02-10T15:30:00Z"))).toMatchObject({ open: false, next: { date: "2027-02-11", time: "09:00" } });
  });

  it("a closed holiday is skipped when looking for the next opening", () => {
    // Tuesday 17 November 2026 at 17:00: closed; the 18th is a holiday; opens Thursday the 19th.
    expect(openingStatus(WEEKDAYS, [HOLIDAY], new Date("2026-11-17T16:00:00Z"))).toMatchObject({ open: false, next: { date: "2026-11-19", weekday: "thu", time: "08:30" } });
  });

  it("unknown hours are unknown, not closed", () => {
    expect(openingStatus({}, [], new Date("2026-11-25T12:00:00Z"))).toEqual({ open: false, known: false });
  });
});
