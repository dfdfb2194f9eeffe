import { TRPCError } from "@trpc/server";
import type { Sql, TransactionSql } from "../db/mod.ts";
import type { EventBus } from "../events/bus.ts";
import { DEFAULT_FRAUD_RULES, type FraudRules, type FraudScore, scoreTransaction } from "../fraud/mod.ts";
import type { Logger } from "../log.ts";
import {
  DEFAULT_LOW_STOCK_THRESHOLD,
  fraudAlert,
  lowStockAlert,
  type RaisedAlert,
  raiseDedupedAlert,
} from "./alert_queries.ts";
import { fraudCategory, loadFraudContext } from "./fraud_history_queries.ts";
import { getTransactionDetail } from "./read_queries.ts";
import { hashTransactionRequest } from "./request_hash.ts";
import type { NewTransaction, TransactionDetail } from "./schemas.ts";

/** What creating a transaction needs: the database, and the bus to announce it on after commit. */
export interface CreateDeps {
  db: { sql: Sql };
  bus: EventBus;
  log: Logger;
}

/** The created (or, for a retried Idempotency-Key, the earlier) transaction. */
export interface CreateResult {
  transaction: TransactionDetail;
  /** True when the transaction was created by an earlier request with the same idempotency key. */
  replayed: boolean;
}

interface StockChange {
  productId: number;
  stockQuantity: number;
  change: number;
}

interface Written extends CreateResult {
  stockChanges: StockChange[];
  alerts: RaisedAlert[];
}

interface CatalogRow {
  id: number;
  sku: string;
  name: string;
  category: string;
  price_cents: number;
  is_active: boolean;
}

/**
 * Creates a transaction in ONE database transaction: prices from the catalog (never the client); the
 * fraud score from the customer's history; for an allowed or reviewed order, stock taken with conditional
 * updates in product-id order (no oversell under any concurrency, no deadlock between multi-item orders);
 * a blocked order is recorded as `blocked` and takes no stock; one deduplicated alert for a suspicious
 * customer and for each product left low. Events go out after the commit.
 *
 * With `order.idempotencyKey`, a retry returns the first result (`replayed: true`) and the same key with
 * a different order is a CONFLICT; concurrent requests with one key queue on an advisory lock, and the
 * unique index on the key is the last line of defence.
 *
 * @param deps database, bus and logger
 * @param order the normalised order (see `createTransactionInput`)
 * @param options the fraud rules in force (defaults to the shipped ones) and the moment of the sale
 */
export async function createTransaction(
  deps: CreateDeps,
  order: NewTransaction,
  options: { rules?: FraudRules; now?: Date } = {},
): Promise<CreateResult> {
  const rules = options.rules ?? DEFAULT_FRAUD_RULES;
  const requestHash = await hashTransactionRequest(order);
  let written: Written;
  try {
    written = await deps.db.sql.begin((tx) =>
      writeTransaction(tx, order, { rules, requestHash, now: options.now ?? new Date() })
    );
  } catch (error) {
    // Two requests with one key raced past the lock (it cannot happen with the lock, but the index decides)
    if (order.idempotencyKey && isUniqueViolation(error, "transactions_idempotency_key_key")) {
      const earlier = await deps.db.sql.begin((tx) =>
        replayIdempotent(tx, order.idempotencyKey!, requestHash)
      );
      if (earlier) return earlier;
    }
    throw error;
  }
  if (!written.replayed) await publishCreated(deps, written);
  return { transaction: written.transaction, replayed: written.replayed };
}

function isUniqueViolation(error: unknown, constraint: string): boolean {
  const e = error as { code?: string; constraint_name?: string };
  return e?.code === "23505" && e.constraint_name === constraint;
}

async function replayIdempotent(
  tx: TransactionSql,
  key: string,
  requestHash: string,
): Promise<Written | undefined> {
  const [earlier] = await tx<[{ id: number; request_hash: string | null }?]>`
    select id, request_hash from transactions where idempotency_key = ${key}`;
  if (!earlier) return undefined;
  if (earlier.request_hash !== requestHash) {
    throw new TRPCError({
      code: "CONFLICT",
      message:
        `Idempotency-Key "${key}" was already used for a different request (transaction ${earlier.id})`,
    });
  }
  const transaction = await getTransactionDetail(tx, earlier.id);
  return { transaction: transaction!, replayed: true, stockChanges: [], alerts: [] };
}

