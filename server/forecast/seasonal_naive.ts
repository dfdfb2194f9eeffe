import { mean } from "./_seasonal.ts";
import type { ModelFit, ModelOptions } from "./types.ts";

/**
 * Seasonal naive baseline: each day repeats the same day of the last full cycle (last week's Monday
 * for next Monday). With less than one cycle of history it forecasts the history's mean.
 * @example seasonalNaive([1, 2, 3], { horizon: 4, seasonLength: 3 }).point // [1, 2, 3, 1]
 */
export function seasonalNaive(history: readonly number[], options: ModelOptions): ModelFit {
  const { horizon, seasonLength } = options;
  const n = history.length;
  const point = new Array<number>(horizon);
  if (n >= seasonLength && seasonLength >= 1) {
    for (let h = 0; h < horizon; h++) point[h] = Math.max(0, history[n - seasonLength + (h % seasonLength)]);
    return { point, params: { seasonLength } };
  }
  // Too short for a full cycle: the mean is the least surprising guess.
  point.fill(Math.max(0, mean(history)));
  return { point, params: { seasonLength, fallbackMean: 1 } };
}
