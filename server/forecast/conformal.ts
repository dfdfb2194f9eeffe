import { conformalLevel, type Intervals, quantile } from "./intervals.ts";

/**
 * Conformal prediction intervals per horizon step from rolling-origin residuals. Each residual
 * (actual - forecast) is divided by the series' level at its origin and by its step's spread, so
 * errors from a quieter or busier past, and from near or far steps, share one calibration set;
 * the interval is the point plus the conformal quantiles of that set, scaled back by today's level
 * and the step's spread. Bounds are quantiles of demand, so they are clamped at zero and may both be
 * zero for a mostly-zero series.
 * @module
 */

/** Steps either side pooled when estimating one step's spread (six origins give few errors a step). */
const SPREAD_HALF_WINDOW = 3;
/** Share of the per-step spread kept; the rest is pulled to the pooled spread because it is noisy. */
const SPREAD_WEIGHT = 0.5;

/** Residuals of one forecasting method at each backtest origin. */
export interface OriginResiduals {
  /** actual - forecast per step; NaN where the actual is missing (stock-out). */
  errors: readonly number[];
  /** Level of the series at the origin (see `seriesLevel`). */
  level: number;
}

/** Level used to scale errors: the last four weeks' mean, at least a quarter of the long-run mean; 1 if all zero. */
export function seriesLevel(y: readonly number[]): number {
  const n = y.length;
  const window = Math.min(28, n);
  let recent = 0;
  for (let t = n - window; t < n; t++) recent += y[t];
  recent = window > 0 ? recent / window : 0;
  let all = 0;
  for (const value of y) all += value;
  all = n > 0 ? all / n : 0;
  const level = Math.max(recent, all / 4);
  return level > 0 ? level : 1;
}

/** Relative spread per step (mean 1 over steps), smoothed over neighbouring steps and shrunk to 1. */
function stepSpreads(origins: readonly OriginResiduals[], steps: number): number[] {
  const sums = new Array<number>(steps).fill(0);
  const counts = new Array<number>(steps).fill(0);
  let total = 0;
  let count = 0;
  for (const origin of origins) {
    const { errors, level } = origin;
    const last = Math.min(errors.length, steps);
    for (let h = 0; h < last; h++) {
      const error = errors[h];
      if (Number.isNaN(error)) continue;
      const scaled = Math.abs(error) / level;
      sums[h] += scaled;
      counts[h]++;
      total += scaled;
      count++;
    }
  }
  const overall = count > 0 ? total / count : 0;
  const spreads = new Array<number>(steps);
  for (let h = 0; h < steps; h++) {
    let sum = 0;
    let n = 0;
    for (let s = Math.max(0, h - SPREAD_HALF_WINDOW); s <= Math.min(steps - 1, h + SPREAD_HALF_WINDOW); s++) {
      sum += sums[s];
      n += counts[s];
    }
    spreads[h] = n === 0 || overall <= 0 ? 1 : 1 + SPREAD_WEIGHT * (sum / n / overall - 1);
  }
  return spreads;
}

/** The calibration model: per-step spreads and the scaled-residual quantiles for 80% and 95%. */
export interface ConformalCalibration {
  spreads: number[];
  /** Quantile offsets (in level x spread units) at 10%, 90%, 2.5% and 97.5%. */
  offsets: [number, number, number, number];
  /** Median of the scaled residuals: where the middle of demand sits relative to the point. */
  median: number;
  residuals: number;
}

/** Fits the calibration from backtest residuals. `steps` is the backtest horizon. */
export function calibrate(origins: readonly OriginResiduals[], steps: number): ConformalCalibration {
  const spreads = stepSpreads(origins, steps);
  let n = 0;
  for (const origin of origins) n += Math.min(origin.errors.length, steps);
  const all = new Float64Array(n);
  n = 0;
  for (const origin of origins) {
    const { errors, level } = origin;
    const last = Math.min(errors.length, steps);
    for (let h = 0; h < last; h++) {
      if (!Number.isNaN(errors[h])) all[n++] = errors[h] / (level * spreads[h]);
    }
  }
  // A typed array sorts numerically without a comparator call per pair.
  const scores = all.subarray(0, n).sort();
  const offsets = [0.1, 0.9, 0.025, 0.975].map((p) => quantile(scores, conformalLevel(p, n)));
  return {
    spreads,
    offsets: offsets as [number, number, number, number],
    median: quantile(scores, 0.5),
    residuals: n,
  };
}

/** Intervals around `point` for a series whose level today is `level`. */
export function conformalIntervals(
  point: readonly number[],
  level: number,
  calibration: ConformalCalibration,
): Intervals {
  const { spreads, offsets } = calibration;
  const bands = offsets.map((offset) =>
    point.map((value, h) => Math.max(0, value + offset * level * spreads[Math.min(h, spreads.length - 1)]))
  );
  const [lower80, upper80, lower95, upper95] = bands;
  for (let h = 0; h < point.length; h++) {
    upper80[h] = Math.max(upper80[h], lower80[h]);
    lower95[h] = Math.min(lower95[h], lower80[h]);
    upper95[h] = Math.max(upper95[h], upper80[h]);
  }
  return { lower80, upper80, lower95, upper95 };
}

/**
 * Coverage of the intervals in the backtest, each origin's intervals calibrated on the other
 * origins only (leave-one-origin-out), so the figure is not flattered by fitting its own errors.
 */
export function backtestCoverage(
  origins: readonly OriginResiduals[],
  steps: number,
): { coverage80: number; coverage95: number } | null {
  if (origins.length < 2) return null;
  let in80 = 0;
  let in95 = 0;
  let days = 0;
  origins.forEach((held, i) => {
    const calibration = calibrate(origins.filter((_, j) => j !== i), steps);
    const { spreads, offsets } = calibration;
    const last = Math.min(held.errors.length, steps);
    for (let h = 0; h < last; h++) {
      const error = held.errors[h];
      if (Number.isNaN(error)) continue;
      const score = error / (held.level * spreads[h]);
      if (score >= offsets[0] && score <= offsets[1]) in80++;
      if (score >= offsets[2] && score <= offsets[3]) in95++;
      days++;
    }
  });
  return days > 0 ? { coverage80: in80 / days, coverage95: in95 / days } : null;
}
