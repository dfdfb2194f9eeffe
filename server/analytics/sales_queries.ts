import type { Sql } from "../db/mod.ts";
import { planCoverage, type TimeRange } from "../views/coverage.ts";
import { countDistinctCustomers } from "../views/customer_sets.ts";
import { inBaseRanges, planViewRead } from "../views/view_reads.ts";
import { isWholeHourZone } from "../shared/store_time.ts";

/** Completed sales in a span: orders, revenue and units sold. */
export interface SalesTotals {
  orders: number;
  revenueCents: number;
  units: number;
}

/** One bucket of a sales series; `start` is the local hour or day start in the store's zone. */
export interface SalesBucket extends SalesTotals {
  start: Date;
}

/**
 * Completed sales in `[from, to)` per store-local hour or day, zero-filled: whole UTC hours from
 * hourly_sales_mv, the rest (edges, the part after the refresh, changed hours) from transactions.
 * In a zone off the whole hour (Asia/Kolkata) view hours straddle local hours, so it reads only
 * the base table there.
 */
export async function salesSeries(
  sql: Sql,
  range: TimeRange,
  options: {
    timeZone: string;
    granularity: "hour" | "day";
    /** the view's state read once for several ranges (`readViewState` over a range covering them) */
    state?: { cut: Date | null; dirtyBuckets: Date[] };
  },
): Promise<SalesBucket[]> {
  const { timeZone, granularity } = options;
  const [from, to] = range;
  if (to.getTime() <= from.getTime()) return [];
  let plan = options.state
    ? planCoverage(range, { bucketMs: 3_600_000, ...options.state })
    : await planViewRead(sql, "hourly_sales_mv", range, "hour");
  if (!isWholeHourZone(timeZone, [from, to])) {
    plan = { viewFrom: from, viewTo: from, skipBuckets: [], baseRanges: [[from, to]] };
  }
  const series = bucketSeries(sql, range, timeZone, granularity);
  return await sql<SalesBucket[]>`
    with series as (${series}),
    sales as (
      select date_trunc(${granularity}, m.hour, ${timeZone}) as start,
             m.orders, m.revenue_cents, m.units
      from hourly_sales_mv m
      where m.hour >= ${plan.viewFrom} and m.hour < ${plan.viewTo}
        and m.hour <> all(${plan.skipBuckets.map((d) => d.toISOString())}::timestamptz[])
      union all
      select date_trunc(${granularity}, t.created_at, ${timeZone}), 1, t.total_cents - t.refunded_cents, t.item_count
      from transactions t
      where (${inBaseRanges(sql, "t.created_at", plan)}) and t.status = 'completed'
    )
    select s.start,
           coalesce(sum(x.orders), 0)::bigint as orders,
           coalesce(sum(x.revenue_cents), 0)::bigint as "revenueCents",
           coalesce(sum(x.units), 0)::bigint as units
    from series s left join sales x on x.start = s.start
    group by s.start
    order by s.start`;
}

/** The store-local hour or day starts covering `[from, to)`, as a SQL fragment. */
function bucketSeries(sql: Sql, [from, to]: TimeRange, timeZone: string, granularity: "hour" | "day") {
  return granularity === "hour"
    ? sql`
      select generate_series(date_trunc('hour', ${from}::timestamptz, ${timeZone}),
                             ${to}::timestamptz - interval '1 microsecond', interval '1 hour') as start`
    : sql`
      select (d::date::timestamp at time zone ${timeZone}) as start
      from generate_series((${from}::timestamptz at time zone ${timeZone})::date,
                           ((${to}::timestamptz - interval '1 microsecond') at time zone ${timeZone})::date,
                           interval '1 day') d`;
}

/**
 * One category's completed sales in `[from, to)` per store-local hour or day, zero-filled: its lines' net
 * revenue and units, and the orders with a line in it. Read from the base tables (the rollups are
 * shop-wide), as the Analytics page's category filter asks.
 */
export async function categorySalesSeries(
  sql: Sql,
  range: TimeRange,
  options: { timeZone: string; granularity: "hour" | "day"; category: string },
): Promise<SalesBucket[]> {
  const { timeZone, granularity, category } = options;
  const [from, to] = range;
  if (to.getTime() <= from.getTime()) return [];
  return await sql<SalesBucket[]>`
    with series as (${bucketSeries(sql, range, timeZone, granularity)}),
    sales as (
      select date_trunc(${granularity}, t.created_at, ${timeZone}) as start, t.id,
             i.line_total_cents - i.refunded_cents as revenue_cents, i.quantity as units
      from transactions t
      join transaction_items i on i.transaction_id = t.id
      join products p on p.id = i.product_id
      where t.created_at >= ${from} and t.created_at < ${to} and t.status = 'completed'
        and lower(p.category) = lower(${category})
    )
    select s.start,
           count(distinct x.id)::bigint as orders,
           coalesce(sum(x.revenue_cents), 0)::bigint as "revenueCents",
           coalesce(sum(x.units), 0)::bigint as units
    from series s left join sales x on x.start = s.start
    group by s.start
    order by s.start`;
}

/**
 * Completed sales in `[from, to)`, exact: hourly_sales_mv for whole hours plus the base-table rest.
 * @param state the view's state read once for several ranges (`readViewState` over a range covering them)
 */
export async function salesTotals(
  sql: Sql,
  range: TimeRange,
  state?: { cut: Date | null; dirtyBuckets: Date[] },
): Promise<SalesTotals> {
  const [from, to] = range;
  if (to.getTime() <= from.getTime()) return { orders: 0, revenueCents: 0, units: 0 };
  const plan = state
    ? planCoverage(range, { bucketMs: 3_600_000, ...state })
    : await planViewRead(sql, "hourly_sales_mv", range, "hour");
  const [row] = await sql<[SalesTotals]>`
    select coalesce(sum(orders), 0)::bigint as orders,
           coalesce(sum(revenue_cents), 0)::bigint as "revenueCents",
           coalesce(sum(units), 0)::bigint as units
    from (
      select m.orders, m.revenue_cents, m.units
      from hourly_sales_mv m
      where m.hour >= ${plan.viewFrom} and m.hour < ${plan.viewTo}
        and m.hour <> all(${plan.skipBuckets.map((d) => d.toISOString())}::timestamptz[])
      union all
      select count(*), sum(t.total_cents - t.refunded_cents), sum(t.item_count)
      from transactions t
      where (${inBaseRanges(sql, "t.created_at", plan)}) and t.status = 'completed'
    ) x`;
  return row;
}

/**
 * Distinct customers with a completed sale in `[from, to)`, exact. Distinct counts do not add up
 * across rollup buckets, so whole UTC days come from the daily customer sets (bitmaps OR-ed per
 * chunk) and only the rest from transactions (server/views/customer_sets.ts).
 * @param state the sets' state read once for several ranges (`readCustomerSetsState` over a range covering them)
 */
export function uniqueCustomers(
  sql: Sql,
  range: TimeRange,
  state?: { cut: Date | null; dirtyBuckets: Date[] },
): Promise<number> {
  return countDistinctCustomers(sql, range, state);
}
