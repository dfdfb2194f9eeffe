import type { Sql } from "../db/mod.ts";

export interface SalesFigures {
  revenueCents: number;
  orders: number;
  customers: number;
  averageOrderCents: number;
}

/** Completed sales between two instants, read from the base tables. */
export async function salesBetween(sql: Sql, from: Date, to: Date): Promise<SalesFigures> {
  const [row] = await sql<[{ revenue: number; orders: number; customers: number }]>`
    select coalesce(sum(total_cents), 0) as revenue,
           count(*) as orders,
           count(distinct customer_id) as customers
    from transactions
    where status = 'completed' and created_at >= ${from} and created_at < ${to}`;
  return {
    revenueCents: row.revenue,
    orders: row.orders,
    customers: row.customers,
    averageOrderCents: row.orders ? Math.round(row.revenue / row.orders) : 0,
  };
}
