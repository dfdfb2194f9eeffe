import type { Sql, TransactionSql } from "../db/mod.ts";
import { dayNumber } from "./demand_series.ts";
import {
  loadPlanningProducts,
  loadSupplierWeights,
  type PlanningFilter,
  type PlanningProduct,
} from "./planning_queries.ts";
import { latestPlanningForecasts, type PlanningForecast } from "./prediction_queries.ts";
import type { ForecastBands } from "./reorder_math.ts";
import { planReorder, type ReorderPlan } from "./reorder_plan.ts";
import { storeDay } from "../shared/store_time.ts";

/** A product and its reorder plan. */
export interface PlannedProduct {
  product: PlanningProduct;
  plan: ReorderPlan;
  /** When the forecast the plan used was made; null when the product has none yet. */
  forecastGeneratedAt: Date | null;
}

/**
 * The part of a stored forecast from `today` on: a forecast made days ago has already used up its
 * first days. Null when nothing of it is left. `today` may be given as its `dayNumber`.
 */
export function forecastFrom(
  prediction: Pick<PlanningForecast, "startsOn" | "point" | "upper80">,
  today: string | number,
): ForecastBands | null {
  const todayNumber = typeof today === "number" ? today : dayNumber(today);
  const elapsed = Math.max(0, todayNumber - dayNumber(prediction.startsOn));
  if (elapsed >= prediction.point.length) return null;
  return { point: prediction.point.slice(elapsed), upper80: prediction.upper80.slice(elapsed) };
}

/**
 * Reads active products (or the given ones), their latest forecasts and the supplier weights, and
 * plans each product's reorder.
 */
export async function planProducts(
  sql: Sql | TransactionSql,
  options: PlanningFilter & { timeZone: string; now: Date },
): Promise<PlannedProduct[]> {
  const [products, weights] = [await loadPlanningProducts(sql, options), await loadSupplierWeights(sql)];
  const predictions = await latestPlanningForecasts(sql, products.map((product) => product.productId));
  const today = dayNumber(storeDay(options.now, options.timeZone));
  return products.map((product) => {
    const prediction = predictions.get(product.productId);
    const plan = planReorder({
      stock: product.stock,
      onOrder: product.onOrder,
      reorderPointOverride: product.reorderPointOverride,
      serviceLevel: product.serviceLevel,
      targetDays: product.targetDays,
      forecast: prediction ? forecastFrom(prediction, today) : null,
      offers: product.offers,
      weights,
    });
    return { product, plan, forecastGeneratedAt: prediction?.generatedAt ?? null };
  });
}
