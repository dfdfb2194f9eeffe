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

/** Completed sales in a range, exact (views for history, base tables for the rest). */
export async function salesFigures(
  sql: Sql,
  range: TimeRange,
  state?: { cut: Date | null; dirtyBuckets: Date[] },
): Promise<SalesFigures> {
  const [totals, customers] = await Promise.all([
    salesTotals(sql, range, state),
    uniqueCustomers(sql, range),
  ]);
  return {
    ...totals,
    customers,
    averageOrderCents: totals.orders ? Math.round(totals.revenueCents / totals.orders) : 0,
  };
}

/** Transactions the fraud module flagged (review or block) in a range, whatever their status. */
export async function countSuspicious(sql: Sql, range: TimeRange): Promise<number> {
  const [row] = await sql<[{ count: number }]>`
    select count(*)::bigint as count from transactions
    where fraud_decision <> 'allow' and created_at >= ${range[0]} and created_at < ${range[1]}`;
  return row.count;
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

/** Active products at or below their reorder point (10 units when none is set). */
export async function countLowStock(sql: Sql): Promise<number> {
  const [row] = await sql<[{ count: number }]>`
    select count(*)::bigint as count from products
    where is_active and stock_quantity <= coalesce(reorder_point, 10)`;
  return row.count;
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
             sum(total_cents)::bigint as revenue
      from transactions
      where status = 'completed' and created_at >= ${first} and created_at < ${now}
      group by 1
    )
    select m.minute, coalesce(s.orders, 0)::bigint as orders, coalesce(s.revenue, 0)::bigint as "revenueCents"
    from minutes m left join sales s on s.minute = m.minute
    order by m.minute`;
}
