import type { Sql, TransactionSql } from "../db/mod.ts";
import type { FraudScore } from "../fraud/mod.ts";
import type { SaleIdentity } from "../fraud/model/identity.ts";
import type { LineSummary } from "./line_summary.ts";
import { auditColumns, type AuditContext } from "../auth/audit.ts";
import {
  type AlertOfNewRow,
  raiseAlertsOfNewRowsCte,
  type RaisedOfNewRows,
  raisedOfNewRows,
} from "../alerts/alert_queries.ts";

/** One sale, priced, scored and numbered before any lock: everything the write needs. */
export interface PreparedSale {
  /** drawn from `order_ref_seq` before the write (`nextOrderRef`): the lock never waits on it */
  orderRef: string;
  customerId: number;
  status: "completed" | "blocked";
  paymentMethod: string;
  channel: string;
  subtotalCents: number;
  itemCount: number;
  /** whole points (floored): "stored score >= threshold" equals the decision's test */
  storedScore: number;
  verdict: FraudScore;
  /** the shipped prior's own score when it scored the sale (cold start), kept for the operating point */
  priorScore: number | null;
  /** the link rules that fired on it (`linkFlagsOf`), kept with the prior's score for the same point */
  linkFlags: number | null;
  idempotencyKey: string | null;
  requestHash: string | null;
  /** made by the traffic simulator, not by a customer */
  simulated: boolean;
  identity: SaleIdentity;
  /** who made the sale, for its `transaction.created` audit entry (the system when unset) */
  audit: AuditContext | undefined;
  now: Date;
  lines: { productId: number; quantity: number; unitPriceCents: number }[];
  /** what later scores read of these lines, written on the sale's row */
  lineSummary: LineSummary;
  /** the fraud alert a sale under review or blocked raises, written by the sale's own statement */
  alert: AlertOfNewRow | null;
}

/** Stock of a product after a sale took from it. */
export interface StockAfter {
  productId: number;
  stockQuantity: number;
}

/** The identity column values of a sale, in the order of `identityColumnNames`. */
function identityValues(identity: SaleIdentity): (string | null)[] {
  return [
    identity.deviceId ?? null,
    identity.ipAddress ?? null,
    identity.email ?? null,
    identity.cardBin ?? null,
    identity.cardLast4 ?? null,
    identity.billingCountry ?? null,
    identity.shippingCountry ?? null,
    identity.userAgent ?? null,
  ];
}

/**
 * The `transaction.created` audit rows of `sales`, keyed by order reference: the statement joins them
 * to the transactions it inserted (which gives the entity id), so each entry commits with its sale.
 */
function auditRows(sales: PreparedSale[]) {
  return sales.map((sale) => ({
    order_ref: sale.orderRef,
    ...auditColumns({
      caller: sale.audit?.caller ?? null,
      action: "transaction.created",
      entityType: "transaction",
      details: {
        orderRef: sale.orderRef,
        totalCents: sale.subtotalCents,
        items: sale.itemCount,
        decision: sale.verdict.decision,
      },
      ip: sale.audit?.ip,
      requestId: sale.audit?.requestId,
    }),
  }));
}

/** A CTE inserting the audit rows of the sales the `sale` CTE (id, order_ref) inserted. */
function auditedCte(sql: Sql | TransactionSql, sales: PreparedSale[]) {
  return sql`
    audited as (
      insert into audit_log (actor_user_id, actor_name, actor_via, actor_token_id, action, entity_type,
        entity_id, details, ip, request_id)
      select a.actor_user_id, a.actor_name, a.actor_via, a.actor_token_id, a.action, a.entity_type,
        sale.id::text, a.details, a.ip, a.request_id
      from sale join jsonb_to_recordset(${sql.json(auditRows(sales) as never)}) as a(order_ref text,
        actor_user_id bigint, actor_name text, actor_via text, actor_token_id bigint, action text,
        entity_type text, details jsonb, ip text, request_id text) using (order_ref)
      returning 1
    )`;
}

