import type { QuantityStats } from "./types.ts";

/** Scale factor that makes the MAD estimate the standard deviation of normally distributed values. */
export const MAD_TO_SIGMA = 1.4826;

/** Median of a list of numbers (NaN when empty); does not modify the list. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Median and median absolute deviation of a list of numbers. */
export function medianAndMad(values: readonly number[]): { median: number; mad: number } {
  const center = median(values);
  return { median: center, mad: median(values.map((value) => Math.abs(value - center))) };
}

/**
 * Robust z-score: how many (MAD-based) standard deviations `value` lies above `center`.
 * `minScale` keeps a near-constant history from turning tiny differences into huge scores.
 */
export function robustZ(value: number, center: number, mad: number, minScale: number): number {
  const scale = Math.max(MAD_TO_SIGMA * mad, minScale);
  return scale > 0 ? (value - center) / scale : (value > center ? Infinity : 0);
}

/** Weighted median of a histogram `value -> count` (values need not be sorted). */
function histogramMedian(entries: readonly (readonly [number, number])[], total: number): number {
  const sorted = [...entries].sort((a, b) => a[0] - b[0]);
  // The median of n values is the mean of the values at ranks floor((n-1)/2) and floor(n/2).
  const lowRank = (total - 1) >> 1;
  const highRank = total >> 1;
  let seen = 0;
  let low = NaN;
  for (const [value, count] of sorted) {
    if (Number.isNaN(low) && seen + count > lowRank) low = value;
    if (seen + count > highRank) return (low + value) / 2;
    seen += count;
  }
  return NaN;
}

/**
 * Quantity statistics from a histogram of quantities per order line, which is how a replay keeps
 * them cheaply in memory (quantities are small integers with few distinct values).
 */
export function quantityStatsFromHistogram(histogram: ReadonlyMap<number, number>): QuantityStats {
  let count = 0;
  for (const n of histogram.values()) count += n;
  if (count === 0) return { median: NaN, mad: NaN, count: 0 };
  const entries = [...histogram.entries()];
  const center = histogramMedian(entries, count);
  const deviations = new Map<number, number>();
  for (const [value, n] of entries) {
    const deviation = Math.abs(value - center);
    deviations.set(deviation, (deviations.get(deviation) ?? 0) + n);
  }
  return { median: center, mad: histogramMedian([...deviations.entries()], count), count };
}
