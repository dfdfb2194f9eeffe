import { LiveUpdates } from "../../components/LiveUpdates.tsx";
import { Panel } from "../../components/Panel.tsx";
import JobRunNow from "../../islands/JobRunNow.tsx";
import type { PageContext, PageProps } from "../../server/http/pages/page.ts";
import { countOf, formatDateTime } from "../../server/shared/format.ts";
import { jobWords } from "../../components/job_words.ts";

export const config = { title: "Jobs", minRole: "admin" } as const;

export async function load(ctx: PageContext) {
  const [list, slow] = await Promise.all([ctx.api.jobs.list({ runs: 5 }), ctx.api.jobs.slowQueries()]);
  return {
    enabled: list.enabled,
    jobs: list.jobs.map((job) => ({
      ...job,
      lastRuns: job.lastRuns.map((run) => ({
        id: run.id,
        status: run.status,
        attempt: run.attempt,
        instance: run.instance ?? "",
        startedAt: run.startedAt,
        durationMs: run.durationMs,
        rows: run.rows,
        error: run.error,
      })),
    })),
    slow: {
      analysedAt: slow.analysedAt,
      source: slow.source,
      queries: slow.queries,
    },
  };
}

/** A run's time, said in UTC as the headings promise (the store's zone may be another). */
function utc(at: Date | null): string {
  return at ? formatDateTime(at, "UTC") : "never";
}

/**
 * "Last success: 6 Dec 2026, 16:56 UTC · mean duration 1.6 s · 0 failed of the last 4 runs"; a job that never
 * ran says so once (it read "Last success: never UTC · mean duration – · 0 failed of the last 0 runs").
 */
function jobSummary(
  job: { lastSucceededAt: Date | null; averageDurationMs: number | null; failures: number; runs: number },
): string {
  if (job.runs === 0) return "Not run yet.";
  const last = job.lastSucceededAt ? `${utc(job.lastSucceededAt)} UTC` : "never";
  const mean = duration(job.averageDurationMs);
  return `Last success: ${last}${
    mean ? ` · mean duration ${mean}` : ""
  } · ${job.failures} failed of the last ${countOf(job.runs, "run")}`;
}

function duration(ms: number | null): string {
  if (ms === null) return "";
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

export default function JobsPage({ data }: PageProps<Awaited<ReturnType<typeof load>>>) {
  return (
    <>
      <LiveUpdates events={["job.run"]} regions={data.jobs.map((job) => `#job-${job.name}`)} />
      {!data.enabled && (
        <p class="notice" role="status">
          Scheduled runs are off on this instance (JOBS=off); "Run now" still works.
        </p>
      )}
      {data.jobs.map((job) => {
        const words = jobWords(job.name, job.description);
        return (
          <Panel
            key={job.name}
            title={words.title}
            id={`job-${job.name}`}
            meta={
              <>
                {job.every} · job <span class="mono" title={`cron "${job.schedule}" UTC`}>{job.name}</span>
              </>
            }
            actions={<JobRunNow job={job.name} />}
            flush
          >
            <p class="muted job-summary panel-body">
              {words.what}. {jobSummary(job)}
            </p>
            <div class="table-scroll">
              <table class="data-table">
                <thead>
                  <tr>
                    <th>Run</th>
                    <th>Started (UTC)</th>
                    <th>Status</th>
                    <th>Attempt</th>
                    <th class="numeric">Duration</th>
                    <th class="numeric">Rows</th>
                    <th>Instance</th>
                    <th>Error</th>
                  </tr>
                </thead>
                <tbody>
                  {job.lastRuns.length === 0 && (
                    <tr>
                      <td colSpan={8} class="muted">No runs yet</td>
                    </tr>
                  )}
                  {job.lastRuns.map((run) => (
                    <tr key={run.id} data-status={run.status}>
                      <td>{run.id}</td>
                      <td>{utc(run.startedAt)}</td>
                      <td>
                        <span class={`badge badge-${run.status}`}>{run.status}</span>
                      </td>
                      <td>{run.attempt}</td>
                      <td class="numeric">{duration(run.durationMs)}</td>
                      <td class="numeric">{run.rows ?? ""}</td>
                      <td>{run.instance}</td>
                      <td>{run.error ?? ""}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </Panel>
        );
      })}
      <Panel
        title="Slowest queries"
        meta={data.slow.analysedAt
          ? `analysed ${utc(data.slow.analysedAt)} UTC from ${data.slow.source?.replaceAll("_", " ")}`
          : undefined}
      >
        {!data.slow.analysedAt && (
          <p class="muted" data-testid="slow-queries-empty">
            Nothing listed yet: the {jobWords("slow-queries", "").title}{" "}
            job fills this on Sundays at 02:00 UTC, or at once with its Run now above.
          </p>
        )}
        {data.slow.queries.map((query) => (
          <details key={query.rank} class="slow-query">
            <summary>
              #{query.rank}: mean {duration(query.meanMs)}, max {duration(query.maxMs)}, {query.calls} calls
              <code>{query.query.slice(0, 140)}</code>
            </summary>
            <pre>{query.query}</pre>
            <pre>{query.plan ?? `No plan: ${query.planError}`}</pre>
          </details>
        ))}
      </Panel>
    </>
  );
}
