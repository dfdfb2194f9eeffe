import type { Sql } from "../db/mod.ts";
import { fraudCategory } from "./categories.ts";
import type { ReplayInput } from "./evaluate.ts";

/** A stored transaction, ready to replay: the replay input plus its database id and label. */
export interface StoredReplayInput extends ReplayInput {
  id: number;
  label: "fraud" | "legit" | null;
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
  items: { product_id: number; category: string; unit_price_cents: number; quantity: number }[];
}

/**
 * The stored transactions of customers in creation order, batch by batch (keyset on the
 * `transactions_created_idx` index, each batch one query, so nothing stays open between batches and the
 * caller may write in between — the embedded database has one connection). Guest orders (no customer)
 * are skipped: scoring is per customer. Categories arrive as fraud-rule slugs.
 * @param sql the pool
 * @param options optional time range [from, to] (both inclusive) and batch size
 */
export async function* readHistoryInOrder(
  sql: Sql,
  options: { from?: Date; to?: Date; batchSize?: number } = {},
): AsyncGenerator<StoredReplayInput[]> {
  const batchSize = options.batchSize ?? HISTORY_BATCH_SIZE;
  let after: { key: string; id: number } | undefined;
  while (true) {
    const rows = await sql<HistoryRow[]>`
      select t.id, t.customer_id, c.created_at as customer_created_at, t.created_at,
             to_json(t.created_at) #>> '{}' as created_key, t.payment_method, t.status, t.fraud_label,
             coalesce((
               select json_agg(json_build_object('product_id', i.product_id, 'category', p.category,
                        'unit_price_cents', i.unit_price_cents, 'quantity', i.quantity) order by i.id)
               from transaction_items i join products p on p.id = i.product_id
               where i.transaction_id = t.id), '[]') as items
      from transactions t
      join customers c on c.id = t.customer_id
      where true
        ${options.from ? sql`and t.created_at >= ${options.from}` : sql``}
        ${options.to ? sql`and t.created_at <= ${options.to}` : sql``}
        ${after ? sql`and (t.created_at, t.id) > (${after.key}::timestamptz, ${after.id})` : sql``}
      order by t.created_at, t.id
      limit ${batchSize}`;
    if (rows.length === 0) return;
    const categories = new Map<string, string>();
    const slug = (name: string) => {
      let value = categories.get(name);
      if (value === undefined) categories.set(name, value = fraudCategory(name));
      return value;
    };
    yield rows.map((row) => ({
      id: row.id,
      label: row.fraud_label,
      transactionId: String(row.id),
      customerId: String(row.customer_id),
      customerCreatedAt: row.customer_created_at,
      timestamp: row.created_at,
      paymentMethod: row.payment_method,
      status: row.status,
      items: row.items.map((item) => ({
        productId: item.product_id,
        category: slug(item.category),
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
