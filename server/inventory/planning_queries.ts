import type { Sql, TransactionSql } from "../db/mod.ts";
import type { SupplierCandidate, SupplierWeights } from "./supplier_score.ts";

/** A product with what its reorder plan needs from the database (the forecast is read separately). */
export interface PlanningProduct {
  productId: number;
  sku: string;
  name: string;
  category: string;
  stock: number;
  /** Units on purchase orders not yet received. */
  onOrder: number;
  reorderPointOverride: number | null;
  serviceLevel: number;
  targetDays: number;
  /** Offers of active suppliers, reliability from delivery history when there is one. */
  offers: SupplierCandidate[];
}

/** Options of `loadPlanningProducts`. */
export interface PlanningFilter {
  productIds?: readonly number[];
  category?: string;
}

/**
 * Active products (or the given ones) with their stock, stock on order and supplier offers, in one
 * query. A supplier's reliability is its on-time rate over received purchase orders when it has any
 * (an order is on time when received no later than ordered + lead time), else the offer's catalog
 * value, else the supplier's.
 */
export async function loadPlanningProducts(
  sql: Sql | TransactionSql,
  filter: PlanningFilter = {},
): Promise<PlanningProduct[]> {
  return await sql<PlanningProduct[]>`
    with delivery_history as (
      select supplier_id,
             avg(case when received_at <= expected_at then 1.0 else 0.0 end)::float8 as on_time_rate
      from purchase_orders
      where status in ('received', 'closed_short') and received_at is not null
      group by supplier_id
    ),
    on_order as (
      -- units still to come: a partly received order's backorder counts, a closed-short one's does not
      select l.product_id, sum(l.quantity - l.received_quantity)::int4 as units
      from purchase_order_lines l
      join purchase_orders o on o.id = l.purchase_order_id
      where o.status in ('ordered', 'partially_received')
      group by l.product_id
    )
    select p.id as "productId", p.sku, p.name, p.category, p.stock_quantity as stock,
           coalesce(oo.units, 0) as "onOrder", p.reorder_point as "reorderPointOverride",
           p.service_level::float8 as "serviceLevel", p.target_days_of_cover as "targetDays",
           coalesce((
             select json_agg(json_build_object(
                      'supplierId', s.id,
                      'name', s.name,
                      'unitCostCents', ps.unit_cost_cents,
                      'leadTimeDays', ps.lead_time_days,
                      'minOrderQty', ps.min_order_qty,
                      'orderMultiple', ps.order_multiple,
                      'priceBreaks', coalesce((
                        select json_agg(json_build_object('minQty', b.min_qty, 'unitCostCents', b.unit_cost_cents)
                                        order by b.min_qty)
                        from supplier_price_breaks b
                        where b.product_id = ps.product_id and b.supplier_id = ps.supplier_id), '[]'::json),
                      'reliability', coalesce(h.on_time_rate, ps.reliability::float8, s.reliability::float8)
                    ) order by s.id)
             from product_suppliers ps
             join suppliers s on s.id = ps.supplier_id and s.is_active
             left join delivery_history h on h.supplier_id = s.id
             where ps.product_id = p.id
           ), '[]'::json) as offers
    from products p
    left join on_order oo on oo.product_id = p.id
    where ${
    filter.productIds ? sql`p.id = any(${sql.array([...filter.productIds], 20)}::bigint[])` : sql`p.is_active`
  }
      ${filter.category ? sql`and p.category = ${filter.category}` : sql``}
    order by p.id`;
}

/** The supplier-choice weights set for the shop (40/35/25 until changed). */
export async function loadSupplierWeights(sql: Sql | TransactionSql): Promise<SupplierWeights> {
  const [row] = await sql<[SupplierWeights?]>`
    select price_weight::float8 as price, reliability_weight::float8 as reliability,
           delivery_weight::float8 as delivery
    from inventory_settings`;
  return row ?? { price: 0.4, reliability: 0.35, delivery: 0.25 };
}

/** Sets the supplier-choice weights; they are stored as given and normalized when used. */
export async function saveSupplierWeights(
  sql: Sql | TransactionSql,
  weights: SupplierWeights,
): Promise<void> {
  await sql`
    insert into inventory_settings (id, price_weight, reliability_weight, delivery_weight, updated_at)
    values (true, ${weights.price}, ${weights.reliability}, ${weights.delivery}, now())
    on conflict (id) do update set price_weight = excluded.price_weight,
      reliability_weight = excluded.reliability_weight, delivery_weight = excluded.delivery_weight,
      updated_at = now()`;
}
