import { readFraudReasons } from "../fraud/stored_reasons.ts";
import type { Sql, TransactionSql } from "../db/mod.ts";
import type { IdentityColumns } from "../fraud/model/identity.ts";
import { decodeCursor, toPage } from "../db/keyset.ts";
import type {
  ListTransactionsInput,
  SuspiciousInput,
  SuspiciousTransaction,
  TransactionDetail,
  TransactionSummary,
} from "./schemas.ts";

/** A list page as the router returns it. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

interface SummaryRow {
  id: number;
  order_ref: string;
  status: TransactionSummary["status"];
  customer_id: number | null;
  customer_name: string | null;
  payment_method: string;
  channel: string;
  total_cents: number;
  item_count: number;
  fraud_score: number;
  fraud_decision: TransactionSummary["fraudDecision"];
  fraud_label: TransactionSummary["fraudLabel"];
  simulated: boolean;
  created_at: Date;
  // full-precision timestamp text for the cursor: a JS Date would drop the microseconds
  created_key: string;
}

function toSummary(row: SummaryRow): TransactionSummary {
  return {
    id: row.id,
    orderRef: row.order_ref,
    status: row.status,
    customerId: row.customer_id,
    customerName: row.customer_name,
    paymentMethod: row.payment_method,
    channel: row.channel,
    totalCents: row.total_cents,
    itemCount: row.item_count,
    fraudScore: row.fraud_score,
    fraudDecision: row.fraud_decision,
    fraudLabel: row.fraud_label,
    simulated: row.simulated,
    createdAt: row.created_at,
  };
}

/**
 * One page of transactions, filtered and sorted by creation time or amount, by keyset: each page is an
 * index range scan after the last row of the previous one.
 */
export async function listTransactions(
  sql: Sql,
  input: ListTransactionsInput,
): Promise<Page<TransactionSummary>> {
  const sortName = `${input.sort}:${input.order}`;
  const after = decodeCursor(input.cursor, sortName, input.sort === "created" ? "timestamp" : "number");
  const desc = input.order === "desc";
  let keyset = sql``;
  if (after) {
    const [value, id] = after;
    if (input.sort === "created") {
      keyset = desc
        ? sql`and (t.created_at, t.id) < (${String(value)}::timestamptz, ${id})`
        : sql`and (t.created_at, t.id) > (${String(value)}::timestamptz, ${id})`;
    } else {
      keyset = desc
        ? sql`and (t.total_cents, t.id) < (${Number(value)}, ${id})`
        : sql`and (t.total_cents, t.id) > (${Number(value)}, ${id})`;
    }
  }
  const orderBy = input.sort === "created"
    ? (desc ? sql`t.created_at desc, t.id desc` : sql`t.created_at asc, t.id asc`)
    : (desc ? sql`t.total_cents desc, t.id desc` : sql`t.total_cents asc, t.id asc`);
  const rows = await sql<SummaryRow[]>`
    select t.id, t.order_ref, t.status, t.customer_id, c.name as customer_name, t.payment_method, t.channel,
           t.total_cents, t.item_count, t.fraud_score, t.fraud_decision, t.fraud_label, t.simulated, t.created_at,
           to_json(t.created_at) #>> '{}' as created_key
    from transactions t
    left join customers c on c.id = t.customer_id
    where true
      ${input.status ? sql`and t.status = ${input.status}` : sql``}
      ${input.customerId ? sql`and t.customer_id = ${input.customerId}` : sql``}
      ${
    input.productId
      ? sql`and exists (select 1 from transaction_items i
                        where i.transaction_id = t.id and i.product_id = ${input.productId})`
      : sql``
  }
      ${
    input.category
      ? sql`and exists (select 1 from transaction_items i join products p on p.id = i.product_id
                        where i.transaction_id = t.id and lower(p.category) = lower(${input.category}))`
      : sql``
  }
      ${
    input.segment
      ? sql`and exists (select 1 from customer_purchase_patterns cp
                        where cp.customer_id = t.customer_id and cp.segment = ${input.segment})`
      : sql``
  }
      ${input.from ? sql`and t.created_at >= ${input.from}` : sql``}
      ${input.to ? sql`and t.created_at < ${input.to}` : sql``}
      ${input.minAmountCents !== undefined ? sql`and t.total_cents >= ${input.minAmountCents}` : sql``}
      ${input.maxAmountCents !== undefined ? sql`and t.total_cents <= ${input.maxAmountCents}` : sql``}
      ${input.suspicious ? sql`and t.fraud_decision <> 'allow'` : sql``}
      ${keyset}
    order by ${orderBy}
    limit ${input.limit + 1}`;
  const page = toPage(rows, {
    limit: input.limit,
    sort: sortName,
    keyOf: (row) => [input.sort === "created" ? row.created_key : row.total_cents, row.id],
  });
  return { items: page.items.map(toSummary), nextCursor: page.nextCursor };
}

