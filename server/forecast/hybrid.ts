import { cycleFactors, mean, nonNegative } from "./_seasonal.ts";
import type { ModelFit, ModelOptions } from "./types.ts";

/** Window of the reference hybrid: four weeks for the moving average and the trend line. */
const WINDOW = 28;
/** Cycles the day-of-week factors are averaged over (eight weeks). */
const FACTOR_CYCLES = 8;

/**
 * The reference "hybrid" forecast: moving average of the last four weeks, plus the least-squares
 * trend of those weeks extrapolated, times day-of-week factors from the last eight weeks.
 * Kept as the reference implements it (no damping, no shrinkage) so the benchmark compares against it.
 */
export function hybrid(history: readonly number[], options: ModelOptions): ModelFit {
  const { horizon, seasonLength } = options;
  const n = history.length;
  const window = Math.min(WINDOW, n);
  const level = mean(history, n - window, n);
  // Least-squares slope over the window; x is centred so the level sits at the window's middle.
  let slope = 0;
  if (window >= 2 * Math.max(2, seasonLength)) {
    const xMean = (window - 1) / 2;
    let sxy = 0;
    let sxx = 0;
    for (let i = 0; i < window; i++) {
      sxy += (i - xMean) * (history[n - window + i] - level);
      sxx += (i - xMean) ** 2;
    }
    slope = sxy / sxx;
  }
  const factors = cycleFactors(history, seasonLength, FACTOR_CYCLES, 0);
  const point = new Array<number>(horizon);
  for (let h = 0; h < horizon; h++) {
    const trendLevel = level + slope * ((window - 1) / 2 + h + 1);
    point[h] = trendLevel * factors[h % seasonLength];
  }
  return { point: nonNegative(point), params: { window, level, slope } };
}
