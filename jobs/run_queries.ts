import type { Sql } from "../server/db/mod.ts";

/** One recorded run of a job, as the jobs page shows it. */
export interface JobRun {
  id: number;
  job: string;
  slot: Date;
  attempt: number;
  status: "running" | "succeeded" | "failed" | "skipped";
  instance: string | null;
  startedAt: Date;
  finishedAt: Date | null;
  durationMs: number | null;
  rows: number | null;
  error: string | null;
  retryAt: Date | null;
}

/** Per job over its last `window` runs: how many failed and the mean duration of the successful ones. */
export interface JobStats {
  job: string;
  runs: number;
  failures: number;
  averageDurationMs: number | null;
  lastSucceededAt: Date | null;
}

const runColumns = (sql: Sql) =>
  sql`
  id, job, slot, attempt, status, instance, started_at as "startedAt", finished_at as "finishedAt",
  round(extract(epoch from finished_at - started_at) * 1000)::bigint as "durationMs",
  rows_affected as rows, error, retry_at as "retryAt"`;

/** The newest `perJob` runs of each job (one index range scan per job). */
export async function listRecentRuns(sql: Sql, jobs: readonly string[], perJob: number): Promise<JobRun[]> {
  return await sql<JobRun[]>`
    select r.* from unnest(${jobs as string[]}::text[]) as j(name)
    cross join lateral (
      select ${runColumns(sql)} from job_runs where job = j.name order by started_at desc limit ${perJob}
    ) r
    order by r.job, r."startedAt" desc`;
}

/** Failures and mean duration over each job's last `window` runs. */
export async function jobStats(sql: Sql, jobs: readonly string[], window: number): Promise<JobStats[]> {
  return await sql<JobStats[]>`
    select j.name as job, count(r.id)::int as runs,
           (count(*) filter (where r.status = 'failed'))::int as failures,
           round(avg(extract(epoch from r.finished_at - r.started_at) * 1000)
                 filter (where r.status = 'succeeded'))::float8 as "averageDurationMs",
           (select max(finished_at) from job_runs where job = j.name and status = 'succeeded') as "lastSucceededAt"
    from unnest(${jobs as string[]}::text[]) as j(name)
    left join lateral (
      select id, status, started_at, finished_at from job_runs where job = j.name order by started_at desc limit ${window}
    ) r on true
    group by j.name`;
}

/** One run by id, or undefined. */
export async function getJobRun(sql: Sql, id: number): Promise<JobRun | undefined> {
  const [row] = await sql<[JobRun?]>`select ${runColumns(sql)} from job_runs where id = ${id}`;
  return row;
}
