import type { Sql } from "../db/mod.ts";
import { forecastDemand } from "../forecast/mod.ts";
import { loadDemandHistories } from "./demand_queries.ts";
import { insertPredictions, type StoredPrediction } from "./prediction_queries.ts";
import { addDays, storeDay } from "./store_day.ts";

/** Days forecast for every product: the longest horizon the pages show. */
export const PREDICTION_HORIZON_DAYS = 30;
/** Days of history a forecast learns from: a year covers the weekly cycle many times over. */
export const HISTORY_DAYS = 365;

/** Options of `computePredictions`. */
export interface ComputePredictionsOptions {
  /** The store's time zone. */
  timeZone: string;
  /** The moment of the run; history ends the day before it (store time). */
  now: Date;
  /** Only these products (default: every active product). */
  productIds?: readonly number[];
  horizon?: number;
  historyDays?: number;
}

/** What a prediction run did. */
export interface PredictionRunSummary {
  products: number;
  /** How many products each model was chosen for. */
  models: Record<string, number>;
  startsOn: string;
}

/**
 * Forecasts the daily demand of every active product (or the given ones) from its sales history and
 * stores the forecasts. Today is not part of the history (it is not over), so forecasts start today.
 */
export async function computePredictions(
  sql: Sql,
  options: ComputePredictionsOptions,
): Promise<PredictionRunSummary> {
  const today = storeDay(options.now, options.timeZone);
  const horizon = options.horizon ?? PREDICTION_HORIZON_DAYS;
  const histories = await loadDemandHistories(sql, {
    timeZone: options.timeZone,
    lastDay: addDays(today, -1),
    days: options.historyDays ?? HISTORY_DAYS,
    productIds: options.productIds,
  });
  const models: Record<string, number> = {};
  const predictions: Omit<StoredPrediction, "generatedAt">[] = [];
  for (const [productId, history] of histories) {
    const forecast = forecastDemand(history.units, { horizon, seasonLength: 7 });
    models[forecast.model] = (models[forecast.model] ?? 0) + 1;
    predictions.push({
      productId,
      model: forecast.model,
      params: { ...forecast.params, historyDays: history.units.length },
      horizonDays: horizon,
      startsOn: today,
      point: forecast.point,
      lower80: forecast.lower80,
      upper80: forecast.upper80,
      lower95: forecast.lower95,
      upper95: forecast.upper95,
      backtestMase: forecast.backtestMase,
    });
  }
  await insertPredictions(sql, predictions, options.now);
  return { products: predictions.length, models, startsOn: today };
}
