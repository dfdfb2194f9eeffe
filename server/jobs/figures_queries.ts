import type { Sql } from "../db/mod.ts";

/** Slow-to-count figures the dashboard shows, precomputed every minute. */
export interface DashboardFigures {
  /** distinct customers with a completed order in the last 30 days (distinct counts do not add up from views) */
  activeCustomers30d: number;
  /** the same for the 30 days before, for the trend arrow */
  activeCustomersPrevious30d: number;
  customers: number;
  activeProducts: number;
  lowStockProducts: number;
  openAlerts: number;
  suspiciousLast24h: number;
}

const dayMs = 86_400_000;

/** Computes the figures from the base tables and stores them under `overview`. */
export async function computeDashboardFigures(sql: Sql, now: Date): Promise<DashboardFigures> {
  const monthAgo = new Date(now.getTime() - 30 * dayMs);
  const twoMonthsAgo = new Date(now.getTime() - 60 * dayMs);
  const [figures] = await sql<[DashboardFigures]>`
    select
      (select count(distinct customer_id) from transactions
        where created_at >= ${monthAgo} and created_at < ${now} and status = 'completed')::int
        as "activeCustomers30d",
      (select count(distinct customer_id) from transactions
        where created_at >= ${twoMonthsAgo} and created_at < ${monthAgo} and status = 'completed')::int
        as "activeCustomersPrevious30d",
      (select count(*) from customers)::int as customers,
      (select count(*) from products where is_active)::int as "activeProducts",
      (select count(*) from products where is_active and stock_quantity <= coalesce(reorder_point, 10))::int
        as "lowStockProducts",
      (select count(*) from alerts where status <> 'resolved')::int as "openAlerts",
      (select count(*) from transactions
        where created_at >= ${new Date(now.getTime() - dayMs)} and created_at < ${now}
          and fraud_decision <> 'allow')::int as "suspiciousLast24h"`;
  await sql`
    insert into dashboard_figures (name, figures, computed_at)
    values ('overview', ${sql.json(figures as never)}, ${now})
    on conflict (name) do update set figures = excluded.figures, computed_at = excluded.computed_at`;
  return figures;
}

/** The stored figures and when they were computed, or undefined before the first run. */
export async function getDashboardFigures(
  sql: Sql,
): Promise<{ figures: DashboardFigures; computedAt: Date } | undefined> {
  const [row] = await sql<[{ figures: DashboardFigures; computedAt: Date }?]>`
    select figures, computed_at as "computedAt" from dashboard_figures where name = 'overview'`;
  return row;
}
