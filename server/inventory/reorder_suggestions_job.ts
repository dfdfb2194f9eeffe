import { publishAfterCommit } from "../events/bus.ts";
import { invalidate } from "../cache.ts";
import { refreshReorderSuggestions, type SuggestionRunSummary } from "./suggestions.ts";
import type { Services } from "../services.ts";
import type { JobDefinition } from "../domain.ts";

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
    await publishAfterCommit(services, { type: "suggestion.changed", data: { reason: "job", ...summary } });
  }
  services.log.info("reorder suggestions refreshed", { ...summary });
  return summary;
}

/** The reorder suggestions job's schedule, declared in this domain's mod.ts. */
export const reorderSuggestionsJob: JobDefinition = {
  name: "reorder-suggestions",
  schedule: "30 */12 * * *",
  every: "every 12 hours",
  description: "Plans reorders from the latest forecasts and keeps the open suggestions in line",
  run: async (services) => {
    const summary = await runReorderSuggestions(services);
    return {
      rows: summary.created + summary.refreshed + summary.withdrawn + summary.reopened,
      details: { ...summary },
    };
  },
};
