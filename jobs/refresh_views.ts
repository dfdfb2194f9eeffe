import { publishAfterCommit } from "../server/events/bus.ts";
import { refreshMaterializedViews } from "../server/views/refresh.ts";
import type { JobDefinition, JobResult, JobServices } from "../server/domain.ts";

/**
 * The materialized views job (every 5 minutes): refreshes the materialized views CONCURRENTLY and announces
 * `views.refreshed`, which retires the dashboard and analytics caches on every instance.
 */
export async function runRefreshViews(services: Pick<JobServices, "db" | "bus" | "log">): Promise<JobResult> {
  const refreshed = await refreshMaterializedViews(services.db.sql);
  const views = refreshed.map((view) => ({
    view: view.view,
    durationMs: view.durationMs,
    watermark: view.watermark.toISOString(),
  }));
  await publishAfterCommit(services, { type: "views.refreshed", data: { views } });
  return { rows: refreshed.length, details: { views } };
}

/**
 * The views job's schedule. It stays with the job system rather than in one domain: the materialized views
 * sit on the base floor (server/views/) and feed the dashboard, analytics, customers and inventory reads, and
 * its `views.refreshed` event retires the caches of several domains.
 */
export const refreshViewsJob: JobDefinition = {
  name: "refresh-views",
  schedule: "*/5 * * * *",
  every: "every 5 minutes",
  description: "Refreshes the materialized views concurrently and retires the analytics caches",
  run: (services) => runRefreshViews(services),
  attempts: 2,
  timeoutMs: 30 * 60_000,
};
