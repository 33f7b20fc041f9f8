import { describe, expect, it } from "vitest";
import { suppressTable } from "../../src/monitoring/suppress.js";

describe("small-cell suppression", () => {
  it("shows counts below k as <k and leaves zeros and larger counts", () => {
    const t = suppressTable(["a", "b"], ["f", "m"], [[0, 12], [7, 9]], 5);
    expect(t.cells).toEqual([[0, 12], [7, 9]]);
    expect(t.hidden).toEqual({ primary: 0, complementary: 0 });
  });

  it("a single small cell: hides it, and a second cell in its row and in its column so totals cannot give it away", () => {
    // 3 is small. Row a total (3 + 10 = 13) would reveal it: hide 10 too. Column f total (3 + 20 = 23) would reveal
    // it: hide 20 too. Then row b has one hidden cell (20): hide its other cell, 30; column m now has 10 and 30 hidden.
    const t = suppressTable(["a", "b"], ["f", "m"], [[3, 10], [20, 30]], 5);
    expect(t.cells).toEqual([["<5", "x"], ["x", "x"]]);
    expect(t.hidden).toEqual({ primary: 1, complementary: 3 });
    expect(t.rowTotals).toEqual([13, 50]);
    expect(t.total).toBe(63);
  });

  it("complementary suppression picks the smallest other cell of the row and column", () => {
    const t = suppressTable(["a", "b", "c"], ["f", "m", "u"], [[2, 50, 8], [40, 60, 30], [9, 70, 11]], 5);
    // Row a: 2 hidden → hide 8 (smallest other). Column f: 2 hidden → hide 9. Column u: 8 hidden → hide 11.
    // Row c: 9 and 11 hidden → two hidden, fine.
    expect(t.cells).toEqual([["<5", 50, "x"], [40, 60, 30], ["x", 70, "x"]]);
    expect(t.hidden).toEqual({ primary: 1, complementary: 3 });
  });

  it("two small cells in a line protect each other", () => {
    const t = suppressTable(["a", "b"], ["f", "m", "u"], [[1, 2, 40], [25, 25, 25]], 5);
    // Row a: 1 and 2 hidden (two cells) → no complement needed. Column f: 1 hidden alone → hide 25 (row b, col f);
    // column m: 2 hidden alone → hide 25 (row b, col m). Row b then has two hidden cells.
    expect(t.cells).toEqual([["<5", "<5", 40], ["x", "x", 25]]);
  });

  it("a small total is hidden too", () => {
    const t = suppressTable(["a"], ["f", "m"], [[1, 2]], 5);
    expect(t.rowTotals).toEqual(["<5"]);
    expect(t.total).toBe("<5");
    expect(t.columnTotals).toEqual(["<5", "<5"]);
  });

  it("when no other cell can be hidden, the total is", () => {
    const t = suppressTable(["a"], ["f", "m"], [[3, 0]], 5);
    expect(t.cells).toEqual([["<5", 0]]);
    expect(t.rowTotals).toEqual(["<5"]);
  });

  it("the totals row is a line too: the grand total does not give away a lone small column total", () => {
    // Column u's total (1) is small; without protection 37 − 23 − 13 − 0 would reveal it. The smallest other column
    // total (13) is hidden as well.
    const t = suppressTable(["a", "b"], ["f", "m", "u", "n"], [[10, 6, 1, 0], [13, 7, 0, 0]], 5);
    expect(t.columnTotals).toEqual([23, "x", "<5", 0]);
    expect(t.total).toBe(37);
    const shownTotals = t.columnTotals.filter((c): c is number => typeof c === "number");
    expect(t.columnTotals.filter((c) => typeof c !== "number")).toHaveLength(2);
    expect(37 - shownTotals.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(5);
  });
});
