import type { Sql } from "../db/mod.ts";
import type { TimeRange } from "../views/coverage.ts";
import { inBaseRanges, inRanges, planLayeredRead, utcDate } from "../views/view_reads.ts";
import { listProductIdsRunningShort } from "../inventory/inventory_reads.ts";

export interface TopProduct {
  productId: number;
  sku: string;
  name: string;
  category: string;
  units: number;
  revenueCents: number;
  orders: number;
}

/**
 * Best sellers in `[from, to)` by revenue or units, exact: whole UTC days from top_products_mv,
 * whole hours around them from product_hourly_sales, partial and changed hours from the base tables.
 */
export async function listTopProducts(
  sql: Sql,
  range: TimeRange,
  options: { by: "revenue" | "units"; limit: number; category?: string },
): Promise<TopProduct[]> {
  const layers = await planLayeredRead(
    sql,
    { day: "top_products_mv", hour: "product_hourly_sales" },
    range,
  );
  const plan = layers.day;
  const order = options.by === "units"
    ? sql`x.units desc, x.revenue desc`
    : sql`x.revenue desc, x.units desc`;
  return await sql<TopProduct[]>`
    with x as (
      select product_id, sum(units)::bigint as units, sum(revenue)::bigint as revenue, sum(orders)::bigint as orders
      from (
        select m.product_id, m.units, m.revenue_cents as revenue, m.orders
        from top_products_mv m
        where m.day >= ${utcDate(plan.viewFrom)}::date and m.day < ${utcDate(plan.viewTo)}::date
          and m.day <> all(${plan.skipBuckets.map(utcDate)}::date[])
        union all
        select h.product_id, h.units, h.revenue_cents, h.orders
        from product_hourly_sales h
        where (${inRanges(sql, "h.hour", layers.hourRanges)})
          and h.hour <> all(${layers.hourSkips.map((d) => d.toISOString())}::timestamptz[])
        union all
        select i.product_id, sum(i.quantity), sum(i.line_total_cents - i.refunded_cents), count(distinct t.id)
        from transactions t
        join transaction_items i on i.transaction_id = t.id
        where (${inBaseRanges(sql, "t.created_at", layers)}) and t.status = 'completed'
        group by i.product_id
      ) u
      group by product_id
    )
    select p.id as "productId", p.sku, p.name, p.category, x.units, x.revenue as "revenueCents", x.orders
    from x join products p on p.id = x.product_id
    where ${options.category ?? null}::text is null or lower(p.category) = lower(${options.category ?? null})
    order by ${order}, p.id
    limit ${options.limit}`;
}

export interface CategoryPerformance {
  category: string;
  revenueCents: number;
  units: number;
  costCents: number;
  marginCents: number;
  /** margin over revenue, 0..1 (0 when there is no revenue) */
  marginRate: number;
  orders: number;
  /** this category's part of all revenue in the range, 0..1 */
  revenueShare: number;
}

/**
 * Revenue, units, margin, orders and revenue share per category in `[from, to)`, exact: whole UTC
 * days from category_performance_mv, edge hours from category_hourly_sales, the rest from the
 * base tables. Cost is the catalog cost per unit.
 */
export async function listCategoryPerformance(sql: Sql, range: TimeRange): Promise<CategoryPerformance[]> {
  const layers = await planLayeredRead(sql, {
    day: "category_performance_mv",
    hour: "category_hourly_sales",
  }, range);
  const plan = layers.day;
  const rows = await sql<Omit<CategoryPerformance, "marginCents" | "marginRate" | "revenueShare">[]>`
    select category, sum(revenue)::bigint as "revenueCents", sum(units)::bigint as units,
           sum(cost)::bigint as "costCents", sum(orders)::bigint as orders
    from (
      select m.category, m.revenue_cents as revenue, m.units, m.cost_cents as cost, m.orders
      from category_performance_mv m
      where m.day >= ${utcDate(plan.viewFrom)}::date and m.day < ${utcDate(plan.viewTo)}::date
        and m.day <> all(${plan.skipBuckets.map(utcDate)}::date[])
      union all
      select h.category, h.revenue_cents, h.units, h.cost_cents, h.orders
      from category_hourly_sales h
      where (${inRanges(sql, "h.hour", layers.hourRanges)})
        and h.hour <> all(${layers.hourSkips.map((d) => d.toISOString())}::timestamptz[])
      union all
      select p.category, sum(i.line_total_cents - i.refunded_cents), sum(i.quantity), sum(i.quantity * coalesce(p.cost_cents, 0)),
             count(distinct t.id)
      from transactions t
      join transaction_items i on i.transaction_id = t.id
      join products p on p.id = i.product_id
      where (${inBaseRanges(sql, "t.created_at", layers)}) and t.status = 'completed'
      group by p.category
    ) u
    group by category
    order by 2 desc, category`;
  const total = rows.reduce((sum, row) => sum + row.revenueCents, 0);
  return rows.map((row) => ({
    ...row,
    marginCents: row.revenueCents - row.costCents,
    marginRate: row.revenueCents ? (row.revenueCents - row.costCents) / row.revenueCents : 0,
    revenueShare: total ? row.revenueCents / total : 0,
  }));
}

