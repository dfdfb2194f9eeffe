import { invalidate } from "../server/cache.ts";
import { refreshReorderSuggestions, type SuggestionRunSummary } from "../server/inventory/suggestions.ts";
import type { Services } from "../server/services.ts";

/**
 * The reorder suggestions job (every 12 hours): plans every active product from its latest forecast
 * and keeps the open suggestions in line; announces `suggestion.changed` when anything changed.
 */
export async function runReorderSuggestions(
  services: Pick<Services, "db" | "config" | "bus" | "kv" | "log">,
  options: { now?: Date } = {},
): Promise<SuggestionRunSummary> {
  const now = options.now ?? new Date();
  const summary = await refreshReorderSuggestions(services.db.sql, {
    timeZone: services.config.STORE_TZ,
    now,
  });
  if (summary.created + summary.refreshed + summary.withdrawn + summary.reopened > 0) {
    await invalidate(services.kv, ["inventory"]).catch((error) =>
      services.log.warn("cache invalidation after suggestions failed", { error })
    );
    await services.bus.publish("suggestion.changed", { reason: "job", ...summary }).catch((error) =>
      services.log.warn("publishing suggestion.changed failed", { error })
    );
  }
  services.log.info("reorder suggestions refreshed", { ...summary });
  return summary;
}
