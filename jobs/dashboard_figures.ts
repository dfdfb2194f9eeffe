import { computeDashboardFigures } from "../server/jobs/figures_queries.ts";
import type { JobResult, JobServices } from "./runner.ts";

/**
 * The dashboard figures job (every minute). The dashboard's sales figures are exact reads of the
 * views plus the recent base rows and stay fast at 10M transactions (docs/performance.md), so they
 * are not precomputed; what is, are the counts that grow with history: distinct active customers
 * over 30 days (a scan of a month of transactions), low stock, open alerts.
 */
export async function runDashboardFigures(
  services: Pick<JobServices, "db" | "log">,
  options: { now?: Date } = {},
): Promise<JobResult> {
  const figures = await computeDashboardFigures(services.db.sql, options.now ?? new Date());
  return { rows: 1, details: { ...figures } };
}
