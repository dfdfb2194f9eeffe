/** Prediction interval bounds, one value per day ahead. */
export interface Intervals {
  lower80: number[];
  upper80: number[];
  lower95: number[];
  upper95: number[];
}

/**
 * The `p`-quantile of ascending-sorted `sorted` with linear interpolation between order statistics
 * (the "type 7" definition of R and NumPy). Returns 0 for an empty array.
 */
export function quantile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return 0;
  const position = Math.min(Math.max(p, 0), 1) * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
}

/**
 * Split-conformal quantile level: with n calibration errors, the level ((n + 1) * p) / n (capped at 1)
 * makes the interval cover at least p of new errors when errors are exchangeable, so intervals built
 * from few backtest errors are not too narrow.
 */
export function conformalLevel(p: number, n: number): number {
  if (n <= 0) return p;
  return p >= 0.5 ? Math.min(1, ((n + 1) * p) / n) : Math.max(0, 1 - ((n + 1) * (1 - p)) / n);
}

/**
 * Empirical prediction intervals: point plus the conformal quantiles of past forecast errors
 * (actual - point, pooled over origins and steps), clamped at zero because demand is never negative.
 * Needs no distributional assumption, so it stays valid for intermittent, skewed demand.
 * @param point point forecasts
 * @param errors past errors of the same model (actual - point)
 */
export function empiricalIntervals(point: readonly number[], errors: readonly number[]): Intervals {
  const sorted = [...errors].sort((a, b) => a - b);
  const n = sorted.length;
  const offsets = [0.1, 0.9, 0.025, 0.975].map((p) => quantile(sorted, conformalLevel(p, n)));
  function band(offset: number): number[] {
    return point.map((value) => Math.max(0, value + offset));
  }
  const lower80 = band(offsets[0]);
  const upper80 = band(offsets[1]);
  const lower95 = band(offsets[2]);
  const upper95 = band(offsets[3]);
  // Clamping can push a lower bound above the point only when the point is 0; keep bounds ordered.
  for (let h = 0; h < point.length; h++) {
    upper80[h] = Math.max(upper80[h], point[h]);
    upper95[h] = Math.max(upper95[h], upper80[h]);
    lower80[h] = Math.min(lower80[h], point[h]);
    lower95[h] = Math.min(lower95[h], lower80[h]);
  }
  return { lower80, upper80, lower95, upper95 };
}
