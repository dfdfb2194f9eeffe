import type { Sql } from "../db/mod.ts";
import { salesTotals, uniqueCustomers } from "../analytics/sales_queries.ts";
import type { TimeRange } from "../views/coverage.ts";

export interface SalesFigures {
  revenueCents: number;
  orders: number;
  units: number;
  customers: number;
  averageOrderCents: number;
}

/** A view's cut and changed buckets, read once for several ranges (server/views/view_reads.ts). */
type ViewState = { cut: Date | null; dirtyBuckets: Date[] };

/**
 * Completed sales in a range, exact (views and rollups for history, base tables for the rest).
 * @param options `state`: hourly_sales_mv's state, `customerState`: the customer sets' state, each
 *   read once for several ranges
 */
export async function salesFigures(
  sql: Sql,
  range: TimeRange,
  options: { state?: ViewState; customerState?: ViewState } = {},
): Promise<SalesFigures> {
  const [totals, customers] = await Promise.all([
    salesTotals(sql, range, options.state),
    uniqueCustomers(sql, range, options.customerState),
  ]);
  return {
    ...totals,
    customers,
    averageOrderCents: totals.orders ? Math.round(totals.revenueCents / totals.orders) : 0,
  };
}

/**
 * Transactions the fraud module flagged (review or block) in each range, whatever their status,
 * from one scan of the flagged-transactions index over the ranges' span.
 */
export async function countSuspiciousIn(sql: Sql, ranges: TimeRange[]): Promise<number[]> {
  if (ranges.length === 0) return [];
  const from = new Date(Math.min(...ranges.map(([a]) => a.getTime())));
  const to = new Date(Math.max(...ranges.map(([, b]) => b.getTime())));
  const counts = ranges
    .map(([a, b], i) =>
      sql`count(*) filter (where created_at >= ${a} and created_at < ${b})::bigint as ${sql(`r${i}`)}`
    )
    .reduce((all, part) => sql`${all}, ${part}`);
  const [row] = await sql<[Record<string, number>]>`
    select ${counts} from transactions
    where fraud_decision <> 'allow' and created_at >= ${from} and created_at < ${to}`;
  return ranges.map((_, i) => row[`r${i}`]);
}

/** Transactions the fraud module flagged (review or block) in a range, whatever their status. */
export async function countSuspicious(sql: Sql, range: TimeRange): Promise<number> {
  const [count] = await countSuspiciousIn(sql, [range]);
  return count;
}

export const severities = ["critical", "high", "medium", "low", "info"] as const;

/** Unresolved alerts per severity now, and how many were unresolved at `previousAt`. */
export async function countOpenAlerts(
  sql: Sql,
  previousAt: Date,
): Promise<
  { bySeverity: Record<(typeof severities)[number], number>; total: number; previousTotal: number }
> {
  const rows = await sql<{ severity: (typeof severities)[number]; open: number; before: number }[]>`
    select severity,
           count(*) filter (where status <> 'resolved')::bigint as open,
           count(*) filter (where created_at <= ${previousAt}
                              and (resolved_at is null or resolved_at > ${previousAt}))::bigint as before
    from alerts
    where status <> 'resolved' or resolved_at > ${previousAt}
    group by severity`;
  const bySeverity = Object.fromEntries(severities.map((s) => [s, 0])) as Record<
    (typeof severities)[number],
    number
  >;
  let total = 0;
  let previousTotal = 0;
  for (const row of rows) {
    bySeverity[row.severity] = row.open;
    total += row.open;
    previousTotal += row.before;
  }
  return { bySeverity, total, previousTotal };
}

/** Orders and revenue per minute for the `minutes` minutes up to `now`, zero-filled, oldest first. */
export async function salesPerMinute(
  sql: Sql,
  now: Date,
  minutes: number,
): Promise<{ minute: Date; orders: number; revenueCents: number }[]> {
  const last = new Date(Math.floor(now.getTime() / 60_000) * 60_000);
  const first = new Date(last.getTime() - (minutes - 1) * 60_000);
  return await sql<{ minute: Date; orders: number; revenueCents: number }[]>`
    with minutes as (
      select generate_series(${first}::timestamptz, ${last}::timestamptz, interval '1 minute') as minute
    ),
    sales as (
      select date_trunc('minute', created_at, 'UTC') as minute, count(*)::bigint as orders,
             sum(total_cents - refunded_cents)::bigint as revenue
      from transactions
      where status = 'completed' and created_at >= ${first} and created_at < ${now}
      group by 1
    )
    select m.minute, coalesce(s.orders, 0)::bigint as orders, coalesce(s.revenue, 0)::bigint as "revenueCents"
    from minutes m left join sales s on s.minute = m.minute
    order by m.minute`;
}
