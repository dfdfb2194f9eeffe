import type { Sql } from "../db/mod.ts";
import type { FraudRules } from "../fraud/mod.ts";
import {
  fraudContextOf,
  type FraudContextRow,
  historySince,
  recentQuantitiesOf,
} from "./fraud_history_queries.ts";
import { ORDER_REF_PREFIX } from "./order_ref.ts";

/** A product as a sale reads it (prices come from here, never from the client). */
export interface CatalogRow {
  id: number;
  sku: string;
  name: string;
  category: string;
  price_cents: number;
  is_active: boolean;
}

export interface CustomerRow {
  code: string;
  name: string;
  email: string | null;
  loyalty_tier: string;
}

/**
 * What a sale reads before its stock lock: its catalog lines, the customer, the fraud history, and
 * an order reference, drawn only when every product is sold and the customer exists (a refused
 * request takes no number; one refused for stock later leaves a gap, as a rollback would).
 */
export interface SaleContextRow {
  catalog: CatalogRow[];
  customer: CustomerRow | null;
  order_ref: string | null;
  /** the drawn number is already used (an import beyond the sequence): draw again */
  ref_taken: boolean;
  fraud: FraudContextRow | null;
}

/** The sale context of one order (any number of lines), in one round trip. */
export async function readSaleContext(
  sql: Sql,
  order: { customerId: number; productIds: number[]; now: Date },
  rules: FraudRules,
  /** products whose usual quantities to read (the instance holds the others) */
  quantityProductIds: number[],
): Promise<SaleContextRow> {
  const { customerId, productIds, now } = order;
  const [row] = await sql<[SaleContextRow]>`
    with s as (
      select ${customerId}::bigint as customer_id, ${now}::timestamptz as at,
        ${historySince(rules, now)}::timestamptz as since, ${
    sql.array(quantityProductIds)
  }::bigint[] as quantity_products
    ),
    catalog as (
      select id, sku, name, category, price_cents, is_active
      from products where id = any(${sql.array(productIds)}::bigint[])
    ),
    customer as (
      select code, name, email, loyalty_tier from customers where id = ${customerId}
    ),
    drawn as (
      select ${ORDER_REF_PREFIX} || nextval('order_ref_seq') as ref
      where exists (select 1 from customer)
        and (select count(*) from catalog where is_active) = ${productIds.length}
    )
    select coalesce((select json_agg(catalog) from catalog), '[]') as catalog,
      (select row_to_json(customer) from customer) as customer,
      (select ref from drawn) as order_ref,
      exists (select 1 from transactions t join drawn on t.order_ref = drawn.ref) as ref_taken,
      (select row_to_json(fraud_context) from (${fraudContextOf(sql, rules)}) fraud_context) as fraud
    from s`;
  return row;
}

/** A one-line sale whose context a batch reads. */
export interface OneLineSaleContext {
  customerId: number;
  productId: number;
  now: Date;
  /** read the product's usual quantity too (the instance does not hold it) */
  readQuantities: boolean;
}

/**
 * The contexts of many one-line sales in ONE statement (what `readSaleContext` reads for each, row by
 * row: the same index probes, planned and sent once for the batch). One row per sale, in order.
 *
 * A product's usual quantity is read once for the batch, however many of its sales ask for it: when the
 * instance's copy of a flash sale's product expires, every sale of the next batch asks, and each read is
 * hundreds of index probes (a batch of 200 took 0.4-0.7 s, every 5 s, and held the sales behind it).
 */
export async function readOneLineSaleContexts(
  sql: Sql,
  sales: OneLineSaleContext[],
  rules: FraudRules,
): Promise<SaleContextRow[]> {
  const quantityProducts = [...new Set(sales.filter((s) => s.readQuantities).map((s) => s.productId))];
  const rows = await sql<(SaleContextRow & { product_quantities: FraudContextRow["quantities"] | null })[]>`
    with u as (
      select * from unnest(${sql.array(sales.map((s) => s.customerId))}::bigint[],
        ${sql.array(sales.map((s) => s.productId))}::bigint[],
        ${sql.array(sales.map((s) => s.now.toISOString()))}::timestamptz[],
        ${sql.array(sales.map((s) => historySince(rules, s.now).toISOString()))}::timestamptz[])
        with ordinality as u(customer_id, product_id, at, since, position)
    ),
    -- each sale's own context reads no quantities: they are read once below
    s as (
      select u.*, '{}'::bigint[] as quantity_products from u
    ),
    product_quantities as (
      select coalesce(json_agg(q), '[]') as quantities
      from (select ${sql.array(quantityProducts)}::bigint[] as quantity_products) s
      cross join lateral (${recentQuantitiesOf(sql)}) q
    ),
    -- each sale's product and customer are read once, and whether it can be sold comes from them (an
    -- exists() of each beside them read both again, and was planned as a hash of every customer)
    read as (
      select s.position, coalesce(product.catalog, '[]') as catalog, coalesce(product.active, false) as active,
        (select row_to_json(c) from (
          select code, name, email, loyalty_tier from customers where id = s.customer_id
        ) c) as customer,
        (select row_to_json(fraud_context) from (${fraudContextOf(sql, rules)}) fraud_context) as fraud
      from s
      left join lateral (
        select json_agg(p) as catalog, bool_and(p.is_active) as active from (
          select id, sku, name, category, price_cents, is_active from products where id = s.product_id
        ) p
      ) product on true
    ),
    drawn as (
      select read.*, case when customer is not null and active
        then ${ORDER_REF_PREFIX} || nextval('order_ref_seq') end as order_ref
      from read
    )
    select catalog, customer, order_ref, fraud,
      order_ref is not null and exists (select 1 from transactions t where t.order_ref = drawn.order_ref) as ref_taken,
      case when position = 1 then (select quantities from product_quantities) end as product_quantities
    from drawn order by position`;
  // the sales that asked get their product's lines, as their own context would have read them
  const byProduct = new Map<number, FraudContextRow["quantities"]>();
  for (const line of rows[0]?.product_quantities ?? []) {
    const product = Number(line.product_id);
    const lines = byProduct.get(product);
    if (lines) lines.push(line);
    else byProduct.set(product, [line]);
  }
  return rows.map(({ product_quantities: _, ...row }, index) => {
    const sale = sales[index];
    if (sale.readQuantities && row.fraud) row.fraud.quantities = byProduct.get(sale.productId) ?? [];
    return row;
  });
}
