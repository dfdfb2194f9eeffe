import { publishAlert, raiseAlert } from "../server/alerts/alert_queries.ts";
import type { Sql } from "../server/db/mod.ts";
import { publishAfterCommit } from "../server/events/bus.ts";

// The job types sit on the base floor, so a domain can declare its jobs in its mod.ts
import type { JobContext, JobDefinition, JobResult, JobServices } from "../server/domain.ts";
export type { JobContext, JobDefinition, JobResult, JobServices };

/** How a call of runJob ended for this instance. */
export type JobOutcome =
  | { status: "succeeded"; runId: number; attempt: number; rows: number; durationMs: number }
  | { status: "failed"; runId: number; attempt: number; error: string; alerted: boolean }
  | { status: "skipped"; reason: "slot-taken" | "locked" | "still-running"; runId?: number };

export interface RunJobOptions {
  /** The schedule slot; default: now rounded to the minute, so instances firing together agree on it. */
  slot?: Date;
  /** Who runs it (shown on the jobs page): host:pid by default, "manual" for run-now. */
  instance?: string;
  /** Waits before retry n (1-based); default 30 s, 2 min, 8 min... Tests pass a short one. */
  backoffMs?: (retry: number) => number;
  sleep?: (ms: number) => Promise<void>;
  /** Called once this instance has claimed the slot, before the work starts (run-now answers then). */
  onClaimed?: (runId: number) => void;
}

const defaultAttempts = 3;
const defaultTimeoutMs = 30 * 60_000;

/** Backoff before retry `n`: 30 s times 4^(n-1), at most 15 minutes. */
export function defaultBackoffMs(retry: number): number {
  return Math.min(15 * 60_000, 30_000 * 4 ** (retry - 1));
}

/** The slot a cron firing at `now` belongs to: the nearest whole minute (cron fires at second 0). */
export function slotOf(now: Date): Date {
  return new Date(Math.round(now.getTime() / 60_000) * 60_000);
}

/**
 * Runs `job` for one schedule slot, exactly once across instances: the first instance to insert
 * the slot's row in job_runs (unique on job, slot, attempt) runs it, under a transaction-level
 * advisory lock that serialises the claim. Session-level locks are avoided on purpose: the embedded
 * database has one connection shared by every request, and a lock held on it for the whole run
 * would hold it for everyone. Each attempt is recorded (start, end, status, rows, error); a failed
 * attempt is retried after a backoff, and when the last attempt fails an alert is raised.
 */
export async function runJob(
  services: JobServices,
  job: JobDefinition,
  options: RunJobOptions = {},
): Promise<JobOutcome> {
  const sql = services.db.sql;
  const slot = options.slot ?? slotOf(new Date());
  const instance = options.instance ?? defaultInstance();
  const attempts = job.attempts ?? defaultAttempts;
  const backoff = options.backoffMs ?? defaultBackoffMs;
  const sleep = options.sleep ?? ((ms: number) => new Promise((resolve) => setTimeout(resolve, ms)));

  const claim = await claimSlot(sql, job, slot, instance, 1);
  if (claim.status !== "claimed") {
    if (claim.status === "still-running") {
      services.log.info("job skipped: previous run still running", { job: job.name, slot });
    }
    return { status: "skipped", reason: claim.status, runId: claim.runId };
  }
  let runId = claim.runId;
  options.onClaimed?.(runId);
  for (let attempt = 1;; attempt++) {
    const started = performance.now();
    const startedAt = new Date();
    await announce(services, { job: job.name, runId, slot, attempt, status: "running", startedAt });
    try {
      const result = await job.run(services, { slot, attempt, now: new Date() });
      const durationMs = Math.round(performance.now() - started);
      await sql`
        update job_runs set status = 'succeeded', finished_at = clock_timestamp(), rows_affected = ${result.rows},
                            details = ${sql.json((result.details ?? {}) as never)}
        where id = ${runId}`;
      await announce(services, {
        job: job.name,
        runId,
        slot,
        attempt,
        status: "succeeded",
        startedAt,
        finishedAt: new Date(),
        durationMs,
        rows: result.rows,
      });
      services.log.info("job succeeded", { job: job.name, attempt, durationMs, rows: result.rows });
      return { status: "succeeded", runId, attempt, rows: result.rows, durationMs };
    } catch (error) {
      const message = describeError(error);
      const durationMs = Math.round(performance.now() - started);
      const last = attempt >= attempts;
      const retryAt = last ? null : new Date(Date.now() + backoff(attempt));
      await sql`
        update job_runs set status = 'failed', finished_at = clock_timestamp(), error = ${message}, retry_at = ${retryAt}
        where id = ${runId}`;
      await announce(services, {
        job: job.name,
        runId,
        slot,
        attempt,
        status: "failed",
        startedAt,
        finishedAt: new Date(),
        durationMs,
        error: message,
      });
      services.log.warn("job failed", { job: job.name, attempt, last, error: message });
      if (last) {
        const alerted = await alertRepeatedFailure(services, job, {
          runId,
          attempts: attempt,
          error: message,
        });
        return { status: "failed", runId, attempt, error: message, alerted };
      }
      await sleep(backoff(attempt));
      // Only one instance takes the retry: the next attempt's row is claimed like the first
      const retry = await claimSlot(sql, job, slot, instance, attempt + 1);
      if (retry.status !== "claimed") return { status: "skipped", reason: retry.status, runId: retry.runId };
      runId = retry.runId;
    }
  }
}

