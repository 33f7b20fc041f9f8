import { describe, expect, it } from "vitest";
import { formatExceptionsText, formatHoursText, parseExceptionsText, parseHoursText } from "../../src/directory/hours-text.js";

describe("hours typed in a form", () => {
  it("reads and writes weekly hours", () => {
    const hours = parseHoursText("mon-thu 08:30-16:30\nfri 08:30-12:00 14:30-16:30\n");
    expect(hours).toEqual({ mon: ["08:30-16:30"], tue: ["08:30-16:30"], wed: ["08:30-16:30"], thu: ["08:30-16:30"], fri: ["08:30-12:00", "14:30-16:30"] });
    expect(formatHoursText(hours)).toBe("mon-thu 08:30-16:30\nfri 08:30-12:00 14:30-16:30");
    expect(parseHoursText(formatHoursText(hours))).toEqual(hours);
  });

  it("reads and writes dated exceptions: closures and Ramadan hours", () => {
    const text = "2026-11-18 closed # Independence Day\n2027-02-08..2027-03-09 mon-fri 09:00-15:00 # Ramadan";
    const exceptions = parseExceptionsText(text);
    expect(exceptions).toEqual([
      { from: "2026-11-18", to: "2026-11-18", label: "Independence Day", closed: true },
      { from: "2027-02-08", to: "2027-03-09", label: "Ramadan", hours: { mon: ["09:00-15:00"], tue: ["09:00-15:00"], wed: ["09:00-15:00"], thu: ["09:00-15:00"], fri: ["09:00-15:00"] } },
    ]);
    expect(formatExceptionsText(exceptions)).toBe(text);
  });

  it("says which line it could not read", () => {
    expect(() => parseHoursText("mon-fri 8h-16h")).toThrow(/mon-fri 8h-16h/);
    expect(() => parseExceptionsText("tomorrow closed")).toThrow(/"tomorrow closed"/);
  });
});