/**
 * The CTE raising the fraud alerts of the sales the `sale` CTE (id, order_ref) inserted, after the
 * statement's stock locks (the `locked` CTE); none when no sale calls for one.
 */
function fraudAlertsCte(sql: Sql | TransactionSql, sales: PreparedSale[]) {
  const alerts = sales.flatMap((sale) => sale.alert ? [{ ref: sale.orderRef, alert: sale.alert }] : []);
  if (alerts.length === 0) return sql``;
  return sql`, ${
    raiseAlertsOfNewRowsCte(
      sql,
      sql`(select id, order_ref as ref from sale)`,
      alerts,
      sql`(select count(*) from locked) >= 0`,
    )
  }`;
}

/** The alerts the statement raised (none when it had no `raised_alerts` CTE). */
function raisedAlertsColumn(sql: Sql | TransactionSql, sales: PreparedSale[]) {
  return sales.some((sale) => sale.alert)
    ? sql`, (select json_agg(raised_alerts) from raised_alerts) as alerts`
    : sql`, null::json as alerts`;
}

/**
 * Writes one sale in ONE statement (a data-modifying CTE): locks its products in id order (two
 * multi-item orders never wait on each other in a cycle), checks every line has the stock, takes it,
 * inserts the transaction (identity columns included), its lines, its audit entry and its fraud alert
 * (`sale.alert`). All or nothing: when a line lacks stock nothing is written and `undefined` comes
 * back. A blocked sale takes no stock.
 * On the pool it is its own transaction: the row locks last from the statement's start to its commit,
 * with no round trip to the app in between.
 */
export async function writeSale(
  tx: Sql | TransactionSql,
  sale: PreparedSale,
): Promise<{ id: number; stock: StockAfter[]; alerts: RaisedOfNewRows[] } | undefined> {
  const take = sale.status !== "blocked";
  const ids = sale.lines.map((line) => line.productId);
  const quantities = sale.lines.map((line) => line.quantity);
  const prices = sale.lines.map((line) => line.unitPriceCents);
  const [deviceId, ipAddress, email, cardBin, cardLast4, billingCountry, shippingCountry, userAgent] =
    identityValues(sale.identity);
  const [row] = await tx<[{
    id: number | null;
    stock: { id: number; stock_quantity: number }[];
    alerts: Record<string, unknown>[] | null;
  }]>`
    with wanted as (
      select * from unnest(${tx.array(ids)}::bigint[], ${tx.array(quantities)}::int[], ${
    tx.array(prices)
  }::int[]) as w(product_id, quantity, unit_price_cents)
    ),
    locked as (
      select p.id, p.stock_quantity from products p
      where ${take} and p.id in (select product_id from wanted)
      order by p.id
      -- the stock is no key: other sales' lines may still check their foreign key on the row (see
      -- writeOneLineSales)
      for no key update
    ),
    enough as (
      select not ${take} or (
        (select count(*) from locked) = (select count(*) from wanted)
        and not exists (
          select 1 from wanted w join locked l on l.id = w.product_id where l.stock_quantity < w.quantity)
      ) as ok
    ),
    taken as (
      update products p set stock_quantity = p.stock_quantity - w.quantity, updated_at = now()
      from wanted w, enough
      where ${take} and enough.ok and p.id = w.product_id
      returning p.id, p.stock_quantity
    ),
    sale as (
      insert into transactions (order_ref, customer_id, status, payment_method, channel, subtotal_cents,
        discount_cents, total_cents, item_count, fraud_score, fraud_decision, fraud_reasons, idempotency_key,
        request_hash, simulated, created_at, updated_at, device_id, ip_address, email, card_bin, card_last4,
        billing_country, shipping_country, user_agent, fraud_prior_score, fraud_link_flags, max_item_quantity,
        category_units)
      select ${sale.orderRef}, ${sale.customerId}, ${sale.status}, ${sale.paymentMethod}, ${sale.channel},
        ${sale.subtotalCents}, 0, ${sale.subtotalCents}, ${sale.itemCount}, ${sale.storedScore},
        ${sale.verdict.decision}, ${tx.json(sale.verdict.reasons as never)}, ${sale.idempotencyKey},
        ${sale.requestHash}, ${sale.simulated}, ${sale.now}, ${sale.now}, ${deviceId}, ${ipAddress}, ${email},
        ${cardBin}, ${cardLast4}, ${billingCountry}, ${shippingCountry}, ${userAgent}, ${sale.priorScore},
        ${sale.linkFlags}, ${sale.lineSummary.maxItemQuantity},
        ${tx.json(sale.lineSummary.categoryUnits)}
      from enough where enough.ok
      returning id, order_ref
    ),
    lines as (
      insert into transaction_items (transaction_id, product_id, quantity, unit_price_cents)
      select sale.id, w.product_id, w.quantity, w.unit_price_cents from sale, wanted w
      returning 1
    ),
    ${auditedCte(tx, [sale])}
    ${fraudAlertsCte(tx, [sale])}
    select (select id from sale) as id, coalesce((select json_agg(taken) from taken), '[]') as stock
      ${raisedAlertsColumn(tx, [sale])}`;
  if (row.id === null) return undefined;
  return {
    id: Number(row.id),
    stock: row.stock.map((s) => ({ productId: s.id, stockQuantity: s.stock_quantity })),
    alerts: raisedOfNewRows(row.alerts),
  };
}

