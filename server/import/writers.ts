import type { TransactionSql } from "../db/mod.ts";
import type { ProductEditable } from "../products/product_queries.ts";
import type { SaleIdentity } from "../fraud/model/identity.ts";
import { lineSummariesOf } from "../transactions/line_summary_queries.ts";

// Rows per statement: column arrays passed to unnest() keep every statement at a handful of
// parameters (one prepared statement per table), so big batches cost no planning
const batchSize = 5000;

export interface SupplierInsert {
  code: string;
  name: string;
  email: string | null;
  country: string | null;
  reliability: number;
}

/** A catalog product to insert: its SKU and editable fields (new products start active). */
export interface ProductInsert extends Omit<ProductEditable, "isActive"> {
  sku: string;
}

export interface ProductSupplierInsert {
  productId: number;
  supplierId: number;
  unitCostCents: number;
  leadTimeDays: number;
  minOrderQty: number;
  reliability: number | null;
}

export interface CustomerInsert {
  code: string;
  name: string;
  email: string | null;
  country: string | null;
  loyaltyTier: string;
  createdAt: Date;
}

export interface TransactionInsert {
  orderRef: string;
  createdAt: Date;
  customerId: number | null;
  status: string;
  paymentMethod: string;
  channel: string;
  subtotalCents: number;
  discountCents: number;
  totalCents: number;
  itemCount: number;
  /** Set when the export was in another currency: what the buyer paid, in that currency's minor units. */
  originalCurrency?: string;
  originalTotalMinor?: number;
  items: { productId: number; quantity: number; unitPriceCents: number }[];
  /** Identity and context the file gave for the sale (fraud features read them as for live sales). */
  identity?: SaleIdentity;
  /** A known outcome: stored as the sale's label, labeled by "import" at the sale's time. */
  fraudLabel?: "fraud" | "legit";
}

/** Inserts suppliers that are not there yet (by code). @returns the codes inserted */
export async function insertSuppliers(tx: TransactionSql, rows: SupplierInsert[]): Promise<Set<string>> {
  const inserted = new Set<string>();
  for (const batch of batches(rows)) {
    const result = await tx<{ code: string }[]>`
      insert into suppliers (code, name, email, country, reliability)
      select * from unnest(
        ${column(batch, (r) => r.code)}::text[], ${column(batch, (r) => r.name)}::text[],
        ${column(batch, (r) => r.email)}::text[], ${column(batch, (r) => r.country)}::text[],
        ${column(batch, (r) => r.reliability)}::numeric[])
      on conflict (code) do nothing
      returning code`;
    for (const row of result) inserted.add(row.code);
  }
  return inserted;
}

/** Inserts products that are not there yet (by sku). @returns the skus inserted */
export async function insertProducts(tx: TransactionSql, rows: ProductInsert[]): Promise<Set<string>> {
  const inserted = new Set<string>();
  for (const batch of batches(rows)) {
    const result = await tx<{ sku: string }[]>`
      insert into products (sku, name, category, brand, price_cents, cost_cents, stock_quantity, reorder_point,
        service_level, target_days_of_cover)
      select * from unnest(
        ${column(batch, (r) => r.sku)}::text[], ${column(batch, (r) => r.name)}::text[],
        ${column(batch, (r) => r.category)}::text[], ${column(batch, (r) => r.brand)}::text[],
        ${column(batch, (r) => r.priceCents)}::int8[], ${column(batch, (r) => r.costCents)}::int8[],
        ${column(batch, (r) => r.stockQuantity)}::int4[], ${column(batch, (r) => r.reorderPoint)}::int4[],
        ${column(batch, (r) => r.serviceLevel)}::numeric[], ${
      column(batch, (r) => r.targetDaysOfCover)
    }::int4[])
      on conflict (sku) do nothing
      returning sku`;
    for (const row of result) inserted.add(row.sku);
  }
  return inserted;
}

/** Inserts supplier offers that are not there yet (by product and supplier). @returns "productId/supplierId" keys inserted */
export async function insertProductSuppliers(
  tx: TransactionSql,
  rows: ProductSupplierInsert[],
): Promise<Set<string>> {
  const inserted = new Set<string>();
  for (const batch of batches(rows)) {
    const result = await tx<{ product_id: number; supplier_id: number }[]>`
      insert into product_suppliers (product_id, supplier_id, unit_cost_cents, lead_time_days, min_order_qty, reliability)
      select * from unnest(
        ${column(batch, (r) => r.productId)}::int8[], ${column(batch, (r) => r.supplierId)}::int8[],
        ${column(batch, (r) => r.unitCostCents)}::int8[], ${column(batch, (r) => r.leadTimeDays)}::int4[],
        ${column(batch, (r) => r.minOrderQty)}::int4[], ${column(batch, (r) => r.reliability)}::numeric[])
      on conflict (product_id, supplier_id) do nothing
      returning product_id, supplier_id`;
    for (const row of result) inserted.add(`${row.product_id}/${row.supplier_id}`);
  }
  return inserted;
}

/** Inserts customers that are not there yet (by code). @returns the codes inserted */
export async function insertCustomers(tx: TransactionSql, rows: CustomerInsert[]): Promise<Set<string>> {
  const inserted = new Set<string>();
  for (const batch of batches(rows)) {
    const result = await tx<{ code: string }[]>`
      insert into customers (code, name, email, country, loyalty_tier, created_at)
      select * from unnest(
        ${column(batch, (r) => r.code)}::text[], ${column(batch, (r) => r.name)}::text[],
        ${column(batch, (r) => r.email)}::text[], ${column(batch, (r) => r.country)}::text[],
        ${column(batch, (r) => r.loyaltyTier)}::text[], ${
      column(batch, (r) => r.createdAt.toISOString())
    }::timestamptz[])
      on conflict (code) do nothing
      returning code`;
    for (const row of result) inserted.add(row.code);
  }
  return inserted;
}

