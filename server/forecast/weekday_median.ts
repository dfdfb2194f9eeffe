import type { ModelFit, ModelOptions } from "./types.ts";

/** Cycles looked back: eight weeks give eight values per weekday. */
const CYCLES = 8;

/**
 * Each day forecast as the median of the same day of the cycle over the last eight cycles. The
 * median is the forecast that minimises absolute error, and it ignores the one-off bulk orders that
 * pull every mean-based model up; for a mostly-zero weekday it forecasts 0.
 */
export function weekdayMedian(history: readonly number[], options: ModelOptions): ModelFit {
  const { horizon, seasonLength } = options;
  const n = history.length;
  const medians = new Array<number>(seasonLength).fill(0);
  for (let i = 0; i < seasonLength; i++) {
    const values: number[] = [];
    for (let k = 1; k <= CYCLES; k++) {
      const t = n - k * seasonLength + i;
      if (t >= 0 && t < n) values.push(history[t]);
    }
    if (values.length === 0) continue;
    values.sort((a, b) => a - b);
    const middle = values.length >> 1;
    medians[i] = Math.max(0, values.length % 2 ? values[middle] : (values[middle - 1] + values[middle]) / 2);
  }
  return {
    point: Array.from({ length: horizon }, (_, h) => medians[h % seasonLength]),
    params: { cycles: CYCLES },
  };
}
