import { spreadFactors } from "./_seasonal.ts";
import type { ModelFit, ModelOptions } from "./types.ts";

/** Smoothing constants tried for demand sizes and intervals; intermittent series favour small ones. */
const ALPHAS = [0.05, 0.1, 0.2, 0.3];
/** Smoothing constants tried for TSB's demand probability. */
const BETAS = [0.02, 0.05, 0.1, 0.2];

/**
 * The flat `rate` spread over the horizon by the history's day-of-cycle factors (52 cycles, shrunk).
 * Without them the rate lands on days the shop never sells (the Online Retail shop does not trade on
 * Saturdays), which cost about 2% MASE in the benchmark.
 */
function spread(rate: number, history: readonly number[], options: ModelOptions): number[] {
  const factors = spreadFactors(history, options);
  const point = new Array<number>(options.horizon);
  for (let h = 0; h < point.length; h++) point[h] = Math.max(0, rate * factors[h % options.seasonLength]);
  return point;
}

/** Index of the first day with demand, or -1. */
function firstDemand(history: readonly number[]): number {
  for (let t = 0; t < history.length; t++) if (history[t] > 0) return t;
  return -1;
}

/**
 * Croston SBA state after one pass, with the in-sample one-step squared error; the pass stops once
 * the error reaches `limit` (it cannot beat the best pass so far).
 */
function crostonPass(
  history: readonly number[],
  alpha: number,
  start: number,
  initial: { size: number; interval: number },
  limit: number,
) {
  let { size, interval } = initial;
  let since = 0;
  let sse = 0;
  const bias = 1 - alpha / 2;
  for (let t = start + 1; t < history.length; t++) {
    const error = history[t] - (bias * size) / interval;
    sse += error * error;
    if (sse >= limit) break;
    since++;
    if (history[t] > 0) {
      size += alpha * (history[t] - size);
      interval += alpha * (since - interval);
      since = 0;
    }
  }
  return { rate: (bias * size) / interval, sse };
}

/**
 * Croston's method with the Syntetos-Boylan approximation: smooths demand sizes and the intervals
 * between demands separately and forecasts the flat rate (1 - alpha/2) * size / interval, which
 * removes Croston's upward bias. Suited to intermittent demand; alpha chosen by in-sample SSE.
 * The rate is spread over the week by shrunk day-of-week factors.
 */
export function crostonSba(history: readonly number[], options: ModelOptions): ModelFit {
  const start = firstDemand(history);
  const point = new Array<number>(options.horizon).fill(0);
  if (start < 0) return { point, params: { alpha: 0 } };
  // Start from the whole history's mean size and mean interval: starting from the first demand alone
  // makes an item that sold once look like it sells every day, forever.
  let demands = 0;
  let total = 0;
  for (let t = start; t < history.length; t++) {
    if (history[t] > 0) {
      demands++;
      total += history[t];
    }
  }
  const initial = { size: total / demands, interval: (history.length - start) / demands };
  let best = { alpha: ALPHAS[0], rate: 0, sse: Infinity };
  for (const alpha of ALPHAS) {
    const { rate, sse } = crostonPass(history, alpha, start, initial, best.sse);
    if (sse < best.sse) best = { alpha, rate, sse };
  }
  return { point: spread(best.rate, history, options), params: { alpha: best.alpha, rate: best.rate } };
}

/** TSB state after one pass, with the in-sample one-step squared error (stopping once it reaches `limit`). */
function tsbPass(history: readonly number[], alpha: number, beta: number, start: number, limit: number) {
  let size = history[start];
  // Start the probability at the observed share of demand days so early errors stay small.
  let probability = 0;
  for (let t = start; t < history.length; t++) if (history[t] > 0) probability++;
  probability /= history.length - start;
  let sse = 0;
  for (let t = start + 1; t < history.length; t++) {
    const error = history[t] - probability * size;
    sse += error * error;
    if (sse >= limit) break;
    if (history[t] > 0) {
      probability += beta * (1 - probability);
      size += alpha * (history[t] - size);
    } else {
      probability -= beta * probability;
    }
  }
  return { rate: probability * size, probability, size, sse };
}

/**
 * Teunter-Syntetos-Babai (TSB): smooths the demand size on demand days and the probability of
 * demand every day, forecasting probability * size. Unlike Croston it decays towards zero when an
 * item stops selling, so obsolete items stop being reordered. alpha and beta chosen by in-sample SSE;
 * the rate is spread over the week by shrunk day-of-week factors.
 */
export function tsb(
  history: readonly number[],
  options: ModelOptions & { params?: Record<string, number> },
): ModelFit {
  const start = firstDemand(history);
  const point = new Array<number>(options.horizon).fill(0);
  if (start < 0) return { point, params: { alpha: 0, beta: 0 } };
  let best = { alpha: ALPHAS[0], beta: BETAS[0], rate: 0, probability: 0, size: 0, sse: Infinity };
  // Given constants (fitted once on the whole history for a backtest) skip the grid.
  for (const alpha of options.params ? [options.params.alpha] : ALPHAS) {
    for (const beta of options.params ? [options.params.beta] : BETAS) {
      const fit = tsbPass(history, alpha, beta, start, best.sse);
      if (fit.sse < best.sse) best = { alpha, beta, ...fit };
    }
  }
  return {
    point: spread(best.rate, history, options),
    params: { alpha: best.alpha, beta: best.beta, probability: best.probability, size: best.size },
  };
}