/**
 * Inserts orders not there yet (by order_ref) with their items; an order already present keeps
 * its items untouched. Refunded and cancelled orders get that moment stamped as their order time.
 * @returns the order refs inserted
 */
export async function insertTransactions(
  tx: TransactionSql,
  orders: TransactionInsert[],
  onBatch?: (ordersDone: number) => void,
): Promise<Set<string>> {
  const inserted = new Set<string>();
  let done = 0;
  for (const batch of batches(orders)) {
    // each order's line summary (server/transactions/line_summary.ts) goes in with its row, from its lines
    // and their products' categories: `position` is the order's place in the batch
    const lines = batch.flatMap((order, index) =>
      order.items.map((item) => ({ ...item, position: index + 1 }))
    );
    const result = await tx<{ id: number; order_ref: string }[]>`
      with summary as (${lineSummariesOf(tx, lines)})
      insert into transactions (order_ref, created_at, updated_at, customer_id, status, payment_method, channel,
        subtotal_cents, discount_cents, total_cents, item_count, refunded_at, cancelled_at, original_currency,
        original_total_minor, device_id, ip_address, email, card_bin, card_last4, billing_country,
        shipping_country, user_agent, fraud_label, labeled_at, labeled_by, max_item_quantity, category_units)
      select ref, created, created, customer, status, payment, channel, subtotal, discount, total, items,
        case when status = 'refunded' then created end, case when status = 'cancelled' then created end,
        currency, original_total, device, ip, email, bin, last4, billing, shipping, agent, label,
        case when label is not null then created end, case when label is not null then 'import' end,
        summary.max_item_quantity, summary.category_units
      from unnest(
        ${column(batch, (o) => o.orderRef)}::text[], ${
      column(batch, (o) => o.createdAt.toISOString())
    }::timestamptz[],
        ${column(batch, (o) => o.customerId)}::int8[], ${column(batch, (o) => o.status)}::text[],
        ${column(batch, (o) => o.paymentMethod)}::text[], ${column(batch, (o) => o.channel)}::text[],
        ${column(batch, (o) => o.subtotalCents)}::int8[], ${column(batch, (o) => o.discountCents)}::int8[],
        ${column(batch, (o) => o.totalCents)}::int8[], ${column(batch, (o) => o.itemCount)}::int4[],
        ${column(batch, (o) => o.originalCurrency ?? null)}::text[],
        ${column(batch, (o) => o.originalTotalMinor ?? null)}::int8[],
        ${column(batch, (o) => o.identity?.deviceId ?? null)}::text[],
        ${column(batch, (o) => o.identity?.ipAddress ?? null)}::text[],
        ${column(batch, (o) => o.identity?.email ?? null)}::text[],
        ${column(batch, (o) => o.identity?.cardBin ?? null)}::text[],
        ${column(batch, (o) => o.identity?.cardLast4 ?? null)}::text[],
        ${column(batch, (o) => o.identity?.billingCountry ?? null)}::text[],
        ${column(batch, (o) => o.identity?.shippingCountry ?? null)}::text[],
        ${column(batch, (o) => o.identity?.userAgent ?? null)}::text[],
        ${column(batch, (o) => o.fraudLabel ?? null)}::text[])
        with ordinality
        as t(ref, created, customer, status, payment, channel, subtotal, discount, total, items, currency,
          original_total, device, ip, email, bin, last4, billing, shipping, agent, label, position)
      left join summary using (position)
      on conflict (order_ref) do nothing
      returning id, order_ref`;
    const ids = new Map(result.map((row) => [row.order_ref, row.id]));
    const items: { transactionId: number; productId: number; quantity: number; unitPriceCents: number }[] =
      [];
    for (const order of batch) {
      const id = ids.get(order.orderRef);
      if (id === undefined) continue;
      inserted.add(order.orderRef);
      for (const item of order.items) items.push({ transactionId: id, ...item });
    }
    for (const itemBatch of batches(items, 20_000)) {
      await tx`
        insert into transaction_items (transaction_id, product_id, quantity, unit_price_cents)
        select * from unnest(
          ${column(itemBatch, (i) => i.transactionId)}::int8[], ${
        column(itemBatch, (i) => i.productId)
      }::int8[],
          ${column(itemBatch, (i) => i.quantity)}::int4[], ${
        column(itemBatch, (i) => i.unitPriceCents)
      }::int8[])`;
    }
    done += batch.length;
    onBatch?.(done);
  }
  return inserted;
}

/** Ids of the rows of `table` whose natural key `keyColumn` is among `keys`. */
export async function findIds(
  tx: TransactionSql,
  table: "suppliers" | "products" | "customers" | "transactions",
  keyColumn: "code" | "sku" | "order_ref",
  keys: Iterable<string>,
): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (const batch of batches([...new Set(keys)], 20_000)) {
    const rows = await tx<{ id: number; key: string }[]>`
      select id, ${tx(keyColumn)} as key from ${tx(table)} where ${tx(keyColumn)} = any(${batch}::text[])`;
    for (const row of rows) ids.set(row.key, row.id);
  }
  return ids;
}

function* batches<T>(rows: T[], size = batchSize): Generator<T[]> {
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
}

// postgres.js sends a JS array as one array parameter; the casts in the SQL give its element type
function column<T, V>(rows: T[], pick: (row: T) => V): V[] {
  return rows.map(pick);
}
