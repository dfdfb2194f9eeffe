import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { type JobDefinition, type JobOutcome, runJob } from "./runner.ts";
import { recordAudit } from "../server/auth/audit.ts";
import { adminProcedure, router } from "../server/trpc/init.ts";
import { getJobRun, jobStats, listRecentRuns } from "./run_queries.ts";
import { latestSlowQueryAnalysis } from "../server/health/slow_query_queries.ts";

const runSchema = z.object({
  id: z.number().int(),
  job: z.string(),
  slot: z.date(),
  attempt: z.number().int(),
  status: z.enum(["running", "succeeded", "failed", "skipped"]),
  instance: z.string().nullable(),
  startedAt: z.date(),
  finishedAt: z.date().nullable(),
  durationMs: z.number().int().nullable(),
  rows: z.number().int().nullable(),
  error: z.string().nullable(),
  retryAt: z.date().nullable(),
});

const jobSchema = z.object({
  name: z.string(),
  schedule: z.string().describe("Cron expression, UTC"),
  every: z.string(),
  description: z.string(),
  runs: z.number().int().describe("Runs counted in the statistics (the last 50)"),
  failures: z.number().int(),
  averageDurationMs: z.number().nullable(),
  lastSucceededAt: z.date().nullable(),
  lastRuns: z.array(runSchema),
});

const slowQuerySchema = z.object({
  rank: z.number().int(),
  query: z.string(),
  calls: z.number().int(),
  totalMs: z.number(),
  meanMs: z.number(),
  maxMs: z.number(),
  rowsPerCall: z.number().nullable(),
  plan: z.string().nullable(),
  planError: z.string().nullable(),
});

const jobName = z.string().min(1).max(64).regex(
  /^[a-z]+(-[a-z]+)*$/,
  "must be a job name such as refresh-views",
);

/**
 * The jobs router over the given jobs (every domain's, collected in server/api/domains.ts): list them with
 * their runs, run one now.
 */
export function jobsRouterFor(jobDefinitions: readonly JobDefinition[]) {
  const findJob = (name: string) => jobDefinitions.find((job) => job.name === name);
  return router({
    /** Every job with its schedule, recent runs, failure count and mean duration. */
    list: adminProcedure
      .meta({
        openapi: { method: "GET", path: "/jobs", tags: ["jobs"], summary: "Background jobs and their runs" },
      })
      .input(z.object({ runs: z.coerce.number().int().min(1).max(50).default(5) }).optional())
      .output(z.object({ enabled: z.boolean(), jobs: z.array(jobSchema) }))
      .query(async ({ ctx, input }) => {
        const names = jobDefinitions.map((job) => job.name);
        const [runs, stats] = await Promise.all([
          listRecentRuns(ctx.db.sql, names, input?.runs ?? 5),
          jobStats(ctx.db.sql, names, 50),
        ]);
        return {
          enabled: ctx.config.JOBS === "on",
          jobs: jobDefinitions.map((job) => {
            const stat = stats.find((s) => s.job === job.name);
            return {
              name: job.name,
              schedule: job.schedule,
              every: job.every,
              description: job.description,
              runs: stat?.runs ?? 0,
              failures: stat?.failures ?? 0,
              averageDurationMs: stat?.averageDurationMs ?? null,
              lastSucceededAt: stat?.lastSucceededAt ?? null,
              lastRuns: runs.filter((run) => run.job === job.name),
            };
          }),
        };
      }),

    /** One run, e.g. to follow a run started with runNow. */
    run: adminProcedure
      .meta({ openapi: { method: "GET", path: "/jobs/runs/{id}", tags: ["jobs"], summary: "One job run" } })
      .input(z.object({ id: z.coerce.number().int().min(1) }))
      .output(runSchema)
      .query(async ({ ctx, input }) => {
        const run = await getJobRun(ctx.db.sql, input.id);
        if (!run) throw new TRPCError({ code: "NOT_FOUND", message: `No job run with id ${input.id}` });
        return run;
      }),

    /**
     * Starts a job now, outside its schedule (its own slot, so a scheduled run is unaffected). Answers
     * once the run is claimed; the work goes on in the background and shows on the jobs page.
     */
    runNow: adminProcedure
      .meta({
        openapi: { method: "POST", path: "/jobs/{name}/run", tags: ["jobs"], summary: "Run a job now" },
      })
      .input(z.object({ name: jobName }))
      .output(
        z.object({
          runId: z.number().int().nullable(),
          status: z.enum(["running", "skipped"]),
          reason: z.string(),
        }),
      )
      .mutation(async ({ ctx, input }) => {
        const job = findJob(input.name);
        if (!job) throw new TRPCError({ code: "NOT_FOUND", message: `No job named "${input.name}"` });
        await recordAudit(ctx.db.sql, {
          caller: ctx.caller,
          action: "job.run_now",
          entityType: "job",
          entityId: job.name,
          ip: ctx.ip,
          requestId: ctx.requestId,
        });
        const services = { config: ctx.config, db: ctx.db, kv: ctx.kv, bus: ctx.bus, log: ctx.log };
        type Started = { claimed: true; runId: number } | { claimed: false; outcome: JobOutcome };
        const started = await new Promise<Started>((resolve, reject) => {
          runJob(services, job, {
            slot: new Date(),
            instance: `manual:${ctx.caller.username}`,
            onClaimed: (runId) => resolve({ claimed: true, runId }),
          }).then((outcome) => resolve({ claimed: false, outcome }), (error) => {
            ctx.log.error("run-now failed", { job: job.name, error });
            reject(error);
          });
        });
        if (started.claimed) return { runId: started.runId, status: "running" as const, reason: "started" };
        const { outcome } = started;
        return {
          runId: outcome.runId ?? null,
          status: "skipped" as const,
          reason: outcome.status === "skipped" ? outcome.reason : outcome.status,
        };
      }),

    /** The newest weekly slow-query analysis: the slowest statements with their plans. */
    slowQueries: adminProcedure
      .meta({
        openapi: {
          method: "GET",
          path: "/jobs/slow-queries",
          tags: ["jobs"],
          summary: "Slowest queries with plans",
        },
      })
      .input(z.void())
      .output(z.object({
        analysedAt: z.date().nullable(),
        source: z.enum(["pg_stat_statements", "app_timings"]).nullable(),
        queries: z.array(slowQuerySchema),
      }))
      .query(async ({ ctx }) => {
        const analysis = await latestSlowQueryAnalysis(ctx.db.sql);
        return analysis ?? { analysedAt: null, source: null, queries: [] };
      }),
  });
}
