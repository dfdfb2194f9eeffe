import assert from "node:assert/strict";
import { connect } from "../server/db/sql.ts";
import { openTestServices } from "../server/testing/test_services.ts";
import { type JobDefinition, type JobServices, runJob, slotOf } from "./runner.ts";

function countingJob(
  name: string,
  work: (call: number) => Promise<number>,
): JobDefinition & { calls: () => number } {
  let calls = 0;
  return {
    name,
    schedule: "* * * * *",
    every: "every minute",
    description: "test job",
    async run() {
      calls++;
      return { rows: await work(calls) };
    },
    calls: () => calls,
  };
}

const noWait = { backoffMs: (retry: number) => retry * 10, sleep: () => Promise.resolve() };

Deno.test("runJob() runs a job once per slot when two instances with their own pools fire together", async () => {
  const test = await openTestServices();
  // A second instance: its own pool on the same database (the embedded one serves a single connection)
  const secondSql = test.services.db.kind === "postgres"
    ? connect(test.services.db.url, { max: 5 })
    : undefined;
  const second: JobServices = secondSql
    ? { ...test.services, db: { ...test.services.db, sql: secondSql } }
    : test.services;
  try {
    const job = countingJob("two-instances", async () => {
      await new Promise((resolve) => setTimeout(resolve, 50));
      return 7;
    });
    const slots = [0, 1, 2].map((i) => new Date(Date.UTC(2026, 0, 5, 10, i)));
    const outcomes = [];
    for (const slot of slots) {
      // Both instances' crons fire for the same slot at once
      outcomes.push(
        ...await Promise.all([
          runJob(test.services, job, { slot, instance: "a", ...noWait }),
          runJob(second, job, { slot, instance: "b", ...noWait }),
        ]),
      );
    }
    assert.equal(job.calls(), 3);
    assert.equal(outcomes.filter((o) => o.status === "succeeded").length, 3);
    assert.equal(outcomes.filter((o) => o.status === "skipped").length, 3);
    const runs = await test.services.db.sql<{ slot: Date; status: string; rows: number }[]>`
      select slot, status, rows_affected as rows from job_runs where job = 'two-instances' order by slot`;
    assert.deepEqual(
      runs.map((r) => [r.slot.toISOString(), r.status, r.rows]),
      slots.map((s) => [s.toISOString(), "succeeded", 7]),
    );

    // A late firing of a slot that already ran does nothing
    const late = await runJob(second, job, { slot: slots[0], instance: "b", ...noWait });
    assert.equal(late.status, "skipped");
    assert.equal(job.calls(), 3);
  } finally {
    await secondSql?.end({ timeout: 5 });
    await test.close();
  }
});

Deno.test("runJob() retries a failing job with growing backoff and records every attempt", async () => {
  const test = await openTestServices();
  try {
    const waits: number[] = [];
    const job = countingJob("flaky", (call) => {
      if (call < 3) return Promise.reject(new Error(`Source unavailable (call ${call})`));
      return Promise.resolve(2);
    });
    const outcome = await runJob(test.services, job, {
      slot: new Date("2026-01-05T10:00:00Z"),
      backoffMs: (retry) => 1000 * 2 ** retry,
      sleep: (ms) => {
        waits.push(ms);
        return Promise.resolve();
      },
    });
    assert.equal(outcome.status, "succeeded");
    assert.equal(outcome.status === "succeeded" && outcome.attempt, 3);
    assert.deepEqual(waits, [2000, 4000]);
    const runs = await test.services.db.sql<{ attempt: number; status: string; error: string | null }[]>`
      select attempt, status, error from job_runs where job = 'flaky' order by attempt`;
    assert.deepEqual([...runs], [
      { attempt: 1, status: "failed", error: "Source unavailable (call 1)" },
      { attempt: 2, status: "failed", error: "Source unavailable (call 2)" },
      { attempt: 3, status: "succeeded", error: null },
    ]);
    const [{ alerts }] = await test.services.db.sql`select count(*)::int as alerts from alerts`;
    assert.equal(alerts, 0);
  } finally {
    await test.close();
  }
});

Deno.test("runJob() raises one alert when a job keeps failing, and counts later failures on it", async () => {
  const test = await openTestServices();
  const events: string[] = [];
  const stop = test.services.bus.subscribe((event) => events.push(event.type));
  try {
    const job = { ...countingJob("broken", () => Promise.reject(new Error("Disk full"))), attempts: 2 };
    const first = await runJob(test.services, job, { slot: new Date("2026-01-05T10:00:00Z"), ...noWait });
    assert.equal(first.status, "failed");
    assert.equal(first.status === "failed" && first.alerted, true);
    assert.equal(job.calls(), 2);
    await runJob(test.services, job, { slot: new Date("2026-01-05T10:05:00Z"), ...noWait });
    const alerts = await test.services.db.sql<
      { type: string; severity: string; title: string; occurrences: number }[]
    >`
      select type, severity, title, (metadata ->> 'occurrences')::int as occurrences
      from alerts where dedupe_key = 'job_failed:broken'`;
    assert.deepEqual([...alerts], [{
      type: "job_failed",
      severity: "high",
      title: 'Job "broken" failed 2 times in a row',
      occurrences: 2,
    }]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.ok(events.includes("alert.raised"));
    assert.equal(events.filter((type) => type === "job.run").length, 8);
  } finally {
    stop();
    await test.close();
  }
});

Deno.test("runJob() skips a slot while the previous run of the same job is still running", async () => {
  const test = await openTestServices();
  try {
    await test.services.db.sql`
      insert into job_runs (job, slot, attempt, status, started_at)
      values ('slow', '2026-01-05T10:00:00Z', 1, 'running', now() - interval '2 minutes')`;
    const job = countingJob("slow", () => Promise.resolve(1));
    const outcome = await runJob(test.services, job, { slot: new Date("2026-01-05T10:05:00Z"), ...noWait });
    assert.equal(outcome.status === "skipped" && outcome.reason, "still-running");
    assert.equal(job.calls(), 0);
    const [skipped] = await test.services.db.sql<[{ status: string }]>`
      select status from job_runs where job = 'slow' and slot = '2026-01-05T10:05:00Z'`;
    assert.equal(skipped.status, "skipped");
  } finally {
    await test.close();
  }
});

Deno.test("slotOf() puts firings a few seconds apart into the same minute", () => {
  assert.equal(slotOf(new Date("2026-01-05T10:00:00.120Z")).toISOString(), "2026-01-05T10:00:00.000Z");
  assert.equal(slotOf(new Date("2026-01-05T10:00:03.900Z")).toISOString(), "2026-01-05T10:00:00.000Z");
  assert.equal(slotOf(new Date("2026-01-05T10:00:59.500Z")).toISOString(), "2026-01-05T10:01:00.000Z");
});
