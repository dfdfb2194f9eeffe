import type { Sql, TransactionSql } from "../db/mod.ts";
import { type CustomerSets, customerSets, refreshCustomerSets } from "./customer_sets.ts";
import { type HourlyRollup, hourlyRollups, refreshHourlyRollup } from "./rollups.ts";

/**
 * The materialized views something reads, in refresh order (the reference's other two,
 * dashboard_overview_mv and supplier_performance_mv, were read by no code: migration 0090).
 */
export const materializedViews = [
  "hourly_sales_mv",
  "top_products_mv",
  "category_performance_mv",
  "customer_segments_mv",
] as const;

export type MaterializedView = (typeof materializedViews)[number];

/** Tables kept incrementally: the hourly rollups and the daily customer sets. */
export const incrementalRollups = [...hourlyRollups, customerSets] as const;
type IncrementalRollup = HourlyRollup | CustomerSets;

/** Everything `refreshMaterializedViews` brings up to date: the views, then the incremental rollups. */
export const refreshedViews = [...materializedViews, ...incrementalRollups] as const;
export type RefreshedView = MaterializedView | IncrementalRollup;

/** One view's refresh: the instant it reflects and how long it took. */
export interface ViewRefresh {
  view: RefreshedView;
  /** every transaction committed before this instant is in the view */
  watermark: Date;
  durationMs: number;
}

/**
 * Refreshes the materialized views CONCURRENTLY (readers never wait), then the hourly rollup
 * tables and the daily customer sets incrementally, and records each one's watermark and duration in
 * `materialized_view_refreshes`. Publishing `views.refreshed` is the caller's job (the scheduled
 * job does it), so this stays a plain database function.
 * @param sql the pool
 * @param options `views` to refresh a subset
 */
export async function refreshMaterializedViews(
  sql: Sql,
  options: { views?: readonly RefreshedView[] } = {},
): Promise<ViewRefresh[]> {
  const results: ViewRefresh[] = [];
  const selected = options.views ?? refreshedViews;
  for (const view of materializedViews.filter((name) => selected.includes(name))) {
    const started = performance.now();
    const watermark = await sql.begin(async (tx) => {
      // hourly_sales_mv truncates with the session time zone: its buckets must be UTC hours
      await tx`set local time zone 'UTC'`;
      // Read committed: the refresh below takes a newer snapshot, so everything committed before
      // this instant is in it. Rows of transactions still running now are caught by the readers'
      // settling margin (server/views/view_reads.ts).
      const [{ now }] = await tx<[{ now: Date }]>`select clock_timestamp() as now`;
      await tx`refresh materialized view concurrently ${tx(view)}`;
      await analyzeIfStale(tx, view);
      const durationMs = Math.round(performance.now() - started);
      // Recorded in the same transaction: a reader never pairs the new view with the old watermark
      await tx`
        insert into materialized_view_refreshes (view_name, refreshed_at, watermark, duration_ms)
        values (${view}, clock_timestamp(), ${now}, ${durationMs})
        on conflict (view_name) do update
          set refreshed_at = excluded.refreshed_at, watermark = excluded.watermark,
              duration_ms = excluded.duration_ms`;
      return now;
    });
    results.push({ view, watermark, durationMs: Math.round(performance.now() - started) });
  }
  for (const rollup of incrementalRollups.filter((name) => selected.includes(name))) {
    results.push(await refreshRollup(sql, rollup));
  }
  return results;
}

/**
 * Gathers planner statistics for a view or rollup that has none, or changed by more than a tenth
 * since its last ANALYZE, as autovacuum would. The embedded database has no autovacuum and some
 * servers run without it: a never-analyzed view is planned as if empty, and its reads were 1-2 ms
 * slower at 10 M transactions (docs/performance.md).
 */
async function analyzeIfStale(tx: TransactionSql, table: RefreshedView): Promise<void> {
  const [row] = await tx<[{ stale: boolean }?]>`
    select c.reltuples < 0 or coalesce(s.n_mod_since_analyze, 0) > 50 + 0.1 * greatest(c.reltuples, 0) as stale
    from pg_class c left join pg_stat_user_tables s on s.relid = c.oid
    where c.oid = to_regclass(${table})`;
  if (row?.stale) await tx`analyze ${tx(table)}`;
}

// Two refreshers at once would delete and insert the same hours: they take turns on this lock
const rollupLockKey = 726_151_030;

async function refreshRollup(sql: Sql, rollup: IncrementalRollup): Promise<ViewRefresh> {
  const started = performance.now();
  const watermark = await sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(${rollupLockKey})`;
    const [{ now }] = await tx<[{ now: Date }]>`select clock_timestamp() as now`;
    const [previous] = await tx<[{ watermark: Date }?]>`
      select watermark from materialized_view_refreshes where view_name = ${rollup}`;
    if (rollup === customerSets) await refreshCustomerSets(tx, previous?.watermark ?? null);
    else await refreshHourlyRollup(tx, rollup, previous?.watermark ?? null);
    await analyzeIfStale(tx, rollup);
    const durationMs = Math.round(performance.now() - started);
    await tx`
      insert into materialized_view_refreshes (view_name, refreshed_at, watermark, duration_ms)
      values (${rollup}, clock_timestamp(), ${now}, ${durationMs})
      on conflict (view_name) do update
        set refreshed_at = excluded.refreshed_at, watermark = excluded.watermark, duration_ms = excluded.duration_ms`;
    return now;
  });
  return { view: rollup, watermark, durationMs: Math.round(performance.now() - started) };
}