export interface CustomerSegment {
  segment: string;
  customers: number;
  /** this segment's part of all customers with a pattern, 0..1 */
  customerShare: number;
  revenueCents: number;
  orders: number;
  averageRecencyDays: number;
  averageOrderCents: number;
}

/**
 * RFM segments from customer_purchase_patterns: customer_segments_mv when it was refreshed after
 * the patterns were last computed, otherwise the patterns table itself (so it is never stale).
 */
export async function listCustomerSegments(
  sql: Sql,
  options: { category?: string } = {},
): Promise<{ segments: CustomerSegment[]; computedAt: Date | null }> {
  const [state] = await sql<[{ refreshedAt: Date | null; computedAt: Date | null }]>`
    select (select refreshed_at from materialized_view_refreshes where view_name = 'customer_segments_mv')
             as "refreshedAt",
           (select max(computed_at) from customer_purchase_patterns) as "computedAt"`;
  // by category: the customers whose favourite category it is, from the patterns themselves
  const fresh = options.category === undefined && state.refreshedAt !== null && state.computedAt !== null &&
    state.refreshedAt >= state.computedAt;
  const rows = fresh
    ? await sql<Omit<CustomerSegment, "customerShare">[]>`
      select segment, customers, revenue_cents as "revenueCents", orders,
             average_recency_days as "averageRecencyDays", average_order_cents as "averageOrderCents"
      from customer_segments_mv`
    : await sql<Omit<CustomerSegment, "customerShare">[]>`
      select segment, count(*)::bigint as customers, sum(monetary_cents)::bigint as "revenueCents",
             sum(frequency)::bigint as orders, avg(recency_days)::real as "averageRecencyDays",
             (sum(monetary_cents) / greatest(sum(frequency), 1))::bigint as "averageOrderCents"
      from customer_purchase_patterns
      where ${options.category ?? null}::text is null or lower(favourite_category) = lower(${
      options.category ?? null
    })
      group by segment`;
  const total = rows.reduce((sum, row) => sum + row.customers, 0);
  const segments = rows
    .map((row) => ({
      ...row,
      averageRecencyDays: Math.round(row.averageRecencyDays * 10) / 10,
      customerShare: total ? row.customers / total : 0,
    }))
    .sort((a, b) => b.revenueCents - a.revenueCents || a.segment.localeCompare(b.segment));
  return { segments, computedAt: state.computedAt };
}

export interface SupplierPerformance {
  supplierId: number;
  name: string;
  products: number;
  averageLeadTimeDays: number;
  reliability: number;
  averageUnitCostCents: number;
  lowStockProducts: number;
}

/**
 * Per supplier: products offered, lead time, reliability, cost and low-stock products. These are
 * catalog facts (a few rows per supplier), so they are read live rather than from
 * supplier_performance_mv, which would lag behind catalog edits by up to a refresh interval.
 */
export async function listSupplierPerformance(
  sql: Sql,
  options: { timeZone: string; now: Date; category?: string },
): Promise<SupplierPerformance[]> {
  const category = options.category ?? null;
  // "Low stock" is the one running-short rule (server/inventory/stock_alerts.ts)
  const short = await listProductIdsRunningShort(sql, options);
  return await sql<SupplierPerformance[]>`
    select s.id as "supplierId", s.name,
           count(ps.product_id)::bigint as products,
           round(coalesce(avg(ps.lead_time_days), 0), 1)::float8 as "averageLeadTimeDays",
           round(coalesce(avg(coalesce(ps.reliability, s.reliability)), s.reliability), 3)::float8 as reliability,
           coalesce(round(avg(ps.unit_cost_cents)), 0)::bigint as "averageUnitCostCents",
           (count(ps.product_id) filter (
             where p.is_active and p.id = any(${short}::int[])))::bigint as "lowStockProducts"
    from suppliers s
    left join product_suppliers ps on ps.supplier_id = s.id
      and (${category}::text is null or exists (
        select 1 from products c where c.id = ps.product_id and lower(c.category) = lower(${category})))
    left join products p on p.id = ps.product_id
    where s.is_active
    group by s.id, s.name, s.reliability
    having ${category}::text is null or count(ps.product_id) > 0
    order by reliability desc, s.name`;
}