async function writeTransaction(
  tx: TransactionSql,
  order: NewTransaction,
  options: { rules: FraudRules; requestHash: string; now: Date },
): Promise<Written> {
  const { rules, now } = options;
  const key = order.idempotencyKey;
  if (key) {
    // Serialises requests carrying the same key: the second one waits, then finds the first one's result
    await tx`select pg_advisory_xact_lock(hashtextextended(${key}, 4031))`;
    const earlier = await replayIdempotent(tx, key, options.requestHash);
    if (earlier) return earlier;
  }

  const productIds = order.items.map((item) => item.productId);
  const catalog = await tx<CatalogRow[]>`
    select id, sku, name, category, price_cents, is_active
    from products where id = any(${tx.array(productIds)}::bigint[])`;
  const byId = new Map(catalog.map((product) => [product.id, product]));
  for (const item of order.items) {
    const product = byId.get(item.productId);
    if (!product) throw new TRPCError({ code: "NOT_FOUND", message: `No product with id ${item.productId}` });
    if (!product.is_active) {
      throw new TRPCError({
        code: "BAD_REQUEST",
        message: `Product "${product.name}" (id ${product.id}) is no longer sold`,
      });
    }
  }

  const fraud = await loadFraudContext(tx, { customerId: order.customerId, productIds, now, rules });
  if (!fraud) throw new TRPCError({ code: "NOT_FOUND", message: `No customer with id ${order.customerId}` });

  const lines = order.items.map((item) => {
    const product = byId.get(item.productId)!;
    return { product, quantity: item.quantity, unitPriceCents: product.price_cents };
  });
  const subtotalCents = lines.reduce((sum, line) => sum + line.unitPriceCents * line.quantity, 0);
  const verdict: FraudScore = scoreTransaction(
    {
      customerId: order.customerId,
      customerCreatedAt: fraud.customerCreatedAt,
      createdAt: now,
      items: lines.map((line) => ({
        productId: line.product.id,
        category: fraudCategory(line.product.category),
        unitPriceCents: line.unitPriceCents,
        quantity: line.quantity,
      })),
      totalCents: subtotalCents,
      paymentMethod: order.paymentMethod,
    },
    fraud.history,
    rules,
    now,
  );
  const blocked = verdict.decision === "block";

  // Conditional decrements in id order: the row lock of each update is taken in the same order by every
  // order, so two multi-item orders never wait on each other in a cycle.
  const stockChanges: StockChange[] = [];
  const lowStock: { product: CatalogRow; stock: number; threshold: number }[] = [];
  if (!blocked) {
    for (const line of [...lines].sort((a, b) => a.product.id - b.product.id)) {
      const [updated] = await tx<[{ stock_quantity: number; threshold: number }?]>`
        update products
        set stock_quantity = stock_quantity - ${line.quantity}, updated_at = now()
        where id = ${line.product.id} and stock_quantity >= ${line.quantity}
        returning stock_quantity, coalesce(reorder_point, ${DEFAULT_LOW_STOCK_THRESHOLD}) as threshold`;
      if (!updated) {
        const [current] = await tx<[{ stock_quantity: number }]>`
          select stock_quantity from products where id = ${line.product.id}`;
        throw new TRPCError({
          code: "CONFLICT",
          message: `Insufficient stock for ${line.product.name}: ${current.stock_quantity} left`,
        });
      }
      stockChanges.push({
        productId: line.product.id,
        stockQuantity: updated.stock_quantity,
        change: -line.quantity,
      });
      if (updated.stock_quantity <= updated.threshold) {
        lowStock.push({ product: line.product, stock: updated.stock_quantity, threshold: updated.threshold });
      }
    }
  }

  // The column holds whole points; flooring keeps "stored score >= threshold" equal to the decision's test
  const storedScore = Math.floor(verdict.score);
  const itemCount = lines.reduce((sum, line) => sum + line.quantity, 0);
  const orderRef = `API-${crypto.randomUUID().replaceAll("-", "").slice(0, 16).toUpperCase()}`;
  const [inserted] = await tx<[{ id: number }]>`
    insert into transactions (order_ref, customer_id, status, payment_method, channel, subtotal_cents,
      discount_cents, total_cents, item_count, fraud_score, fraud_decision, fraud_reasons, idempotency_key,
      request_hash, created_at, updated_at)
    values (${orderRef}, ${order.customerId}, ${blocked ? "blocked" : "completed"}, ${order.paymentMethod},
      ${order.channel}, ${subtotalCents}, 0, ${subtotalCents}, ${itemCount}, ${storedScore}, ${verdict.decision},
      ${tx.json(verdict.reasons as never)}, ${key ?? null}, ${
    key ? options.requestHash : null
  }, ${now}, ${now})
    returning id`;
  const itemRows = lines.map((line) => ({
    transaction_id: inserted.id,
    product_id: line.product.id,
    quantity: line.quantity,
    unit_price_cents: line.unitPriceCents,
  }));
  await tx`
    insert into transaction_items ${
    tx(itemRows, "transaction_id", "product_id", "quantity", "unit_price_cents")
  }`;

  const alerts: RaisedAlert[] = [];
  if (verdict.decision !== "allow") {
    const raised = await raiseDedupedAlert(
      tx,
      fraudAlert(
        {
          id: inserted.id,
          customerId: order.customerId,
          customerName: fraud.customerName,
          totalCents: subtotalCents,
        },
        { score: storedScore, decision: verdict.decision, reasons: verdict.reasons },
        { thresholds: rules.thresholds, now },
      ),
    );
    if (raised) alerts.push(raised);
  }
  for (const { product, stock, threshold } of lowStock) {
    const raised = await raiseDedupedAlert(tx, lowStockAlert(product, stock, threshold));
    if (raised) alerts.push(raised);
  }

  const transaction = await getTransactionDetail(tx, inserted.id);
  return { transaction: transaction!, replayed: false, stockChanges, alerts };
}

/** Announces a committed transaction; a failed publish is logged, never turned into a failed sale. */
async function publishCreated(deps: CreateDeps, written: Written): Promise<void> {
  const t = written.transaction;
  try {
    await deps.bus.publish("transaction.created", {
      id: t.id,
      orderRef: t.orderRef,
      status: t.status,
      customerId: t.customer?.id ?? null,
      totalCents: t.totalCents,
      itemCount: t.itemCount,
      fraudScore: t.fraudScore,
      fraudDecision: t.fraudDecision,
      items: t.items.map((item) => ({ productId: item.productId, quantity: item.quantity })),
      createdAt: t.createdAt.toISOString(),
    });
    for (const change of written.stockChanges) {
      await deps.bus.publish("stock.changed", { ...change, reason: "sale", transactionId: t.id });
    }
    for (const alert of written.alerts) await deps.bus.publish("alert.raised", alert);
  } catch (error) {
    deps.log.error("publishing a created transaction failed", { transactionId: t.id, error });
  }
}
