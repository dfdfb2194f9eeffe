import { mean, nonNegative } from "./_seasonal.ts";
import type { ModelFit, ModelOptions } from "./types.ts";

/** Smoothing parameters of the additive damped-trend Holt-Winters model. */
export interface HoltWintersParams {
  alpha: number;
  beta: number;
  gamma: number;
  phi: number;
}

/**
 * Grid searched for the smoothing constants. Small on purpose: fitting has to stay well under a
 * millisecond per series so 10,000 products forecast in seconds; finer grids did not help accuracy.
 */
const ALPHAS = [0.03, 0.1, 0.2, 0.4];
const GAMMAS = [0.02, 0.08, 0.2];
/** Trend options as [beta, phi]: none, barely damped, damped, strongly damped. */
const TRENDS: ReadonlyArray<readonly [number, number]> = [[0, 0], [0.1, 0.98], [0.02, 0.9], [0.05, 0.8]];
/** Only the most recent cycles are fitted: older demand says little about next month's. */
const MAX_FIT_LENGTH = 364;

/** Seasonal states of the pass running now (passes never overlap: the code is synchronous). */
let scratch = new Float64Array(7);

/**
 * One pass of additive Holt-Winters with damped trend over `y`. Returns the in-sample one-step SSE
 * and writes the final level, trend and seasonal states into `state` (seasonal indices start at
 * `state[2]`, ordered so `state[2]` belongs to the first forecast day). A grid pass stops as soon
 * as its SSE reaches `limit` (the best so far): it cannot win, and the SSE only grows.
 */
function pass(
  y: readonly number[],
  m: number,
  p: HoltWintersParams,
  seasonInit: Float64Array,
  levelInit: number,
  trendInit: number,
  state: Float64Array | null,
  limit = Infinity,
): number {
  const { alpha, beta, gamma, phi } = p;
  // The grid runs dozens of passes per series: one scratch buffer instead of a copy per pass.
  if (scratch.length < m) scratch = new Float64Array(m);
  const season = scratch;
  season.set(seasonInit);
  let level = levelInit;
  let trend = trendInit;
  let sse = 0;
  let i = 0; // t % m, kept as a counter
  for (let t = m; t < y.length; t++) {
    const s = season[i];
    const damped = phi * trend;
    const error = y[t] - (level + damped + s);
    sse += error * error;
    if (sse >= limit) return sse;
    level = level + damped + alpha * error;
    trend = damped + alpha * beta * error;
    season[i] = s + gamma * (1 - alpha) * error;
    if (++i === m) i = 0;
  }
  if (state) {
    state[0] = level;
    state[1] = trend;
    for (let k = 0; k < m; k++) state[2 + k] = season[(y.length + k) % m];
  }
  return sse;
}

/**
 * Holt-Winters (ETS A,Ad,A): additive level, damped additive trend and additive seasonality, in
 * error-correction form. Smoothing constants are chosen by a small grid on in-sample one-step SSE.
 * Needs two full cycles; with less it degrades to simple exponential smoothing of the level.
 */
export function holtWinters(
  history: readonly number[],
  options: ModelOptions & { params?: HoltWintersParams },
): ModelFit {
  const { horizon } = options;
  const y = history.length > MAX_FIT_LENGTH ? history.slice(history.length - MAX_FIT_LENGTH) : history;
  const n = y.length;
  const m = n >= 2 * options.seasonLength ? options.seasonLength : 1;
  const point = new Array<number>(horizon).fill(0);
  if (n === 0) return { point, params: { alpha: 0, beta: 0, gamma: 0, phi: 0 } };
  if (n < 2) return { point: point.fill(Math.max(0, y[0])), params: { alpha: 0, beta: 0, gamma: 0, phi: 0 } };

  // Classical start: level = first cycle's mean, trend = change between the first two cycles,
  // seasonal indices = first cycle minus its trend line (else the ramp is mistaken for seasonality).
  const first = mean(y, 0, m);
  const trendInit = n >= 2 * m && m > 1 ? (mean(y, m, 2 * m) - first) / m : 0;
  const seasonInit = new Float64Array(m);
  if (m > 1) { for (let i = 0; i < m; i++) seasonInit[i] = y[i] - (first + (i - (m - 1) / 2) * trendInit); }
  const levelStart = m > 1 ? first : y[0];
  // The first cycle's mean sits mid-cycle; models with a trend start from its end-of-cycle value.
  const levelWithTrend = levelStart + ((m - 1) / 2) * trendInit;

  let best = options.params;
  if (!best) {
    let bestSse = Infinity;
    for (const alpha of ALPHAS) {
      for (const [beta, phi] of TRENDS) {
        for (const gamma of m > 1 ? GAMMAS : [0]) {
          const candidate = { alpha, beta, gamma, phi };
          const sse = phi === 0
            ? pass(y, m, candidate, seasonInit, levelStart, 0, null, bestSse)
            : pass(y, m, candidate, seasonInit, levelWithTrend, trendInit, null, bestSse);
          if (sse < bestSse) {
            bestSse = sse;
            best = candidate;
          }
        }
      }
    }
  }
  const params = best ?? { alpha: 0.1, beta: 0, gamma: 0, phi: 0 };
  const state = new Float64Array(2 + m);
  if (params.phi === 0) pass(y, m, params, seasonInit, levelStart, 0, state);
  else pass(y, m, params, seasonInit, levelWithTrend, trendInit, state);
  let dampSum = 0;
  let phiPower = 1;
  for (let h = 0; h < horizon; h++) {
    phiPower *= params.phi;
    dampSum += phiPower;
    point[h] = state[0] + dampSum * state[1] + state[2 + (h % m)];
  }
  return { point: nonNegative(point), params: { ...params } };
}
