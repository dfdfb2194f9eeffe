/**
 * Small fixtures for inventory tests: suppliers, products, offers and sales inserted with plain SQL.
 * Test helper only.
 * @module
 */
import type { Sql } from "../db/mod.ts";

let counter = 0;
function unique(prefix: string): string {
  counter += 1;
  return `${prefix}-${counter}-${crypto.randomUUID().slice(0, 8)}`;
}

/** Inserts a supplier and returns its id. */
export async function insertSupplier(
  sql: Sql,
  fields: { name?: string; reliability?: number } = {},
): Promise<number> {
  const [row] = await sql<[{ id: number }]>`
    insert into suppliers (code, name, reliability)
    values (${unique("SUP")}, ${fields.name ?? "Supplier"}, ${fields.reliability ?? 0.9})
    returning id`;
  return row.id;
}

/** Inserts a product and returns its id. */
export async function insertProduct(
  sql: Sql,
  fields: {
    name?: string;
    category?: string;
    priceCents?: number;
    stock?: number;
    reorderPoint?: number | null;
    serviceLevel?: number;
    targetDays?: number;
    active?: boolean;
  } = {},
): Promise<number> {
  const [row] = await sql<[{ id: number }]>`
    insert into products (sku, name, category, price_cents, cost_cents, stock_quantity, reorder_point,
                          service_level, target_days_of_cover, is_active)
    values (${unique("SKU")}, ${fields.name ?? "Product"}, ${fields.category ?? "Accessories"},
            ${fields.priceCents ?? 1000}, ${Math.round((fields.priceCents ?? 1000) * 0.6)}, ${
    fields.stock ?? 0
  },
            ${fields.reorderPoint ?? null}, ${fields.serviceLevel ?? 0.95}, ${fields.targetDays ?? 30},
            ${fields.active ?? true})
    returning id`;
  return row.id;
}

/** Offers a product from a supplier. */
export async function insertOffer(
  sql: Sql,
  offer: {
    productId: number;
    supplierId: number;
    unitCostCents: number;
    leadTimeDays: number;
    minOrderQty?: number;
    reliability?: number | null;
    /** pack size */
    orderMultiple?: number;
    priceBreaks?: { minQty: number; unitCostCents: number }[];
  },
): Promise<void> {
  await sql`
    insert into product_suppliers (product_id, supplier_id, unit_cost_cents, lead_time_days, min_order_qty, reliability,
                                   order_multiple)
    values (${offer.productId}, ${offer.supplierId}, ${offer.unitCostCents}, ${offer.leadTimeDays},
            ${offer.minOrderQty ?? 1}, ${offer.reliability ?? null}, ${offer.orderMultiple ?? 1})`;
  for (const priceBreak of offer.priceBreaks ?? []) {
    await sql`
      insert into supplier_price_breaks (product_id, supplier_id, min_qty, unit_cost_cents)
      values (${offer.productId}, ${offer.supplierId}, ${priceBreak.minQty}, ${priceBreak.unitCostCents})`;
  }
}

/** Inserts a customer and returns its id. */
export async function insertCustomer(sql: Sql, fields: { name?: string } = {}): Promise<number> {
  const [row] = await sql<[{ id: number }]>`
    insert into customers (code, name) values (${unique("CUS")}, ${fields.name ?? "Customer"}) returning id`;
  return row.id;
}

/** A test sale: when, what, and optionally who, its status and its fraud decision. */
export interface SaleFixture {
  at: Date;
  items: { productId: number; quantity: number }[];
  customerId?: number | null;
  status?: "completed" | "refunded" | "cancelled" | "pending";
  fraudDecision?: "allow" | "review" | "block";
}

/**
 * Inserts a sale of some products at an instant; prices come from the catalog. Returns its id.
 * `updatedAt` defaults to now and `refundedAt` to `at` for a refunded sale.
 */
export async function insertSale(
  sql: Sql,
  sale: SaleFixture & { updatedAt?: Date; refundedAt?: Date | null },
): Promise<number> {
  const ids = sale.items.map((item) => item.productId);
  const prices = new Map(
    (await sql<{ id: number; price: number }[]>`
      select id, price_cents as price from products where id = any(${sql.array(ids, 20)}::bigint[])`)
      .map((row) => [row.id, row.price]),
  );
  const total = sale.items.reduce((sum, item) => sum + item.quantity * (prices.get(item.productId) ?? 0), 0);
  const units = sale.items.reduce((sum, item) => sum + item.quantity, 0);
  const [row] = await sql<[{ id: number }]>`
    insert into transactions (order_ref, customer_id, status, payment_method, subtotal_cents, total_cents,
                              item_count, fraud_decision, created_at, updated_at, refunded_at)
    values (${unique("ORD")}, ${sale.customerId ?? null}, ${sale.status ?? "completed"}, 'card', ${total},
            ${total}, ${units}, ${sale.fraudDecision ?? "allow"}, ${sale.at}, ${sale.updatedAt ?? sql`now()`},
            ${sale.refundedAt !== undefined ? sale.refundedAt : sale.status === "refunded" ? sale.at : null})
    returning id`;
  for (const item of sale.items) {
    await sql`
      insert into transaction_items (transaction_id, product_id, quantity, unit_price_cents)
      values (${row.id}, ${item.productId}, ${item.quantity}, ${prices.get(item.productId) ?? 0})`;
  }
  return row.id;
}

/** Inserts one completed sale per day with `units[i]` units on day `i` after `firstDay` (midday UTC). */
export async function insertDailySales(
  sql: Sql,
  productId: number,
  firstDay: string,
  units: readonly number[],
): Promise<void> {
  const start = Date.parse(`${firstDay}T12:00:00Z`);
  for (let day = 0; day < units.length; day++) {
    if (units[day] <= 0) continue;
    await insertSale(sql, {
      at: new Date(start + day * 86_400_000),
      items: [{ productId, quantity: units[day] }],
    });
  }
}

/**
 * A phone selling 10 a day for 8 weeks (30 in stock) from PackCo, which ships packs of 100 at £10.00
 * a unit, less from the given breaks: a product whose next suggestion meets a pack size and a break.
 */
export async function insertPackedSeller(
  sql: Sql,
  priceBreaks: { minQty: number; unitCostCents: number }[],
): Promise<{ supplierId: number; productId: number }> {
  const supplierId = await insertSupplier(sql, { name: "PackCo", reliability: 0.95 });
  const productId = await insertProduct(sql, { name: "Pack Phone", stock: 30, category: "Phones" });
  await insertOffer(sql, {
    productId,
    supplierId,
    unitCostCents: 1000,
    leadTimeDays: 5,
    orderMultiple: 100,
    priceBreaks,
  });
  const firstDay = new Date(Date.now() - 56 * 86_400_000).toISOString().slice(0, 10);
  await insertDailySales(sql, productId, firstDay, new Array(56).fill(10));
  return { supplierId, productId };
}
