import type { Sql, TransactionSql } from "../db/mod.ts";
import { type CoveragePlan, planCoverage, type TimeRange } from "./coverage.ts";

// A view or rollup by the name its refresh is recorded under in `materialized_view_refreshes`
// (refresh.ts lists them). A name, not refresh.ts's union type: refresh.ts imports the rollups that
// read through this file, and the import back would close a cycle.
type RefreshedView = string;

/**
 * How long a transaction may stay uncommitted after taking its `created_at`: rows that old are
 * surely in a refresh that started after them. Newer ones are read from the base tables.
 */
export const settleMs = 2 * 60_000;

const bucketMs = { hour: 3_600_000, day: 86_400_000 } as const;

/** The UTC bucket size of a view. */
export type ViewUnit = keyof typeof bucketMs;

/**
 * Plans an exact read of `range` from `view` plus the base tables: the view answers whole buckets
 * before its watermark (less the settling margin) whose transactions did not change since; the
 * rest (edges, the recent part, buckets touched by refunds, cancels or late imports) is base.
 */
export async function planViewRead(
  sql: Sql,
  view: RefreshedView,
  range: TimeRange,
  unit: ViewUnit,
): Promise<CoveragePlan> {
  return planCoverage(range, { bucketMs: bucketMs[unit], ...await readViewState(sql, view, range, unit) });
}

/** A view's cut (watermark less the settling margin; null if never refreshed) and its dirty buckets in `range`. */
export async function readViewState(
  sql: Sql,
  view: RefreshedView,
  range: TimeRange,
  unit: ViewUnit,
): Promise<{ cut: Date | null; dirtyBuckets: Date[] }> {
  const [refresh] = await sql<[{ watermark: Date }?]>`
    select watermark from materialized_view_refreshes where view_name = ${view}`;
  if (!refresh) return { cut: null, dirtyBuckets: [] };
  const since = new Date(refresh.watermark.getTime() - settleMs);
  const [from] = range;
  if (since.getTime() <= from.getTime()) return { cut: since, dirtyBuckets: [] };
  const dirtyBuckets = await changedBuckets(sql, { since, from, before: since, unit });
  return { cut: since, dirtyBuckets };
}

/**
 * Starts of the UTC `unit` buckets in `[from, before)` holding a transaction changed at or after
 * `since`: updated, refunded, cancelled or moved to another status (late imports carry a recent
 * `updated_at` too).
 */
export async function changedBuckets(
  sql: Sql | TransactionSql,
  options: { since: Date; from: Date; before: Date; unit: ViewUnit },
): Promise<Date[]> {
  const { since, from, before, unit } = options;
  // Each arm has its own index; a transaction touched after the refresh dirties its bucket
  const rows = await sql<{ bucket: Date }[]>`
    select date_trunc(${unit}, created_at, 'UTC') as bucket
    from transactions where updated_at >= ${since} and created_at >= ${from} and created_at < ${before}
    union
    select date_trunc(${unit}, created_at, 'UTC')
    from transactions where refunded_at >= ${since} and created_at >= ${from} and created_at < ${before}
    union
    select date_trunc(${unit}, created_at, 'UTC')
    from transactions where cancelled_at >= ${since} and created_at >= ${from} and created_at < ${before}
    union
    select date_trunc(${unit}, t.created_at, 'UTC')
    from transaction_status_changes c join transactions t on t.id = c.transaction_id
    where c.changed_at >= ${since} and t.created_at >= ${from} and t.created_at < ${before}`;
  return rows.map((row) => row.bucket);
}

/** A read in three layers: whole UTC days from a daily view, edge hours from an hourly one, minutes from base. */
export interface LayeredPlan {
  day: CoveragePlan;
  /** ranges of hour buckets the hourly view answers (minus `hourSkips`) */
  hourRanges: TimeRange[];
  hourSkips: Date[];
  baseRanges: TimeRange[];
}

/**
 * Plans `range` over a daily view, then plans what the daily view leaves (edges, the recent part,
 * changed days) over an hourly view; only partial and changed hours reach the base tables.
 */
export async function planLayeredRead(
  sql: Sql,
  views: { day: RefreshedView; hour: RefreshedView },
  range: TimeRange,
): Promise<LayeredPlan> {
  const [day, hourState] = await Promise.all([
    planViewRead(sql, views.day, range, "day"),
    readViewState(sql, views.hour, range, "hour"),
  ]);
  const hourPlans = day.baseRanges.map((piece) =>
    planCoverage(piece, { bucketMs: bucketMs.hour, ...hourState })
  );
  return {
    day,
    hourRanges: hourPlans.filter((p) => p.viewTo > p.viewFrom).map((p) => [p.viewFrom, p.viewTo]),
    hourSkips: hourPlans.flatMap((p) => p.skipBuckets),
    baseRanges: hourPlans.flatMap((p) => p.baseRanges),
  };
}

/**
 * `created_at` inside one of the plan's base ranges, as a SQL condition on `column`. Written out
 * range by range (not as a join on unnest()) so the planner sees each bound, estimates the few
 * rows it selects and joins the items by index instead of hashing the whole items table.
 */
export function inBaseRanges(sql: Sql, column: string, plan: { baseRanges: TimeRange[] }) {
  return inRanges(sql, column, plan.baseRanges);
}

/** `column` inside one of `ranges` (half-open), as a SQL condition; `false` for none. */
export function inRanges(sql: Sql | TransactionSql, column: string, ranges: TimeRange[]) {
  if (ranges.length === 0) return sql`false`;
  return ranges
    .map(([start, end]) => sql`(${sql(column)} >= ${start} and ${sql(column)} < ${end})`)
    .reduce((all, part) => sql`${all} or ${part}`);
}

/** The UTC date (YYYY-MM-DD) of a day bucket start, as day views key their rows. */
export function utcDate(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}
