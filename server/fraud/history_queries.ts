import type { Sql } from "../db/mod.ts";
import { fraudCategory } from "./categories.ts";
import type { ReplayInput } from "./evaluate.ts";

/** A stored transaction, ready to replay: the replay input plus its database id and label. */
export interface StoredReplayInput extends ReplayInput {
  id: number;
  label: "fraud" | "legit" | null;
  /** the shipped prior's own score when the sale was scored at cold start, and its fired link rules */
  priorScore: number | null;
  linkFlags: number | null;
}

/** Transactions read per query by `readHistoryInOrder`. */
export const HISTORY_BATCH_SIZE = 2_000;

interface HistoryRow {
  id: number;
  customer_id: number;
  customer_created_at: Date;
  created_at: Date;
  created_key: string;
  payment_method: string;
  status: string;
  fraud_label: "fraud" | "legit" | null;
  fraud_prior_score: number | null;
  fraud_link_flags: number | null;
}

interface ItemRow {
  transaction_id: number;
  product_id: number;
  unit_price_cents: number;
  quantity: number;
}

/**
 * The stored transactions of customers in creation order, batch by batch (keyset on the
 * `transactions_created_idx` index; each batch is two indexed queries — the transactions, then their
 * lines — so nothing stays open between batches and the caller may write in between: the embedded
 * database has one connection). Guest orders (no customer) are skipped: scoring is per customer.
 * Categories arrive as fraud-rule slugs, read once per product (the catalog is small; a per-line join
 * made the read the slowest part of rescoring 500k transactions).
 * @param sql the pool
 * @param options optional time range [from, to] (both inclusive) and batch size
 */
export async function* readHistoryInOrder(
  sql: Sql,
  options: { from?: Date; to?: Date; batchSize?: number } = {},
): AsyncGenerator<StoredReplayInput[]> {
  const batchSize = options.batchSize ?? HISTORY_BATCH_SIZE;
  const categories = new Map<number, string>();
  let after: { key: string; id: number } | undefined;
  while (true) {
    const rows = await sql<HistoryRow[]>`
      select t.id, t.customer_id, c.created_at as customer_created_at, t.created_at,
             to_json(t.created_at) #>> '{}' as created_key, t.payment_method, t.status, t.fraud_label,
             t.fraud_prior_score, t.fraud_link_flags
      from transactions t
      join customers c on c.id = t.customer_id
      where true
        ${options.from ? sql`and t.created_at >= ${options.from}` : sql``}
        ${options.to ? sql`and t.created_at <= ${options.to}` : sql``}
        ${after ? sql`and (t.created_at, t.id) > (${after.key}::timestamptz, ${after.id})` : sql``}
      order by t.created_at, t.id
      limit ${batchSize}`;
    if (rows.length === 0) return;
    const items = await sql<ItemRow[]>`
      select transaction_id, product_id, unit_price_cents, quantity
      from transaction_items
      where transaction_id = any(${sql.array(rows.map((row) => row.id))}::bigint[])
      order by transaction_id, id`;
    const unknown = [...new Set(items.map((item) => item.product_id))].filter((id) => !categories.has(id));
    if (unknown.length > 0) {
      const products = await sql<{ id: number; category: string }[]>`
        select id, category from products where id = any(${sql.array(unknown)}::bigint[])`;
      for (const product of products) categories.set(product.id, fraudCategory(product.category));
    }
    const linesOf = new Map<number, ItemRow[]>();
    for (const item of items) {
      let lines = linesOf.get(item.transaction_id);
      if (!lines) linesOf.set(item.transaction_id, lines = []);
      lines.push(item);
    }
    yield rows.map((row) => ({
      id: row.id,
      label: row.fraud_label,
      priorScore: row.fraud_prior_score,
      linkFlags: row.fraud_link_flags,
      transactionId: String(row.id),
      customerId: String(row.customer_id),
      customerCreatedAt: row.customer_created_at,
      timestamp: row.created_at,
      paymentMethod: row.payment_method,
      status: row.status,
      items: (linesOf.get(row.id) ?? []).map((item) => ({
        productId: item.product_id,
        category: categories.get(item.product_id) ?? "",
        unitPriceCents: item.unit_price_cents,
        quantity: item.quantity,
      })),
      isFraud: row.fraud_label === "fraud",
    }));
    if (rows.length < batchSize) return;
    const last = rows[rows.length - 1];
    after = { key: last.created_key, id: last.id };
  }
}
