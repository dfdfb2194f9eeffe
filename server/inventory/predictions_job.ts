import { invalidate } from "../cache.ts";
import { deleteOldPredictions } from "./prediction_queries.ts";
import { syncPublicHolidays } from "./calendar_events.ts";
import { computePredictions, HISTORY_DAYS, type PredictionRunSummary } from "./predictions.ts";
import { recordStockHistory } from "./stock_history.ts";
import { storeDay } from "../shared/store_time.ts";
import type { Services } from "../services.ts";
import type { JobDefinition } from "../domain.ts";

/** Forecasts older than this are deleted once a newer one exists: enough to compare recent runs. */
const KEEP_PREDICTIONS_MS = 7 * 86_400_000;

/**
 * The inventory predictions job (every 6 hours): records the daily stock history and the store
 * country's public holidays, forecasts the daily demand of every active product,
 * stores the forecasts, prunes old ones and retires cached inventory reads.
 */
export async function runInventoryPredictions(
  services: Pick<Services, "db" | "config" | "kv" | "log">,
  options: { now?: Date } = {},
): Promise<PredictionRunSummary & { deleted: number }> {
  const now = options.now ?? new Date();
  const sql = services.db.sql;
  const today = storeDay(now, services.config.STORE_TZ);
  // Stock history first: out-of-stock days in it are masked out of the forecasts' training.
  const stockDays = await recordStockHistory(sql, {
    timeZone: services.config.STORE_TZ,
    today,
    days: HISTORY_DAYS,
  });
  const year = Number(today.slice(0, 4));
  await syncPublicHolidays(sql, services.config.STORE_COUNTRY, [year - 1, year, year + 1]);
  const summary = await computePredictions(services.db.sql, { timeZone: services.config.STORE_TZ, now });
  const deleted = await deleteOldPredictions(services.db.sql, new Date(now.getTime() - KEEP_PREDICTIONS_MS));
  await invalidate(services.kv, ["inventory"]).catch((error) =>
    services.log.warn("cache invalidation after predictions failed", { error })
  );
  services.log.info("inventory predictions computed", { ...summary, deleted, stockDays });
  return { ...summary, deleted };
}

/** The inventory predictions job's schedule, declared in this domain's mod.ts. */
export const inventoryPredictionsJob: JobDefinition = {
  name: "inventory-predictions",
  schedule: "15 */6 * * *",
  every: "every 6 hours",
  description: "Forecasts the daily demand of every active product",
  run: async (services) => {
    const summary = await runInventoryPredictions(services);
    return { rows: summary.products, details: { ...summary } };
  },
};
