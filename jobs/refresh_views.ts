import { refreshMaterializedViews } from "../server/views/refresh.ts";
import type { JobResult, JobServices } from "./runner.ts";

/**
 * The materialized views job (every 5 minutes): refreshes the six views CONCURRENTLY and announces
 * `views.refreshed`, which retires the dashboard and analytics caches on every instance.
 */
export async function runRefreshViews(services: Pick<JobServices, "db" | "bus" | "log">): Promise<JobResult> {
  const refreshed = await refreshMaterializedViews(services.db.sql);
  const views = refreshed.map((view) => ({
    view: view.view,
    durationMs: view.durationMs,
    watermark: view.watermark.toISOString(),
  }));
  await services.bus.publish("views.refreshed", { views }).catch((error) =>
    services.log.warn("publishing views.refreshed failed", { error })
  );
  return { rows: refreshed.length, details: { views } };
}
