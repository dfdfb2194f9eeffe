import { defineDomain } from "../domain.ts";
import { healthRouter } from "./router.ts";
import { slowQueriesJob } from "./slow_queries_job.ts";

/** Health, query timings and slow-query analysis. */
export const healthDomain = defineDomain({
  folder: "health",
  routers: { health: healthRouter },
  jobs: [slowQueriesJob],
});
