import type { Sql } from "../db/mod.ts";
import { type DemandForecast, forecastDemand } from "../forecast/mod.ts";
import { loadCalendarEvents, toForecastEvents } from "./calendar_events.ts";
import { loadDemandHistories } from "./demand_queries.ts";
import { dayNumber } from "./demand_series.ts";
import { insertPredictions, type StoredPrediction } from "./prediction_queries.ts";
import { addDays, storeDay } from "../shared/store_time.ts";
import { loadStockOutMasks } from "./stock_history.ts";

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
  const firstDay = addDays(today, -(options.historyDays ?? HISTORY_DAYS));
  const lastDay = addDays(today, -1);
  // Out-of-stock days are missing demand; calendar events adjust both the history and the forecast.
  const masks = await loadStockOutMasks(sql, { firstDay, lastDay, productIds: options.productIds });
  const calendar = await loadCalendarEvents(sql, firstDay, addDays(today, horizon - 1));
  const models: Record<string, number> = {};
  const predictions: Omit<StoredPrediction, "generatedAt">[] = [];
  for (const [productId, history] of histories) {
    const start = history.start ?? today;
    const mask = masks.get(productId)?.slice(dayNumber(start) - dayNumber(firstDay));
    const forecast = forecastDemand(history.units, {
      horizon,
      seasonLength: 7,
      stockOut: mask,
      events: calendar.length > 0 ? toForecastEvents(calendar, start) : undefined,
    });
    models[forecast.model] = (models[forecast.model] ?? 0) + 1;
    predictions.push({
      productId,
      model: forecast.model,
      params: { ...forecast.params, historyDays: history.units.length, ...forecastDetails(forecast) },
      horizonDays: horizon,
      startsOn: today,
      point: forecast.point,
      mean: forecast.mean,
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

/**
 * What the page needs beyond the forecast itself, as numbers for the stored params: seasonal naive's
 * backtest MASE, the backtest interval coverage, whether the forecast fell back to a baseline (1)
 * and the history days treated as missing demand.
 */
export function forecastDetails(forecast: DemandForecast): Record<string, number> {
  const details: Record<string, number> = {
    fallback: forecast.fallback ? 1 : 0,
    missingDays: forecast.missingDays,
  };
  if (forecast.naiveMase !== null) details.naiveMase = forecast.naiveMase;
  if (forecast.backtestCoverage80 !== null) details.backtestCoverage80 = forecast.backtestCoverage80;
  if (forecast.backtestCoverage95 !== null) details.backtestCoverage95 = forecast.backtestCoverage95;
  for (const [name, weight] of Object.entries(forecast.weights)) details[`weight.${name}`] = weight;
  return details;
}
