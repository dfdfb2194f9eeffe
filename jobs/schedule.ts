import { flushQueryTimings, type QueryTimingRecorder } from "../server/jobs/query_timings.ts";
import { runCustomerPatterns } from "./customer_patterns.ts";
import { runDailySalesReport } from "./daily_sales_report.ts";
import { runDashboardFigures } from "./dashboard_figures.ts";
import { runInventoryPredictions } from "./predictions.ts";
import { runRefreshViews } from "./refresh_views.ts";
import { runReorderSuggestions } from "./reorder_suggestions.ts";
import { type JobDefinition, type JobServices, runJob } from "./runner.ts";
import { runSlowQueryAnalysis } from "./slow_queries.ts";

/**
 * Every background job and when it runs. Schedules are UTC (Deno.cron reads them so); the daily
 * report runs hourly because the store's midnight is not a fixed UTC hour.
 */
export const jobDefinitions: readonly JobDefinition[] = [
  {
    name: "dashboard-figures",
    schedule: "* * * * *",
    every: "every minute",
    description:
      "Precomputes the dashboard's history-sized counts (30-day active customers, low stock, open alerts)",
    run: (services) => runDashboardFigures(services),
    attempts: 1,
    timeoutMs: 5 * 60_000,
  },
  {
    name: "refresh-views",
    schedule: "*/5 * * * *",
    every: "every 5 minutes",
    description: "Refreshes the six materialized views concurrently and retires the analytics caches",
    run: (services) => runRefreshViews(services),
    attempts: 2,
    timeoutMs: 30 * 60_000,
  },
  {
    name: "customer-patterns",
    schedule: "0 */4 * * *",
    every: "every 4 hours",
    description: "Recomputes each customer's purchase pattern and RFM segment",
    run: async (services) => {
      const summary = await runCustomerPatterns(services);
      return { rows: summary.customers, details: { segments: summary.segments } };
    },
  },
  {
    name: "inventory-predictions",
    schedule: "15 */6 * * *",
    every: "every 6 hours",
    description: "Forecasts the daily demand of every active product",
    run: async (services) => {
      const summary = await runInventoryPredictions(services);
      return { rows: summary.products, details: { ...summary } };
    },
  },
  {
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
  },
  {
    name: "daily-sales-report",
    schedule: "5 * * * *",
    every: "daily at the store's midnight (checked hourly)",
    description: "Stores the sales report of each store day that ended since the last one",
    run: (services) => runDailySalesReport(services),
  },
  {
    name: "slow-queries",
    schedule: "0 2 * * SUN",
    every: "weekly, Sunday 02:00 UTC",
    description: "Stores the slowest queries of the week with their EXPLAIN plans",
    run: (services) => runSlowQueryAnalysis(services),
    attempts: 2,
  },
];

/** The job with this name, or undefined. */
export function findJob(name: string): JobDefinition | undefined {
  return jobDefinitions.find((job) => job.name === name);
}

/**
 * Registers every job with Deno.cron (called once at start-up when JOBS=on). Each firing goes
 * through runJob, so with several instances each slot runs once. The query-timing flush is per
 * instance on purpose: each instance holds its own timings.
 */
export function registerJobs(services: JobServices, queryTimings: QueryTimingRecorder): void {
  for (const job of jobDefinitions) {
    Deno.cron(job.name, job.schedule, async () => {
      try {
        await runJob(services, job);
      } catch (error) {
        // Only the bookkeeping itself can throw here (database down): the next slot tries again
        services.log.error("job bookkeeping failed", { job: job.name, error });
      }
    });
  }
  Deno.cron("flush-query-timings", "* * * * *", async () => {
    await flushQueryTimings(services.db.sql, queryTimings).catch((error) =>
      services.log.warn("flushing query timings failed", { error })
    );
  });
}