type Claim = { status: "claimed"; runId: number } | {
  status: "slot-taken" | "locked" | "still-running";
  runId?: number;
};

async function claimSlot(
  sql: Sql,
  job: JobDefinition,
  slot: Date,
  instance: string,
  attempt: number,
): Promise<Claim> {
  const timeoutMs = job.timeoutMs ?? defaultTimeoutMs;
  return await sql.begin(async (tx): Promise<Claim> => {
    const [{ locked }] = await tx<[{ locked: boolean }]>`
      select pg_try_advisory_xact_lock(hashtext(${job.name}), hashtext(${slot.toISOString()})) as locked`;
    // Another instance is claiming this very slot right now: it will run it
    if (!locked) return { status: "locked" };
    const [taken] = await tx<[{ id: number }?]>`
      select id from job_runs where job = ${job.name} and slot = ${slot} and attempt >= ${attempt}
      order by attempt desc limit 1`;
    if (taken) return { status: "slot-taken", runId: taken.id };
    if (attempt === 1) {
      // A long run (a view refresh at scale) must not overlap the next slot's run of the same job
      const [running] = await tx<[{ id: number }?]>`
        select id from job_runs
        where job = ${job.name} and status = 'running' and slot <> ${slot}
          and started_at > clock_timestamp() - ${timeoutMs / 1000} * interval '1 second'
        limit 1`;
      if (running) {
        await tx`
          insert into job_runs (job, slot, attempt, status, instance, finished_at, error)
          values (${job.name}, ${slot}, 1, 'skipped', ${instance}, clock_timestamp(),
                  ${`Run ${running.id} was still running`})
          on conflict (job, slot, attempt) do nothing`;
        return { status: "still-running", runId: running.id };
      }
    }
    const [row] = await tx<[{ id: number }?]>`
      insert into job_runs (job, slot, attempt, status, instance, started_at)
      values (${job.name}, ${slot}, ${attempt}, 'running', ${instance}, clock_timestamp())
      on conflict (job, slot, attempt) do nothing
      returning id`;
    return row ? { status: "claimed", runId: row.id } : { status: "slot-taken" };
  });
}

async function alertRepeatedFailure(
  services: JobServices,
  job: JobDefinition,
  failure: { runId: number; attempts: number; error: string },
): Promise<boolean> {
  try {
    const raised = await raiseAlert(services.db.sql, {
      type: "job_failed",
      severity: "high",
      title: `Job "${job.name}" failed ${failure.attempts} times in a row`,
      message: `Last error: ${failure.error}`,
      entityType: "job_run",
      entityId: failure.runId,
      // One open alert per job: later failures count up on it until someone resolves it
      dedupeKey: `job_failed:${job.name}`,
      metadata: { job: job.name, runId: failure.runId, attempts: failure.attempts },
    });
    await publishAlert(services.bus, raised).catch((error) =>
      services.log.warn("publishing the job alert failed", { error })
    );
    return true;
  } catch (error) {
    services.log.error("raising the job alert failed", { job: job.name, error });
    return false;
  }
}

/** What `job.run` events carry (the live layer streams them to the jobs page). */
export interface JobRunEvent {
  job: string;
  runId: number;
  slot: Date;
  attempt: number;
  status: "running" | "succeeded" | "failed";
  startedAt: Date;
  finishedAt?: Date;
  durationMs?: number;
  rows?: number;
  error?: string;
}

async function announce(services: JobServices, event: JobRunEvent): Promise<void> {
  const data = {
    ...event,
    slot: event.slot.toISOString(),
    startedAt: event.startedAt.toISOString(),
    finishedAt: event.finishedAt?.toISOString(),
  };
  await publishAfterCommit(services, { type: "job.run", data: data });
}

function describeError(error: unknown): string {
  const text = error instanceof Error
    ? `${error.name === "Error" ? "" : `${error.name}: `}${error.message}`
    : String(error);
  return text.slice(0, 2000);
}

function defaultInstance(): string {
  let host = "local";
  try {
    host = Deno.hostname();
  } catch {
    // hostname needs --allow-sys; the pid alone still tells instances on one machine apart
  }
  return `${host}:${Deno.pid}`;
}
