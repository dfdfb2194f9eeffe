import { defineDomain } from "../server/domain.ts";
import { jobsRouterFor } from "./router.ts";
import { refreshViewsJob } from "./refresh_views.ts";

/**
 * Background jobs: the job system (runner, schedule, run records), the one job that spans domains (the views
 * refresh; every other domain declares its own jobs in its mod.ts), and the jobs router, which lists and runs every
 * domain's jobs (so it is built from what all domains declare).
 */
export const jobsDomain = defineDomain({
  folder: "jobs",
  routers: (all) => ({ jobs: jobsRouterFor(all.jobs) }),
  jobs: [refreshViewsJob],
  events: ["job.run", "views.refreshed"],
  pages: [{ path: "/admin/jobs", route: "admin/jobs" }],
});
