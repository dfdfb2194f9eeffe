import assert from "node:assert/strict";
import { TRPCError } from "@trpc/server";
import type { Sql } from "../db/mod.ts";
import type { PreparedSale } from "./sale_writes.ts";
import { fraudCategory } from "./fraud_history_queries.ts";
import { lineSummaryOf } from "./line_summary.ts";

/** Test helper: the TRPCError a call rejects with (fails the test when it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<TRPCError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof TRPCError, `expected a TRPCError, got ${error}`);
    return error;
  }
  assert.fail("expected the call to fail");
}

/** Test helper: inserts a customer (created a year ago unless told) and returns its id. */
export async function insertCustomer(
  sql: Sql,
  options: { name?: string; createdAt?: Date } = {},
): Promise<number> {
  const code = `CUS-T${crypto.randomUUID().slice(0, 12)}`;
  const createdAt = options.createdAt ?? new Date(Date.now() - 365 * 86_400_000);
  const [row] = await sql<[{ id: number }]>`
    insert into customers (code, name, email, created_at)
    values (${code}, ${
    options.name ?? `Customer ${code}`
  }, ${`${code.toLowerCase()}@example.com`}, ${createdAt})
    returning id`;
  return row.id;
}

/** Test helper: inserts `count` customers created a year ago, returning their ids. */
export async function insertCustomers(sql: Sql, count: number): Promise<number[]> {
  const createdAt = new Date(Date.now() - 365 * 86_400_000);
  const rows = Array.from({ length: count }, (_, i) => {
    const code = `CUS-B${crypto.randomUUID().slice(0, 8)}-${i}`;
    return { code, name: `Bulk customer ${i}`, created_at: createdAt };
  });
  const inserted = await sql<{ id: number }[]>`
    insert into customers ${sql(rows, "code", "name", "created_at")} returning id`;
  return inserted.map((row) => row.id);
}

/** The category of a product `insertProduct` makes unless told otherwise. */
export const DEFAULT_TEST_CATEGORY = "Accessories";

/** Test helper: inserts a product and returns its id. */
export async function insertProduct(
  sql: Sql,
  options: {
    name?: string;
    category?: string;
    priceCents?: number;
    stock?: number;
    reorderPoint?: number | null;
    active?: boolean;
  } = {},
): Promise<number> {
  const sku = `SKU-T${crypto.randomUUID().slice(0, 12)}`;
  const [row] = await sql<[{ id: number }]>`
    insert into products (sku, name, category, price_cents, stock_quantity, reorder_point, is_active)
    values (${sku}, ${options.name ?? `Product ${sku}`}, ${options.category ?? DEFAULT_TEST_CATEGORY},
      ${options.priceCents ?? 1999}, ${options.stock ?? 100}, ${options.reorderPoint ?? null},
      ${options.active ?? true})
    returning id`;
  return row.id;
}

/** Test helper: the stock of a product now. */
export async function stockOf(sql: Sql, productId: number): Promise<number> {
  const [row] = await sql<[{ stock_quantity: number }]>`
    select stock_quantity from products where id = ${productId}`;
  return row.stock_quantity;
}

/** Test helper: alerts with a dedupe key, oldest first. */
export async function alertsWithKey(
  sql: Sql,
  dedupeKeyPrefix: string,
): Promise<{ id: number; severity: string; status: string; metadata: Record<string, unknown> }[]> {
  return await sql`
    select id, severity, status, metadata from alerts
    where dedupe_key like ${dedupeKeyPrefix + "%"} order by id`;
}

/** A one-line sale as `prepareSale` makes it (allowed, one unit at 19.99, no alert), with `overrides`. */
export function preparedSale(
  customerId: number,
  productId: number,
  overrides: Partial<PreparedSale> = {},
): PreparedSale {
  return {
    orderRef: `TM-TEST-${crypto.randomUUID().slice(0, 12)}`,
    customerId,
    status: "completed",
    paymentMethod: "card",
    channel: "web",
    subtotalCents: 1999,
    itemCount: 1,
    storedScore: 0,
    verdict: { score: 0, decision: "allow", reasons: [] },
    priorScore: null,
    linkFlags: null,
    idempotencyKey: null,
    requestHash: null,
    simulated: false,
    identity: {},
    audit: undefined,
    now: new Date(),
    lines: [{ productId, quantity: 1, unitPriceCents: 1999 }],
    alert: null,
    ...overrides,
    // of the lines as overridden, for a product of insertProduct's default category (pass one otherwise)
    lineSummary: overrides.lineSummary ??
      lineSummaryOf((overrides.lines ?? [{ quantity: 1 }]).map(({ quantity }) => ({
        category: fraudCategory(DEFAULT_TEST_CATEGORY),
        quantity,
      }))),
  };
}

/**
 * Test helper: checks every order in the database carries the line summary of its lines (a writer's
 * `max_item_quantity` and `category_units` against its `transaction_items`, and the phones' units against
 * the lines of "Phones" products). Returns how many orders it checked.
 */
export async function assertLineSummariesMatchLines(sql: Sql): Promise<number> {
  const [row] = await sql<
    [{ orders: number; missing: number; wrong: number; phones: number; lines: number }]
  >`
    select count(*)::int as orders, count(*) filter (where t.category_units is null)::int as missing,
      count(*) filter (where t.max_item_quantity <> l.largest
        or (select sum(u.value::int) from jsonb_each_text(t.category_units) u) <> l.units)::int as wrong,
      coalesce(sum((t.category_units ->> 'phones')::int), 0)::int as phones,
      (select coalesce(sum(i.quantity), 0)::int from transaction_items i join products p on p.id = i.product_id
        where p.category = 'Phones') as lines
    from transactions t
    join (select transaction_id, max(quantity) as largest, sum(quantity) as units from transaction_items
      group by 1) l on l.transaction_id = t.id`;
  assert.equal(row.missing, 0, "orders without a line summary");
  assert.equal(row.wrong, 0, "orders whose summary differs from their lines");
  assert.ok(row.phones > 0 && row.phones === row.lines, JSON.stringify(row));
  return row.orders;
}
