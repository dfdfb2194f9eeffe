import { analyseSlowQueries } from "./slow_query_queries.ts";
import type { JobDefinition, JobResult, JobServices } from "../domain.ts";

/**
 * The weekly slow-query analysis (Sunday 02:00 UTC): the ten slowest statements by mean time, from
 * pg_stat_statements when the server loads it, else from the app's own timings, each stored with
 * its EXPLAIN plan for the jobs page.
 */
export async function runSlowQueryAnalysis(
  services: Pick<JobServices, "db" | "log">,
  options: { now?: Date; limit?: number } = {},
): Promise<JobResult> {
  const analysis = await analyseSlowQueries(services.db.sql, {
    now: options.now ?? new Date(),
    limit: options.limit,
  });
  services.log.info("slow queries analysed", { source: analysis.source, queries: analysis.queries.length });
  return {
    rows: analysis.queries.length,
    details: { source: analysis.source, slowestMeanMs: analysis.queries[0]?.meanMs ?? null },
  };
}

/** The slow-query job's schedule, declared in this domain's mod.ts. */
export const slowQueriesJob: JobDefinition = {
  name: "slow-queries",
  schedule: "0 2 * * SUN",
  every: "weekly, Sunday 02:00 UTC",
  description: "Stores the slowest queries of the week with their EXPLAIN plans",
  run: (services) => runSlowQueryAnalysis(services),
  attempts: 2,
};
