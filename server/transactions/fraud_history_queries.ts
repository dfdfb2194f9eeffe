import type { Sql, TransactionSql } from "../db/mod.ts";
import { fraudCategory } from "../fraud/categories.ts";
import { categorySlug } from "./line_summary_queries.ts";
import {
  type FraudHistory,
  type FraudRules,
  type QuantityStats,
  quantityStatsFromHistogram,
} from "../fraud/mod.ts";

/** Order lines per product that its usual quantity is computed from: recent enough, and cheap to read. */
export const QUANTITY_SAMPLE_LINES = 500;
/** Upper bound on the history rows one score reads, so a wholesale customer cannot make scoring slow. */
export const HISTORY_ROW_LIMIT = 1000;

// The slug rule lives with the fraud rules (server/fraud/categories.ts); re-exported for this domain's callers
export { fraudCategory };

/** What scoring one order needs from the database. */
export interface FraudContext {
  customerName: string;
  customerCreatedAt: Date;
  history: FraudHistory;
}

/**
 * The customer's history for fraud scoring, in ONE query: their transactions of the last
 * `rules.historyDays` before `now` (amount, payment method, status, largest line, high-resale units, score;
 * via `transactions_customer_created_idx`), and for each product of the order a histogram of the
 * quantities of its last completed lines (via `transaction_items_product_idx`). Undefined when the
 * customer does not exist. Also whether the customer is on the block or allow list (primary-key probes).
 * @param sql the pool, or the create transaction's `tx`
 * @param options the customer, the products of the order, the moment of scoring and the rules in force
 */
export async function loadFraudContext(
  sql: Sql | TransactionSql,
  options: FraudContextOptions,
): Promise<FraudContext | undefined> {
  const [row] = await fraudContextQuery(sql, options);
  return readFraudContext(row);
}

export interface FraudContextOptions {
  customerId: number;
  productIds: number[];
  now: Date;
  rules: FraudRules;
}

/** One row of `fraudContextQuery` (its timestamp is a string when the row arrives as JSON). */
export interface FraudContextRow {
  customer_name: string;
  customer_created_at: Date | string;
  /**
   * The window's orders, newest first, each as `[created_at in epoch ms, total_cents, payment_method, status,
   * fraud_score, max_item_quantity, high_resale_units]`: a row per order as a JSON object cost PostgreSQL a
   * third more to build than the scan that found them, and the app a key and a date's text per field to parse
   */
  history: [number, number, string, string, number, number, number][];
  quantities: { product_id: number; quantity: number; lines: number }[];
  block_listed: boolean;
  allow_listed: boolean;
}

/**
 * The query of `loadFraudContext`, unsent: awaited it is the query; put inside another statement it
 * is a fragment (a sale reads it in the same round trip as its catalog lines, `prepareSale`).
 */
export function fraudContextQuery(sql: Sql | TransactionSql, options: FraudContextOptions) {
  return sql<[FraudContextRow?]>`
    select f.* from (
      select ${options.customerId}::bigint as customer_id, ${options.now}::timestamptz as at,
        ${historySince(options.rules, options.now)}::timestamptz as since,
        ${sql.array(options.productIds)}::bigint[] as quantity_products
    ) s cross join lateral (${fraudContextOf(sql, options.rules)}) f`;
}

/** The start of the history window a score reads (`rules.historyDays` before `now`). */
export function historySince(rules: FraudRules, now: Date): Date {
  return new Date(now.getTime() - rules.historyDays * 86_400_000);
}

/**
 * The fraud context of the sale in the row `s` of the enclosing statement (columns `customer_id`,
 * `at`, `since`, `quantity_products` bigint[]): with one row per sale it reads the contexts of a batch
 * of sales in one statement (`readOneLineSaleContexts`). Its only parameters are the rules' categories, each
 * cast (postgres.js does not type the parameters of a fragment nested two deep).
 */
