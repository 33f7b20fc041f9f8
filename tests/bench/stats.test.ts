import { describe, expect, it } from "vitest";
import { largest, percentile } from "./stats.js";

describe("benchmark statistics", () => {
  it("finds the largest of more durations than a call can take as arguments", () => {
    const values = Array.from({ length: 300_000 }, (_, i) => (i * 7919) % 300_000);
    values[123_456] = 1e9;
    expect(() => Math.max(...values)).toThrow(RangeError);
    expect(largest(values)).toBe(1e9);
  });

  it("gives NaN for no durations, as percentile does", () => {
    expect(largest([])).toBeNaN();
    expect(percentile([], 50)).toBeNaN();
  });

  it("reads percentiles by rank", () => {
    expect(percentile([5, 1, 4, 2, 3], 50)).toBe(3);
    expect(percentile([5, 1, 4, 2, 3], 100)).toBe(5);
  });
});