/**
 * Writes many one-line sales (allowed, under review or blocked), of any products, in ONE statement (the
 * group commit of every sale that queued while the previous write ran): the products of the sales that
 * take stock are locked once each, in id order (as `writeSale` locks them: no deadlock with a multi-item
 * order), those that fit a product's stock are taken in arrival order (a running total per product), each
 * product's stock goes down once by its total, and each sale still gets its own transaction row (identity
 * columns included), line and audit entry, and the fraud alerts of those under review or blocked are raised
 * with them (one upsert per customer's alert, `raiseAlertsOfNewRowsCte`). A blocked sale is written as
 * `writeSale` writes it: its row and line, no stock taken. On the pool it commits on its own, so the row
 * locks are held only while the statement runs. Returns, per sale in order, its id and the stock left after
 * it (null for a blocked sale), or `undefined` when it did not fit; the stock of each product after the
 * batch; and the alerts raised or updated (by dedupe key).
 */
export async function writeOneLineSales(
  sql: Sql | TransactionSql,
  sales: PreparedSale[],
): Promise<{
  results: ({ id: number; stockAfter: number | null } | undefined)[];
  stock: StockAfter[];
  alerts: RaisedOfNewRows[];
}> {
  // The batch goes as one JSON parameter (stringified natively) rather than 23 arrays: postgres.js
  // serializes and escapes each array element in JavaScript, a few per cent of a sale's CPU
  const rows = sales.map((s, index) => {
    const identity = identityValues(s.identity);
    return {
      order_ref: s.orderRef,
      customer_id: s.customerId,
      payment_method: s.paymentMethod,
      channel: s.channel,
      subtotal: s.subtotalCents,
      item_count: s.itemCount,
      score: s.storedScore,
      reasons: s.verdict.reasons,
      at: s.now.toISOString(),
      product_id: s.lines[0].productId,
      quantity: s.lines[0].quantity,
      unit_price_cents: s.lines[0].unitPriceCents,
      decision: s.verdict.decision,
      simulated: s.simulated,
      device_id: identity[0],
      ip_address: identity[1],
      email: identity[2],
      card_bin: identity[3],
      card_last4: identity[4],
      billing_country: identity[5],
      shipping_country: identity[6],
      user_agent: identity[7],
      prior_score: s.priorScore ?? null,
      link_flags: s.linkFlags ?? null,
      category_units: s.lineSummary.categoryUnits,
      blocked: s.status === "blocked",
      position: index + 1,
    };
  });
  const [row] = await sql<[{
    sales: { id: number; order_ref: string; stock_after: number | null }[];
    stock: { id: number; stock_quantity: number }[];
    alerts: Record<string, unknown>[] | null;
  }]>`
    with wanted as (
      -- a blocked sale takes no stock: it counts nothing towards its product's running total
      select s.*, sum(case when s.blocked then 0 else s.quantity end)
          over (partition by s.product_id order by s.position) as running
      from jsonb_to_recordset(${sql.json(rows as never)}) as s(order_ref text, customer_id bigint,
        payment_method text, channel text, subtotal bigint, item_count int, score int, reasons jsonb,
        at timestamptz, product_id bigint, quantity int, unit_price_cents int, decision text, simulated boolean,
        device_id text, ip_address text, email text, card_bin text, card_last4 text, billing_country text,
        shipping_country text, user_agent text, prior_score real, link_flags smallint, category_units jsonb,
        blocked boolean, position int)
    ),
    locked as (
      select p.id, p.stock_quantity from products p
      where p.id in (select product_id from wanted where not blocked)
      order by p.id
      -- not FOR UPDATE: that blocks the key-share lock a blocked sale's line takes on the product for its
      -- foreign key, and the blocked sale, holding its new alert, then deadlocked with a batch raising
      -- the same customer's alert. Sales still queue on each other's stock lock (no oversell)
      for no key update
    ),
    fits as (
      select w.*, case when not w.blocked then l.stock_quantity - w.running end as stock_after
      from wanted w left join locked l on l.id = w.product_id
      where w.blocked or w.running <= l.stock_quantity
    ),
    taken as (
      update products p set stock_quantity = p.stock_quantity - f.total, updated_at = now()
      from (select product_id, sum(quantity) as total from fits where not blocked group by product_id) f
      where p.id = f.product_id
      returning p.id, p.stock_quantity
    ),
    sale as (
      insert into transactions (order_ref, customer_id, status, payment_method, channel, subtotal_cents,
        discount_cents, total_cents, item_count, fraud_score, fraud_decision, fraud_reasons, simulated,
        created_at, updated_at, device_id, ip_address, email, card_bin, card_last4, billing_country,
        shipping_country, user_agent, fraud_prior_score, fraud_link_flags, max_item_quantity, category_units)
      select order_ref, customer_id, case when blocked then 'blocked' else 'completed' end, payment_method,
        channel, subtotal, 0, subtotal, item_count, score,
        decision, reasons, simulated, at, at, device_id, ip_address, email, card_bin, card_last4,
        billing_country, shipping_country, user_agent, prior_score, link_flags, quantity, category_units
      from fits
      returning id, order_ref
    ),
    lines as (
      insert into transaction_items (transaction_id, product_id, quantity, unit_price_cents)
      select sale.id, f.product_id, f.quantity, f.unit_price_cents from sale join fits f using (order_ref)
      returning 1
    ),
    ${auditedCte(sql, sales)}
    ${fraudAlertsCte(sql, sales)}
    select coalesce((select json_agg(json_build_object('id', sale.id, 'order_ref', sale.order_ref,
        'stock_after', f.stock_after)) from sale join fits f using (order_ref)), '[]') as sales,
      coalesce((select json_agg(taken) from taken), '[]') as stock
      ${raisedAlertsColumn(sql, sales)}`;
  const byRef = new Map(row.sales.map((s) => [s.order_ref, { id: Number(s.id), stockAfter: s.stock_after }]));
  return {
    results: sales.map((sale) => byRef.get(sale.orderRef)),
    stock: row.stock.map((s) => ({ productId: Number(s.id), stockQuantity: s.stock_quantity })),
    alerts: raisedOfNewRows(row.alerts),
  };
}

/** The stock of a product now (for the message of a sale that did not fit). */
export async function currentStock(sql: Sql | TransactionSql, productId: number): Promise<number> {
  const [row] = await sql<[{ stock_quantity: number }?]>`
    select stock_quantity from products where id = ${productId}`;
  return row?.stock_quantity ?? 0;
}