/**
 * The review queue: transactions the fraud check sent to review or blocked, newest first (the partial
 * index `transactions_suspicious_idx` holds exactly these rows).
 */
export async function listSuspiciousTransactions(
  sql: Sql,
  input: SuspiciousInput,
): Promise<Page<SuspiciousTransaction>> {
  const after = decodeCursor(input.cursor, "suspicious");
  const rows = await sql<(SummaryRow & { fraud_reasons: unknown })[]>`
    select t.id, t.order_ref, t.status, t.customer_id, c.name as customer_name, t.payment_method, t.channel,
           t.total_cents, t.item_count, t.fraud_score, t.fraud_decision, t.fraud_label, t.simulated, t.fraud_reasons,
           t.created_at, to_json(t.created_at) #>> '{}' as created_key
    from transactions t
    left join customers c on c.id = t.customer_id
    where t.fraud_decision <> 'allow'
      ${input.decision ? sql`and t.fraud_decision = ${input.decision}` : sql``}
      ${input.unlabeled ? sql`and t.fraud_label is null` : sql``}
      ${after ? sql`and (t.created_at, t.id) < (${String(after[0])}::timestamptz, ${after[1]})` : sql``}
    order by t.created_at desc, t.id desc
    limit ${input.limit + 1}`;
  const page = toPage(rows, {
    limit: input.limit,
    sort: "suspicious",
    keyOf: (row) => [row.created_key, row.id],
  });
  return {
    items: page.items.map((row) => ({
      ...toSummary(row),
      fraudReasons: readFraudReasons(row.fraud_reasons),
    })),
    nextCursor: page.nextCursor,
  };
}

/**
 * A transaction with its lines (product names from the catalog), its customer, fraud verdict and status
 * history; undefined when there is no such id. Takes `tx` too, so `create` can answer from its own
 * database transaction.
 */
