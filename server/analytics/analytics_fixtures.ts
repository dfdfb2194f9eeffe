/**
 * Fixtures for dashboard and analytics tests: historical sales whose `updated_at` is their own
 * time (as imported history is), so the views really answer for them after a refresh.
 * Test helper only.
 * @module
 */
import type { Sql } from "../db/mod.ts";

export {
  insertCustomer,
  insertOffer,
  insertProduct,
  insertSupplier,
} from "../inventory/inventory_fixtures.ts";

let counter = 0;

/** Inserts a sale at `at` with catalog prices; returns its id. */
export async function insertHistoricalSale(
  sql: Sql,
  sale: {
    at: Date;
    items: { productId: number; quantity: number }[];
    customerId?: number | null;
    status?: "completed" | "refunded" | "cancelled" | "pending";
    fraudDecision?: "allow" | "review" | "block";
  },
): Promise<number> {
  counter += 1;
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
                              item_count, fraud_decision, created_at, updated_at)
    values (${`HIST-${counter}-${crypto.randomUUID().slice(0, 8)}`}, ${sale.customerId ?? null},
            ${sale.status ?? "completed"}, 'card', ${total}, ${total}, ${units},
            ${sale.fraudDecision ?? "allow"}, ${sale.at}, ${sale.at})
    returning id`;
  for (const item of sale.items) {
    await sql`
      insert into transaction_items (transaction_id, product_id, quantity, unit_price_cents)
      values (${row.id}, ${item.productId}, ${item.quantity}, ${prices.get(item.productId) ?? 0})`;
  }
  return row.id;
}

/** Refunds a sale now, the way the transactions module does: status, refunded_at, updated_at. */
export async function refundSale(sql: Sql, id: number): Promise<void> {
  await sql`
    update transactions set status = 'refunded', refunded_at = now(), updated_at = now() where id = ${id}`;
}

/**
 * Direct base-table figures for `[from, to)`, the yardstick the view-backed reads must equal.
 */
export async function baseSalesTotals(
  sql: Sql,
  from: Date,
  to: Date,
): Promise<{ orders: number; revenueCents: number; units: number }> {
  const [row] = await sql<[{ orders: number; revenueCents: number; units: number }]>`
    select count(*)::bigint as orders, coalesce(sum(total_cents), 0)::bigint as "revenueCents",
           coalesce(sum(item_count), 0)::bigint as units
    from transactions where status = 'completed' and created_at >= ${from} and created_at < ${to}`;
  return row;
}
