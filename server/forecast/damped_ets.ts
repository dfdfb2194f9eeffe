import { nonNegative, preparedOf } from "./_seasonal.ts";
import type { ModelFit, ModelOptions } from "./types.ts";

/** Grid of smoothing constants; small so fitting stays far below a millisecond per series. */
const ALPHAS = [0.05, 0.1, 0.2, 0.4];
/** Trend options as [beta, phi]. */
const TRENDS: ReadonlyArray<readonly [number, number]> = [[0.01, 0.9], [0.05, 0.9], [0.02, 0.8], [
  0.01,
  0.98,
]];

/**
 * Damped-trend exponential smoothing (ETS A,Ad,N; Gardner & McKenzie) on the series divided by
 * shrunk day-of-week factors, multiplied back. Unlike Holt-Winters' additive seasonal states the
 * multiplicative factors scale down with the level, which suits slow sellers. The damped trend is
 * the single most robust method in the M-competitions' reviews.
 */
export function dampedEts(
  history: readonly number[],
  options: ModelOptions & { params?: Record<string, number> },
): ModelFit {
  const { horizon, seasonLength } = options;
  const { adjusted: y, factors } = preparedOf(history, options);
  const n = y.length;
  const point = new Array<number>(horizon).fill(0);
  if (n === 0) return { point, params: { alpha: 0, beta: 0, phi: 0 } };
  // Start from the first two weeks' mean and the change between them.
  const window = Math.min(seasonLength, Math.floor(n / 2));
  let levelStart = y[0];
  let trendStart = 0;
  if (window >= 1 && n >= 2 * window) {
    let first = 0;
    let second = 0;
    for (let t = 0; t < window; t++) {
      first += y[t];
      second += y[t + window];
    }
    levelStart = first / window;
    trendStart = (second - first) / window / window;
  }
  let best = { alpha: 0, beta: 0, phi: 0, level: levelStart, trend: 0, sse: Infinity };
  // Given parameters (fitted once on the whole history for a backtest) skip the grid.
  const given = options.params;
  const alphas = given ? [given.alpha] : ALPHAS;
  const trends: ReadonlyArray<readonly [number, number]> = given ? [[given.beta, given.phi]] : TRENDS;
  for (const alpha of alphas) {
    for (const [beta, phi] of trends) {
      let level = levelStart;
      let trend = trendStart;
      let sse = 0;
      for (let t = 1; t < n; t++) {
        const damped = phi * trend;
        const error = y[t] - (level + damped);
        sse += error * error;
        // It cannot beat the best so far, and the SSE only grows.
        if (sse >= best.sse) break;
        level += damped + alpha * error;
        trend = damped + beta * error;
      }
      if (sse < best.sse) best = { alpha, beta, phi, level, trend, sse };
    }
  }
  let dampSum = 0;
  let phiPower = 1;
  for (let h = 0; h < horizon; h++) {
    phiPower *= best.phi;
    dampSum += phiPower;
    point[h] = (best.level + dampSum * best.trend) * factors[h % seasonLength];
  }
  return { point: nonNegative(point), params: { alpha: best.alpha, beta: best.beta, phi: best.phi } };
}
