/**
 * Fixtures for dashboard and analytics tests: historical sales whose `updated_at` is their own
 * time (as imported history is), so the views really answer for them after a refresh.
 * Test helper only.
 * @module
 */
import type { Sql } from "../db/mod.ts";
import { insertSale, type SaleFixture } from "../inventory/inventory_fixtures.ts";

export {
  insertCustomer,
  insertOffer,
  insertProduct,
  insertSupplier,
} from "../inventory/inventory_fixtures.ts";

/**
 * Inserts a sale at `at` with catalog prices; returns its id. Like imported history, its
 * `updated_at` is its own time and a refunded one has no refund instant.
 */
export function insertHistoricalSale(sql: Sql, sale: SaleFixture): Promise<number> {
  return insertSale(sql, { ...sale, updatedAt: sale.at, refundedAt: null });
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
    select count(*)::bigint as orders, coalesce(sum(total_cents - refunded_cents), 0)::bigint as "revenueCents",
           coalesce(sum(item_count), 0)::bigint as units
    from transactions where status = 'completed' and created_at >= ${from} and created_at < ${to}`;
  return row;
}