export function fraudContextOf(sql: Sql | TransactionSql, rules: FraudRules) {
  const resaleCategories = rules.highResaleUnits.categories.map(fraudCategory);
  return sql<[FraudContextRow?]>`
    with history as (
      select t.created_at, t.total_cents, t.payment_method, t.status, t.fraud_score,
             -- the summary is written whole or not at all: category_units says which
             coalesce(case when t.category_units is null then lines.max_item_quantity
               else t.max_item_quantity end, 0) as max_item_quantity,
             coalesce(case when t.category_units is null then lines.high_resale_units
               else ${unitsOfCategories(sql, resaleCategories)} end, 0) as high_resale_units
      from (
        select id, created_at, total_cents, payment_method, status, fraud_score, max_item_quantity, category_units
        from transactions
        where customer_id = s.customer_id and created_at >= s.since and created_at < s.at
        order by created_at desc
        limit ${HISTORY_ROW_LIMIT}
      ) t
      -- an order written with its line summary (migrations/0245) is read from its row alone: the planner
      -- gates this side on the summary being null and never probes those orders' lines. Older orders are
      -- read from their lines, lateral, with a primary-key probe per line for its category: each order's
      -- lines come by transaction_items_transaction_idx; a plain join let the planner hash whole tables
      left join lateral (
        select max(i.quantity) as max_item_quantity,
               sum(i.quantity) filter (where (
                 select ${categorySlug(sql)} from products p where p.id = i.product_id) = any(${
    sql.array(resaleCategories)
  }::text[])) as high_resale_units
        from transaction_items i
        where t.category_units is null and i.transaction_id = t.id
      ) lines on true
    ),
    quantities as (${recentQuantitiesOf(sql)})
    select c.name as customer_name, c.created_at as customer_created_at,
           -- milliseconds truncated, as JavaScript's Date reads a time's text
           (select coalesce(json_agg(json_build_array(floor(extract(epoch from h.created_at) * 1000)::int8,
             h.total_cents, h.payment_method, h.status, h.fraud_score, h.max_item_quantity, h.high_resale_units)),
             '[]') from history h) as history,
           (select coalesce(json_agg(q), '[]') from quantities q) as quantities,
           exists (select 1 from fraud_customer_lists l where l.customer_id = c.id and l.list = 'block')
             as block_listed,
           exists (select 1 from fraud_customer_lists l where l.customer_id = c.id and l.list = 'allow')
             as allow_listed
    from customers c
    where c.id = s.customer_id`;
}

/**
 * The units of `categories` (fraud slugs) in the order `t` of the enclosing statement, from its
 * `category_units`: one key lookup a category. Expanding the document with `jsonb_each_text` for each order
 * of the window doubled the cost of reading a customer's history (1,000 customers' windows: 216 ms against
 * 106 ms).
 */
function unitsOfCategories(sql: Sql | TransactionSql, categories: string[]) {
  if (categories.length === 0) return sql`0`;
  return categories
    .map((category) => sql`coalesce((t.category_units ->> ${category}::text)::int, 0)`)
    .reduce((sum, units) => sql`${sum} + ${units}`);
}

/**
 * The quantities of the last completed order lines of each product in the column `s.quantity_products`
 * (bigint[]) of the enclosing statement, counted: rows `(product_id, quantity, lines)`, at most
 * `QUANTITY_SAMPLE_LINES` lines a product (via `transaction_items_product_idx`). A product's usual quantity
 * comes from them (`quantityStatsFromHistogram`).
 */
export function recentQuantitiesOf(sql: Sql | TransactionSql) {
  return sql`
      select recent.product_id, recent.quantity, count(*) as lines
      from unnest(s.quantity_products) as wanted(product_id)
      cross join lateral (
        select i.product_id, i.quantity
        from transaction_items i
        where i.product_id = wanted.product_id
          -- a per-row primary-key probe: a join here lets the planner scan all transactions per product
          and (select t.status from transactions t where t.id = i.transaction_id) = 'completed'
        order by i.transaction_id desc
        limit ${QUANTITY_SAMPLE_LINES}
      ) recent
      group by recent.product_id, recent.quantity`;
}

/** The fraud context from a `fraudContextQuery` row; undefined when the customer does not exist. */
export function readFraudContext(row: FraudContextRow | null | undefined): FraudContext | undefined {
  if (!row) return undefined;

  const histograms = new Map<string, Map<number, number>>();
  for (const { product_id, quantity, lines } of row.quantities) {
    const key = String(product_id);
    let histogram = histograms.get(key);
    if (!histogram) histograms.set(key, histogram = new Map());
    histogram.set(quantity, lines);
  }
  const productQuantityStats: Record<string, QuantityStats> = {};
  for (const [key, histogram] of histograms) {
    productQuantityStats[key] = quantityStatsFromHistogram(histogram);
  }

  return {
    customerName: row.customer_name,
    customerCreatedAt: new Date(row.customer_created_at),
    history: {
      transactions: row.history.map((
        [createdAt, totalCents, paymentMethod, status, score, maxItemQuantity, highResaleUnits],
      ) => ({
        createdAt: new Date(createdAt),
        totalCents,
        paymentMethod,
        status,
        maxItemQuantity,
        highResaleUnits,
        score,
      })),
      productQuantityStats,
      // analysts' lists (server/fraud/lists_queries.ts)
      blockListed: row.block_listed,
      allowListed: row.allow_listed,
    },
  };
}
