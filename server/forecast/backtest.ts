import { mase, smape } from "./metrics.ts";
import type { Model } from "./types.ts";

/** How a rolling-origin backtest is laid out. */
export interface BacktestOptions {
  /** Days forecast from each origin. */
  horizon: number;
  seasonLength: number;
  /** Most origins to use; fewer when the history is short. */
  origins: number;
  /** Days between consecutive origins. */
  step: number;
  /** Fewest days of history a model is given at an origin. */
  minTrain: number;
}

/** What a model scored over the backtest origins. */
export interface BacktestResult {
  /** Mean MASE over origins, each scaled by the seasonal naive MAE of the history up to that origin. */
  mase: number;
  /** Mean sMAPE over origins, in percent. */
  smape: number;
  /** Forecast errors (actual - point) per origin (latest first) and step ahead. */
  errors: number[][];
}

/** Origins (history lengths) of a rolling-origin backtest, latest first; empty when the history is too short. */
export function backtestOrigins(length: number, options: BacktestOptions): number[] {
  const origins: number[] = [];
  for (let j = 0; j < options.origins; j++) {
    const origin = length - options.horizon - j * options.step;
    if (origin < options.minTrain) break;
    origins.push(origin);
  }
  return origins;
}

/**
 * Rolling-origin backtest: forecasts `horizon` days from each origin using only the history before
 * it and scores the forecasts against what followed. Returns null when no origin fits.
 * @param history daily values, oldest first
 * @param model the model to test
 */
export function rollingOrigin(
  history: readonly number[],
  model: Model,
  options: BacktestOptions,
): BacktestResult | null {
  const origins = backtestOrigins(history.length, options);
  if (origins.length === 0) return null;
  let maseSum = 0;
  let smapeSum = 0;
  const errors: number[][] = [];
  for (const origin of origins) {
    const train = history.slice(0, origin);
    const actual = history.slice(origin, origin + options.horizon);
    const { point } = model(train, { horizon: options.horizon, seasonLength: options.seasonLength });
    maseSum += mase(actual, point, train, options.seasonLength);
    smapeSum += smape(actual, point);
    errors.push(actual.map((value, h) => value - point[h]));
  }
  return { mase: maseSum / origins.length, smape: smapeSum / origins.length, errors };
}
