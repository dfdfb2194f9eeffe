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
  // Position relative to the forecast origin, so factors[0] is the next day's factor; the window
  // starts a whole number of cycles before the origin, so its first day is position 0.
  let index = 0;
  for (let t = n - full * seasonLength; t < n; t++) {
    sums[index] += history[t];
    total += history[t];
    if (++index === seasonLength) index = 0;
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

/**
 * Divides each day of `history` by its day-of-cycle factor (from `cycleFactors`, so positions are
 * counted from the first forecast day) and returns the adjusted copy with the factors, so a
 * non-seasonal model can fit the adjusted series and the forecast be multiplied back.
 */
export function deseasonalize(
  history: readonly number[],
  seasonLength: number,
  cycles: number,
  shrink: number,
): { adjusted: number[]; factors: number[] } {
  const factors = cycleFactors(history, seasonLength, cycles, shrink);
  const n = history.length;
  const adjusted = new Array<number>(n);
  // Day t sits at position (t - n) mod seasonLength, counted from the first forecast day.
  let index = (seasonLength - (n % seasonLength)) % seasonLength;
  for (let t = 0; t < n; t++) {
    const factor = factors[index];
    adjusted[t] = factor > 0 ? history[t] / factor : history[t];
    if (++index === seasonLength) index = 0;
  }
  return { adjusted, factors };
}

/** Days of history the deseasonalised models fit: older demand says little about next month's. */
const RECENT_DAYS = 364;
/** Their weekday factors: cycles looked back, and pseudo-cycles of shrinkage towards 1 (noisy counts). */
const RECENT_FACTOR_CYCLES = 52;
const RECENT_FACTOR_SHRINK = 2;

/** A history's last year divided by its shrunk weekday factors, with the factors (see `recentAdjusted`). */
export interface RecentAdjusted {
  adjusted: number[];
  factors: number[];
}

/**
 * The last year of `history` divided by shrunk day-of-cycle factors, with the factors: the common
 * start of the models that fit a non-seasonal method and multiply the season back (Theta, damped ETS).
 * The factors are also the ones Croston and TSB spread their rate with (same cycles, same shrinkage),
 * so a caller running several models on one history computes this once and passes it as
 * `ModelOptions.prepared`.
 */
export function recentAdjusted(history: readonly number[], seasonLength: number): RecentAdjusted {
  const recent = history.length > RECENT_DAYS ? history.slice(history.length - RECENT_DAYS) : history;
  return deseasonalize(recent, seasonLength, RECENT_FACTOR_CYCLES, RECENT_FACTOR_SHRINK);
}

/**
 * The weekday factors Croston and TSB spread their rate with: `cycleFactors` over the last 52
 * cycles shrunk by 2, which are `prepared.factors` whenever those cycles fit in the recent year.
 */
export function spreadFactors(
  history: readonly number[],
  options: { seasonLength: number; prepared?: RecentAdjusted },
): number[] {
  const { seasonLength, prepared } = options;
  const sameWindow = history.length <= RECENT_DAYS || RECENT_FACTOR_CYCLES * seasonLength <= RECENT_DAYS;
  return prepared && sameWindow
    ? prepared.factors
    : cycleFactors(history, seasonLength, RECENT_FACTOR_CYCLES, RECENT_FACTOR_SHRINK);
}

/** `options.prepared` when given (computed by the caller for this very history), else computed here. */
export function preparedOf(
  history: readonly number[],
  options: { seasonLength: number; prepared?: RecentAdjusted },
): RecentAdjusted {
  return options.prepared ?? recentAdjusted(history, options.seasonLength);
}
