/**
 * Multiplicative day-of-cycle factors (mean 1) from the last `cycles` full cycles of `history`.
 * Factors are shrunk towards 1 by `shrink` pseudo-cycles because a few weeks of noisy counts
 * otherwise produce wild factors. Index i is the factor for position i of the cycle, where
 * position 0 is the day `history.length` (the first forecast day) modulo the cycle.
 */
export function cycleFactors(
  history: readonly number[],
  seasonLength: number,
  cycles: number,
  shrink = 1,
): number[] {
  const factors = new Array<number>(seasonLength).fill(1);
  const n = history.length;
  const full = Math.min(cycles, Math.floor(n / seasonLength));
  if (seasonLength <= 1 || full < 1) return factors;
  const sums = new Array<number>(seasonLength).fill(0);
  let total = 0;
  for (let t = n - full * seasonLength; t < n; t++) {
    // Position relative to the forecast origin, so factors[0] is the next day's factor.
    const position = (t - n) % seasonLength;
    const index = position < 0 ? position + seasonLength : position;
    sums[index] += history[t];
    total += history[t];
  }
  if (total <= 0) return factors;
  const perDay = total / (full * seasonLength);
  for (let i = 0; i < seasonLength; i++) {
    factors[i] = (sums[i] + shrink * perDay) / ((full + shrink) * perDay);
  }
  return factors;
}

/** Clamps every value at zero: demand is never negative. */
export function nonNegative(values: number[]): number[] {
  for (let i = 0; i < values.length; i++) if (!(values[i] > 0)) values[i] = 0;
  return values;
}

/** Mean of `values`, 0 when empty. */
export function mean(values: readonly number[], from = 0, to = values.length): number {
  if (to <= from) return 0;
  let sum = 0;
  for (let i = from; i < to; i++) sum += values[i];
  return sum / (to - from);
}
