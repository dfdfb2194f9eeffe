/**
 * Forecast combinations from a rolling-origin backtest. Every candidate forecasts from each origin
 * once; the combinations (inverse-error weighted mean, median) and the single best model are then
 * scored at each origin with weights and choices made from the other origins only, so no method is
 * scored on errors that also chose it. Pure.
 * @module
 */
import { recentAdjusted } from "./_seasonal.ts";
import { naiveScale } from "./metrics.ts";
import type { Model } from "./types.ts";

/** A candidate model by the name recorded with a forecast. */
export interface Candidate {
  name: string;
  model: Model;
}

/** Each candidate's forecasts from each origin, with what happened and how MASE scales there. */
export interface CandidateBacktest {
  /** Origins (history lengths), latest first. */
  origins: number[];
  /** The training history at each origin (missing days filled). */
  trains: number[][];
  /** forecasts[c][o]: candidate c's forecast from origin o. */
  forecasts: number[][][];
  /** actuals[o]: what followed origin o, NaN on missing days. */
  actuals: number[][];
  /** MASE scale (in-sample seasonal naive MAE) at each origin. */
  scales: number[];
  /** mase[c][o]. */
  mase: number[][];
}

/** Mean absolute error over the days whose actual is known (not NaN); NaN when none is. */
export function maeObserved(actual: readonly number[], forecast: readonly number[]): number {
  let sum = 0;
  let count = 0;
  for (let h = 0; h < actual.length; h++) {
    if (Number.isNaN(actual[h])) continue;
    sum += Math.abs(actual[h] - forecast[h]);
    count++;
  }
  return count > 0 ? sum / count : Number.NaN;
}

/**
 * Runs every candidate from every origin. `filled` is the series models train on (missing days
 * filled), `observed` the same with NaN on missing days, against which forecasts are scored.
 */
export function backtestCandidates(
  filled: readonly number[],
  observed: readonly number[],
  candidates: readonly Candidate[],
  layout: { origins: number[]; horizon: number; seasonLength: number },
  transform: (point: number[], train: readonly number[]) => number[] = (point) => point,
): CandidateBacktest {
  const { origins, horizon, seasonLength } = layout;
  const actuals = origins.map((origin) => observed.slice(origin, origin + horizon));
  // One training slice per origin, shared by every candidate: slicing per candidate was most of
  // the garbage collector's work.
  const trains = origins.map((origin) => filled.slice(0, origin));
  const scales = trains.map((train) => naiveScale(train, seasonLength));
  // The weekday factors and adjusted series several models start from, once per origin.
  const options = trains.map((train) => ({
    horizon,
    seasonLength,
    prepared: recentAdjusted(train, seasonLength),
  }));
  const forecasts = candidates.map(({ model }) =>
    trains.map((train, o) => transform(model(train, options[o]).point, train))
  );
  const mase = forecasts.map((byOrigin) =>
    byOrigin.map((point, o) => maeObserved(actuals[o], point) / scales[o])
  );
  return { origins, trains, forecasts, actuals, scales, mase };
}

/** Mean of the finite values, NaN when there are none. */
export function meanFinite(values: readonly number[]): number {
  let sum = 0;
  let count = 0;
  for (const value of values) {
    if (Number.isFinite(value)) {
      sum += value;
      count++;
    }
  }
  return count > 0 ? sum / count : Number.NaN;
}

/** `meanFinite` of `values` at `indices`, without building the picked array. */
function meanFiniteAt(values: readonly number[], indices: readonly number[]): number {
  let sum = 0;
  let count = 0;
  for (const i of indices) {
    const value = values[i];
    if (Number.isFinite(value)) {
      sum += value;
      count++;
    }
  }
  return count > 0 ? sum / count : Number.NaN;
}

/**
 * Combination weights: inverse mean MASE over the given origins, normalised to sum to 1. A candidate
 * with no finite score gets weight 0; when none has one, equal weights.
 */
export function inverseErrorWeights(mase: readonly number[][], originIndices: readonly number[]): number[] {
  const inverse = mase.map((byOrigin) => {
    const score = meanFiniteAt(byOrigin, originIndices);
    return Number.isFinite(score) ? 1 / Math.max(score, 1e-3) : 0;
  });
  const total = inverse.reduce((sum, value) => sum + value, 0);
  return total > 0 ? inverse.map((value) => value / total) : inverse.map(() => 1 / inverse.length);
}

/** Weighted mean of forecasts, step by step. */
export function weightedMean(
  forecasts: readonly (readonly number[])[],
  weights: readonly number[],
): number[] {
  const horizon = forecasts[0]?.length ?? 0;
  const point = new Array<number>(horizon).fill(0);
  forecasts.forEach((forecast, c) => {
    if (weights[c] === 0) return;
    for (let h = 0; h < horizon; h++) point[h] += weights[c] * forecast[h];
  });
  return point;
}

/** Median of forecasts, step by step. */
export function medianOf(forecasts: readonly (readonly number[])[]): number[] {
  const horizon = forecasts[0]?.length ?? 0;
  const point = new Array<number>(horizon);
  const column = new Array<number>(forecasts.length);
  for (let h = 0; h < horizon; h++) {
    // Insertion sort: a handful of candidates, sorted once per step.
    for (let c = 0; c < forecasts.length; c++) {
      const value = forecasts[c][h];
      let i = c;
      while (i > 0 && column[i - 1] > value) {
        column[i] = column[i - 1];
        i--;
      }
      column[i] = value;
    }
    const middle = column.length >> 1;
    point[h] = column.length % 2 ? column[middle] : (column[middle - 1] + column[middle]) / 2;
  }
  return point;
}

/** How a method turns candidate forecasts into one forecast, given scores on other origins. */
export type Combiner = (
  forecasts: readonly (readonly number[])[],
  mase: readonly number[][],
  originIndices: number[],
) => {
  point: number[];
  weights: number[];
};

/** The combination methods by name. "selected" is the single model with the lowest backtest MASE. */
export const COMBINERS: Readonly<Record<string, Combiner>> = {
  combination(forecasts, mase, originIndices) {
    const weights = inverseErrorWeights(mase, originIndices);
    return { point: weightedMean(forecasts, weights), weights };
  },
  median(forecasts) {
    return { point: medianOf(forecasts), weights: forecasts.map(() => 1 / forecasts.length) };
  },
  selected(forecasts, mase, originIndices) {
    let best = 0;
    let bestScore = Infinity;
    mase.forEach((byOrigin, c) => {
      const score = meanFiniteAt(byOrigin, originIndices);
      if (score < bestScore) {
        best = c;
        bestScore = score;
      }
    });
    return { point: [...forecasts[best]], weights: forecasts.map((_, c) => (c === best ? 1 : 0)) };
  },
};

/**
 * A combiner's forecast at each origin, made with weights from the other origins only, and its
 * MASE there. With one origin the weights come from that origin (nothing else exists).
 */
export function leaveOneOriginOut(
  backtest: CandidateBacktest,
  combiner: Combiner,
  members: readonly number[],
): { forecasts: number[][]; mase: number[] } {
  const all = backtest.origins.map((_, o) => o);
  const memberMase = members.map((c) => backtest.mase[c]);
  const forecasts = all.map((o) => {
    const others = all.length > 1 ? all.filter((other) => other !== o) : all;
    return combiner(members.map((c) => backtest.forecasts[c][o]), memberMase, others).point;
  });
  const mase = forecasts.map((point, o) => maeObserved(backtest.actuals[o], point) / backtest.scales[o]);
  return { forecasts, mase };
}
