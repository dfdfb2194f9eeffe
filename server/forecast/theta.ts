import { nonNegative, preparedOf } from "./_seasonal.ts";
import type { ModelFit, ModelOptions } from "./types.ts";

/** Smoothing constants tried for the level (chosen by in-sample one-step SSE). */
const ALPHAS = [0.05, 0.1, 0.2, 0.3, 0.5];

/**
 * The Theta method (Assimakopoulos & Nikolopoulos 2000, in Hyndman & Billah's form: simple
 * exponential smoothing with drift equal to half the least-squares slope), on the series divided by
 * shrunk day-of-week factors and multiplied back. It won the M3 competition on its robustness.
 * @example theta(lastYear, { horizon: 14, seasonLength: 7 }).point
 */
export function theta(
  history: readonly number[],
  options: ModelOptions & { params?: Record<string, number> },
): ModelFit {
  const { horizon, seasonLength } = options;
  const { adjusted: y, factors } = preparedOf(history, options);
  const n = y.length;
  const point = new Array<number>(horizon).fill(0);
  if (n === 0) return { point, params: { alpha: 0, drift: 0 } };

  // Least-squares slope of the adjusted series against time.
  const xMean = (n - 1) / 2;
  let yMean = 0;
  for (const value of y) yMean += value;
  yMean /= n;
  let sxy = 0;
  let sxx = 0;
  for (let t = 0; t < n; t++) {
    sxy += (t - xMean) * (y[t] - yMean);
    sxx += (t - xMean) ** 2;
  }
  const slope = sxx > 0 ? sxy / sxx : 0;

  let best = { alpha: ALPHAS[0], level: y[0], sse: Infinity };
  // A given alpha (fitted once on the whole history for a backtest) skips the grid.
  for (const alpha of options.params ? [options.params.alpha] : ALPHAS) {
    let level = y[0];
    let sse = 0;
    for (let t = 1; t < n; t++) {
      const error = y[t] - level;
      sse += error * error;
      // It cannot beat the best so far, and the SSE only grows.
      if (sse >= best.sse) break;
      level += alpha * error;
    }
    if (sse < best.sse) best = { alpha, level, sse };
  }
  const { alpha, level } = best;
  const drift = slope / 2;
  // Hyndman & Billah: the drift term grows from (1/alpha - (1-alpha)^n/alpha) at step 1.
  const offset = 1 / alpha - Math.pow(1 - alpha, n) / alpha;
  for (let h = 0; h < horizon; h++) {
    point[h] = (level + drift * (h + offset)) * factors[h % seasonLength];
  }
  return { point: nonNegative(point), params: { alpha, drift } };
}
