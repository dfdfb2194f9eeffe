import { flushQueryTimings, type QueryTimingRecorder } from "../server/health/query_timings.ts";
import { type JobDefinition, type JobServices, runJob } from "./runner.ts";

/**
 * Registers the given jobs (every domain's, from server/api/domains.ts) with Deno.cron (called once at start-up when JOBS=on). Each firing goes
 * through runJob, so with several instances each slot runs once. The query-timing flush is per
 * instance on purpose: each instance holds its own timings.
 */
export function registerJobs(
  services: JobServices,
  queryTimings: QueryTimingRecorder,
  jobs: readonly JobDefinition[],
): void {
  for (const job of jobs) {
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
