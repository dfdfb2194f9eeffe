/**
 * Yearly seasonality for series with at least two years of history. Pure.
 * @module
 */

/** Days in a seasonal year (leap days shift the alignment by one day, which the smoothing absorbs). */
export const YEAR = 365;
/** Half-width of the window each day's level is averaged over: a month smooths weekly noise. */
const HALF_WINDOW = 14;
/** Share of the past years' swing applied: the next year repeats the last ones only in part. */
const WEIGHT = 0.5;

function windowMean(y: readonly number[], centre: number): number | null {
  const from = Math.max(0, centre - HALF_WINDOW);
  const to = Math.min(y.length, centre + HALF_WINDOW + 1);
  if (to - from < HALF_WINDOW) return null;
  let sum = 0;
  for (let t = from; t < to; t++) sum += y[t];
  return sum / (to - from);
}

/**
 * Multipliers for the next `horizon` days from how demand moved in past years between the days just
 * before the origin and each forecast day: the models fit the recent level, this carries it to the
 * season ahead (the Christmas ramp, the summer lull). All ones with less than two years of history.
 */
export function yearlyMultipliers(y: readonly number[], horizon: number): number[] {
  const multipliers = new Array<number>(horizon).fill(1);
  const n = y.length;
  if (n < 2 * YEAR) return multipliers;
  for (let h = 0; h < horizon; h++) {
    let ahead = 0;
    let past = 0;
    for (let k = 1; n - HALF_WINDOW - k * YEAR >= 0; k++) {
      const value = windowMean(y, n + h - k * YEAR);
      if (value === null) continue;
      ahead += value;
      past += windowMean(y, n - HALF_WINDOW - 1 - k * YEAR) ?? 0;
    }
    if (past > 0) {
      const ratio = Math.min(4, Math.max(0.25, ahead / past));
      multipliers[h] = 1 + WEIGHT * (ratio - 1);
    }
  }
  return multipliers;
}
