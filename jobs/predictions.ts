import { invalidate } from "../server/cache.ts";
import { deleteOldPredictions } from "../server/inventory/prediction_queries.ts";
import { computePredictions, type PredictionRunSummary } from "../server/inventory/predictions.ts";
import type { Services } from "../server/services.ts";

/** Forecasts older than this are deleted once a newer one exists: enough to compare recent runs. */
const KEEP_PREDICTIONS_MS = 7 * 86_400_000;

/**
 * The inventory predictions job (every 6 hours): forecasts the daily demand of every active product,
 * stores the forecasts, prunes old ones and retires cached inventory reads.
 */
export async function runInventoryPredictions(
  services: Pick<Services, "db" | "config" | "kv" | "log">,
  options: { now?: Date } = {},
): Promise<PredictionRunSummary & { deleted: number }> {
  const now = options.now ?? new Date();
  const summary = await computePredictions(services.db.sql, { timeZone: services.config.STORE_TZ, now });
  const deleted = await deleteOldPredictions(services.db.sql, new Date(now.getTime() - KEEP_PREDICTIONS_MS));
  await invalidate(services.kv, ["inventory"]).catch((error) =>
    services.log.warn("cache invalidation after predictions failed", { error })
  );
  services.log.info("inventory predictions computed", { ...summary, deleted });
  return { ...summary, deleted };
}
