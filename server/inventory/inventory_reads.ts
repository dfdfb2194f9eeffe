/** Reads behind the inventory procedures: low stock and one product's forecast with its history. */
import type { Sql } from "../db/mod.ts";
import type { z } from "zod";
import { loadCalendarEvents } from "./calendar_events.ts";
import { historyDays, loadDemandHistories } from "./demand_queries.ts";
import { latestPredictions } from "./prediction_queries.ts";
import { planProducts } from "./reorder_planning.ts";
import type { Urgency } from "./reorder_plan.ts";
import type { lowStockSchema, predictionSchema } from "./schemas.ts";
import { addDays, storeDay } from "../shared/store_time.ts";
import { activeSuggestionsByProduct } from "./suggestion_queries.ts";
import { isRunningShort } from "./reorder_plan.ts";

const urgencyRank: Record<Urgency, number> = { critical: 0, high: 1, medium: 2, low: 3 };

/**
 * How many active products will run short (urgency critical, high or medium): the number the
 * dashboard shows, by the same rule as `listLowStock`.
 */
export async function countProductsRunningShort(
  sql: Sql,
  options: { timeZone: string; now: Date },
): Promise<number> {
  const planned = await planProducts(sql, options);
  return planned.filter(({ plan }) => isRunningShort(plan)).length;
}

/** Ids of the active products running short, by the one rule (`isRunningShort`). */
export async function listProductIdsRunningShort(
  sql: Sql,
  options: { timeZone: string; now: Date },
): Promise<number[]> {
  const planned = await planProducts(sql, options);
  return planned.filter(({ plan }) => isRunningShort(plan)).map(({ product }) => product.productId);
}

/**
 * Active products that will run short: urgency critical, high or medium from their days of cover
 * against their best supplier's lead time (cut-offs in `urgencyFromCover`), most urgent first.
 */
export async function listLowStock(
  sql: Sql,
  options: {
    timeZone: string;
    now: Date;
    urgency?: Exclude<Urgency, "low">;
    category?: string;
    limit: number;
  },
): Promise<z.infer<typeof lowStockSchema>> {
  const planned = await planProducts(sql, options);
  const open = await activeSuggestionsByProduct(sql);
  const short = planned
    .filter(({ plan }) => isRunningShort(plan))
    .sort((a, b) =>
      urgencyRank[a.plan.urgency] - urgencyRank[b.plan.urgency] ||
      (a.plan.daysUntilStockout ?? Infinity) - (b.plan.daysUntilStockout ?? Infinity) ||
      a.product.productId - b.product.productId
    );
  const counts = { critical: 0, high: 0, medium: 0 };
  for (const { plan } of short) counts[plan.urgency as keyof typeof counts] += 1;
  const items = short
    .filter(({ plan }) => !options.urgency || plan.urgency === options.urgency)
    .slice(0, options.limit)
    .map(({ product, plan, forecastGeneratedAt }) => {
      const winner = plan.ranking.winner;
      const cover = plan.daysUntilStockout === null ? null : Math.round(plan.daysUntilStockout * 10) / 10;
      return {
        productId: product.productId,
        sku: product.sku,
        name: product.name,
        category: product.category,
        stockQuantity: product.stock,
        onOrder: product.onOrder,
        reorderPoint: plan.reorderPoint,
        reorderPointIsManual: plan.reorderPointIsManual,
        safetyStock: Math.ceil(plan.safetyStock - 1e-9),
        averageDailyDemand: Math.round(plan.averageDailyDemand * 100) / 100,
        daysOfCover: cover,
        daysUntilStockout: cover,
        urgency: plan.urgency,
        leadTimeDays: plan.leadTimeDays,
        supplier: winner ? { id: Number(winner.supplierId), name: winner.name } : null,
        openSuggestionId: open.get(product.productId)?.id ?? null,
        forecastGeneratedAt,
      };
    });
  return { items, counts };
}

/** A product's latest stored forecast and its recent daily sales; undefined when no such product. */
export async function readPrediction(
  sql: Sql,
  productId: number,
  options: { timeZone: string; now: Date; historyDays: number },
): Promise<z.infer<typeof predictionSchema> | undefined> {
  const [product] = await sql<[{ name: string; sku: string; stock: number }?]>`
    select name, sku, stock_quantity as stock from products where id = ${productId}`;
  if (!product) return undefined;
  const stored = (await latestPredictions(sql, [productId])).get(productId);
  const lastDay = addDays(stored?.startsOn ?? storeDay(options.now, options.timeZone), -1);
  const history = (await loadDemandHistories(sql, {
    timeZone: options.timeZone,
    lastDay,
    days: options.historyDays,
    productIds: [productId],
  })).get(productId);
  const events = stored
    ? await loadCalendarEvents(sql, stored.startsOn, addDays(stored.startsOn, stored.horizonDays - 1))
    : [];
  return {
    productId,
    productName: product.name,
    sku: product.sku,
    stockQuantity: product.stock,
    forecast: stored
      ? {
        model: stored.model,
        params: stored.params,
        events: events.map(({ day, kind, name }) => ({ day, kind, name })),
        backtestMase: stored.backtestMase,
        horizonDays: stored.horizonDays,
        startsOn: stored.startsOn,
        days: stored.point.map((_, day) => addDays(stored.startsOn, day)),
        generatedAt: stored.generatedAt,
        point: stored.point,
        lower80: stored.lower80,
        upper80: stored.upper80,
        lower95: stored.lower95,
        upper95: stored.upper95,
      }
      : null,
    history: { days: history ? historyDays(history) : [], units: history?.units ?? [] },
  };
}