export async function getTransactionDetail(
  sql: Sql | TransactionSql,
  id: number,
): Promise<TransactionDetail | undefined> {
  const [row] = await sql<
    [
      ({
        id: number;
        order_ref: string;
        status: TransactionDetail["status"];
        customer_id: number | null;
        customer_code: string | null;
        customer_name: string | null;
        customer_email: string | null;
        loyalty_tier: string | null;
        payment_method: string;
        channel: string;
        subtotal_cents: number;
        discount_cents: number;
        total_cents: number;
        item_count: number;
        fraud_score: number;
        fraud_decision: TransactionDetail["fraudDecision"];
        fraud_reasons: unknown;
        fraud_label: TransactionDetail["fraudLabel"];
        simulated: boolean;
        labeled_by: string | null;
        labeled_at: Date | null;
        created_at: Date;
        updated_at: Date;
        refunded_at: Date | null;
        cancelled_at: Date | null;
        refunded_cents: number;
        refunds: {
          id: number;
          amount_cents: number;
          reason: string;
          actor_username: string;
          created_at: string;
          lines: { product_id: number; quantity: number; amount_cents: number; restock: boolean }[];
        }[];
        items: {
          product_id: number;
          sku: string;
          name: string;
          category: string;
          quantity: number;
          unit_price_cents: number;
          line_total_cents: number;
        }[];
        history: {
          from_status: string;
          to_status: string;
          actor_username: string;
          reason: string;
          stock_restored: boolean;
          changed_at: string;
        }[];
      } & IdentityColumns)?,
    ]
  >`
    select t.id, t.order_ref, t.status, t.customer_id, c.code as customer_code, c.name as customer_name,
           c.email as customer_email, c.loyalty_tier, t.payment_method, t.channel, t.subtotal_cents,
           t.discount_cents, t.total_cents, t.item_count, t.fraud_score, t.fraud_decision, t.fraud_reasons,
           t.fraud_label, t.simulated, t.labeled_by, t.labeled_at, t.created_at, t.updated_at, t.refunded_at, t.cancelled_at,
           t.device_id, t.ip_address, t.email, t.card_bin, t.card_last4, t.billing_country, t.shipping_country,
           t.user_agent,
           coalesce((
             select json_agg(json_build_object(
                      'product_id', i.product_id, 'sku', p.sku, 'name', p.name, 'category', p.category,
                      'quantity', i.quantity, 'unit_price_cents', i.unit_price_cents,
                      'line_total_cents', i.line_total_cents) order by i.id)
             from transaction_items i join products p on p.id = i.product_id
             where i.transaction_id = t.id), '[]') as items,
           coalesce((
             select json_agg(json_build_object(
                      'from_status', s.from_status, 'to_status', s.to_status,
                      'actor_username', s.actor_username, 'reason', s.reason,
                      'stock_restored', s.stock_restored, 'changed_at', s.changed_at) order by s.changed_at, s.id)
             from transaction_status_changes s
             where s.transaction_id = t.id), '[]') as history,
           t.refunded_cents,
           coalesce((
             select json_agg(json_build_object(
                      'id', r.id, 'amount_cents', r.amount_cents, 'reason', r.reason,
                      'actor_username', r.actor_username, 'created_at', r.created_at,
                      'lines', (select json_agg(json_build_object('product_id', l.product_id,
                                  'quantity', l.quantity, 'amount_cents', l.amount_cents, 'restock', l.restock)
                                  order by l.product_id)
                                from transaction_refund_lines l where l.refund_id = r.id)) order by r.id)
             from transaction_refunds r where r.transaction_id = t.id), '[]') as refunds
    from transactions t
    left join customers c on c.id = t.customer_id
    where t.id = ${id}`;
  if (!row) return undefined;
  return {
    id: row.id,
    orderRef: row.order_ref,
    status: row.status,
    customer: row.customer_id === null ? null : {
      id: row.customer_id,
      code: row.customer_code!,
      name: row.customer_name!,
      email: row.customer_email,
      loyaltyTier: row.loyalty_tier!,
    },
    paymentMethod: row.payment_method,
    channel: row.channel,
    subtotalCents: row.subtotal_cents,
    discountCents: row.discount_cents,
    totalCents: row.total_cents,
    itemCount: row.item_count,
    fraudScore: row.fraud_score,
    fraudDecision: row.fraud_decision,
    fraudReasons: readFraudReasons(row.fraud_reasons),
    fraudLabel: row.fraud_label,
    simulated: row.simulated,
    labeledBy: row.labeled_by,
    labeledAt: row.labeled_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    refundedAt: row.refunded_at,
    cancelledAt: row.cancelled_at,
    deviceId: row.device_id,
    ipAddress: row.ip_address,
    email: row.email,
    cardBin: row.card_bin,
    cardLast4: row.card_last4,
    billingCountry: row.billing_country,
    shippingCountry: row.shipping_country,
    userAgent: row.user_agent,
    // json_agg carries numbers as JSON numbers, so no int8 strings here
    items: row.items.map((item) => ({
      productId: item.product_id,
      sku: item.sku,
      productName: item.name,
      category: item.category,
      quantity: item.quantity,
      unitPriceCents: item.unit_price_cents,
      lineTotalCents: item.line_total_cents,
    })),
    history: row.history.map((change) => ({
      fromStatus: change.from_status,
      toStatus: change.to_status,
      by: change.actor_username,
      reason: change.reason,
      stockRestored: change.stock_restored,
      at: new Date(change.changed_at),
    })),
    refundedCents: Number(row.refunded_cents),
    refunds: row.refunds.map((refund) => ({
      id: refund.id,
      amountCents: refund.amount_cents,
      reason: refund.reason,
      by: refund.actor_username,
      at: new Date(refund.created_at),
      lines: refund.lines.map((line) => ({
        productId: line.product_id,
        quantity: line.quantity,
        amountCents: line.amount_cents,
        restock: line.restock,
      })),
    })),
  };
}
