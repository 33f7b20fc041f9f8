/** Percentiles of a list of durations (ms), for benchmarks that print them. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

/**
 * The largest of a list of durations. `Math.max(...values)` passes every value as an argument and overflows the
 * call stack past about 120,000 of them: the triage benchmark times every labelled message 25 times.
 */
export function largest(values: readonly number[]): number {
  let max = Number.NaN;
  for (const v of values) if (!(v <= max)) max = v;
  return max;
}

export const fmt = (n: number, digits = 2) => n.toFixed(digits);
