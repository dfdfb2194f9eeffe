import { TRPCError } from "@trpc/server";
import type { Sql, TransactionSql } from "../db/mod.ts";
import { type EventBus, publishAfterCommit } from "../events/bus.ts";
import { DEFAULT_FRAUD_RULES, type FraudRules, type QuantityStats } from "../fraud/mod.ts";
import { loadSaleModelInput } from "../fraud/model/sale_model_input.ts";
import { type SaleVerdict, scoreSale } from "../fraud/model/score_sale.ts";
import type { Logger } from "../log.ts";
import { type StockChanged, stockChangedEvents, takenBySale } from "../products/stock.ts";
import { alertEvent, type AlertRow, type RaisedOfNewRows, raisedPerInput } from "../alerts/alert_queries.ts";
import { stockAlertSyncsOf } from "../alerts/stock_alert_sync.ts";
import type { AuditContext } from "../auth/audit.ts";
import { fraudAlert } from "./sale_alerts.ts";
import { fraudCategory, type FraudContext, readFraudContext } from "./fraud_history_queries.ts";
import { nextOrderRef } from "./order_ref.ts";
import { getTransactionDetail } from "./read_queries.ts";
import { readFraudReasons } from "../fraud/stored_reasons.ts";
import { QuantityStatsCache } from "./quantity_stats_cache.ts";
import { KeyedBatcher } from "./sale_batcher.ts";
import { lineSummaryOf } from "./line_summary.ts";
import {
  currentStock,
  type PreparedSale,
  type StockAfter,
  writeOneLineSales,
  writeSale,
} from "./sale_writes.ts";
import { hashTransactionRequest } from "./request_hash.ts";
import {
  type CatalogRow,
  type CustomerRow,
  type OneLineSaleContext,
  readOneLineSaleContexts,
  readSaleContext,
  type SaleContextRow,
} from "./sale_context_queries.ts";
import type { NewTransaction, TransactionDetail } from "./schemas.ts";

/** What creating a transaction needs: the database, and the bus to announce it on after commit. */
export interface CreateDeps {
  /** `saleSql` runs the sale's own read and write (generic plans); the rest uses `sql` */
  db: { sql: Sql; saleSql: Sql };
  bus: EventBus;
  log: Logger;
  config: { STORE_TZ: string };
}

/** The created (or, for a retried Idempotency-Key, the earlier) transaction. */
export interface CreateResult {
  transaction: TransactionDetail;
  /** True when the transaction was created by an earlier request with the same idempotency key. */
  replayed: boolean;
  /**
   * The fraud model's features this sale was scored on (not for a replayed key). Not answered to clients:
   * the training/serving parity check compares them with the replay's (`sale_parity_test.ts`).
   */
  features?: Float64Array;
}

/** An alert raised or updated by a sale, published after commit (`alert.raised` or `alert.changed`). */
type RaisedAlert = { alert: AlertRow; created: boolean };

interface Written extends CreateResult {
  stockChanges: StockChanged[];
  /** the fraud alert a sale raised or updated (stock alerts are synced after the commit) */
  alerts: RaisedAlert[];
}

/**
 * Creates a transaction. Everything that needs no lock happens first, on the pool: prices and the
 * catalog check, the customer, the fraud features, the model input and score, the order reference
 * (`nextOrderRef`). Then the write holds the stock lock as briefly as it can: one statement takes the
 * stock of every line (conditionally, products locked in id order: no oversell under any concurrency,
 * no deadlock between multi-item orders), inserts the transaction with its identity columns, its lines,
 * its `transaction.created` audit entry and, for a sale under review or blocked, the customer's fraud
 * alert (raised or updated in the same statement: it commits with the sale or not at all), and commits.
 * A blocked order is recorded as `blocked` and takes no stock. Concurrent one-line sales are committed
 * together (`KeyedBatcher`, one lane for all products): one statement, one lock per product and one
 * commit per batch, each sale still its own row. After the commit, without the answer waiting on them:
 * the events (the alert's among them) and the stock alerts of the products sold (queued on the
 * instance's coalesced syncs,
 * `stockAlertSyncsOf`: one check per product per window, however many sales).
 *
 * With `order.idempotencyKey`, a retry returns the first result (`replayed: true`) and the same key with
 * a different order is a CONFLICT; concurrent requests with one key queue on an advisory lock, and the
 * unique index on the key is the last line of defence.
 *
 * @param deps database, bus, logger and the shop's time zone
 * @param order the normalised order (see `createTransactionInput`)
 * @param options the fraud rules in force (defaults to the shipped ones), the moment of the sale, whether
 *   the traffic simulator made it, and who made it (for the audit entry)
 */
export async function createTransaction(
  deps: CreateDeps,
  order: NewTransaction,
  options: { rules?: FraudRules; now?: Date; simulated?: boolean; audit?: AuditContext } = {},
): Promise<CreateResult> {
  const rules = options.rules ?? DEFAULT_FRAUD_RULES;
  const key = order.idempotencyKey;
  // only a sale with a key stores (and compares) the hash of what it asked for
  const requestHash = key ? hashTransactionRequest(order) : "";
  if (key) {
    // A retry answers before anything else is checked (its product may have been retired since)
    const earlier = await replayIdempotent(deps.db.sql, key, requestHash);
    if (earlier) return earlier;
  }
  const prepared = await prepareSale(deps, order, {
    rules,
    requestHash,
    now: options.now ?? new Date(),
    simulated: options.simulated ?? false,
    audit: options.audit,
  });
  let written: Written;
  try {
    written = await writePrepared(deps, prepared);
  } catch (error) {
    // Two requests with one key raced past the lock (it cannot happen with the lock, but the index decides)
    if (key && isUniqueViolation(error, "transactions_idempotency_key_key")) {
      const earlier = await replayIdempotent(deps.db.sql, key, requestHash);
      if (earlier) return earlier;
    }
    throw error;
  }
  if (!written.replayed) void publishCreated(deps, written);
  return written.replayed
    ? { transaction: written.transaction, replayed: true }
    : { transaction: written.transaction, replayed: false, features: prepared.features };
}

function isUniqueViolation(error: unknown, constraint: string): boolean {
  const e = error as { code?: string; constraint_name?: string };
  return e?.code === "23505" && e.constraint_name === constraint;
}

async function replayIdempotent(
  sql: Sql | TransactionSql,
  key: string,
  requestHash: string,
): Promise<Written | undefined> {
  const [earlier] = await sql<[{ id: number; request_hash: string | null }?]>`
    select id, request_hash from transactions where idempotency_key = ${key}`;
  if (!earlier) return undefined;
  if (earlier.request_hash !== requestHash) {
    throw new TRPCError({
      code: "CONFLICT",
      message:
        `Idempotency-Key "${key}" was already used for a different request (transaction ${earlier.id})`,
    });
  }
  const transaction = await getTransactionDetail(sql, earlier.id);
  return { transaction: transaction!, replayed: true, stockChanges: [], alerts: [] };
}

/** A sale priced, checked and scored, with what its answer shows; no lock taken yet. */
interface Prepared {
  sale: PreparedSale;
  products: Map<number, CatalogRow>;
  customer: CustomerRow;
  customerName: string;
  rules: FraudRules;
  /** the model's features the sale was scored on */
  features?: Float64Array;
}

/**
 * Everything before the stock lock: the catalog (prices from it, never the client; retired products
 * refused), the customer, and the fraud features and score from their history.
 */
export async function prepareSale(
  { db, bus }: Pick<CreateDeps, "db" | "bus">,
  order: NewTransaction,
  options: { rules: FraudRules; requestHash: string; now: Date; simulated: boolean; audit?: AuditContext },
): Promise<Prepared> {
  const { rules, now } = options;
  const { sql, saleSql } = db;
  const productIds = order.items.map((item) => item.productId);
  // each product's usual quantity comes from this instance's short-lived copy when it has one
  const quantities = quantityStatsOf(sql);
  const { known, missing } = quantities.split(productIds);
  const read = productIds.length === 1
    // one-line sales read their context in the instance's lane: the ones that arrive while a read
    // runs are read together next, in one statement
    ? contextLaneFor(saleSql, rules).submit(contextLane, {
      customerId: order.customerId,
      productId: productIds[0],
      now,
      readQuantities: missing.length > 0,
    })
    : readSaleContext(saleSql, { customerId: order.customerId, productIds, now }, rules, missing);
  const [{ catalog, customer, order_ref: drawnRef, ref_taken: refTaken, fraud: fraudRow }, model] =
    await Promise
      .all([
        read,
        // the model and the entity-link counts need no lock (on the pool whose instance caches the model)
        loadSaleModelInput({ sql, bus }, { customerId: order.customerId, identity: order.identity, now }),
      ]);
  const fraud = withKnownQuantities(readFraudContext(fraudRow), quantities, known, missing);
  const byId = new Map(catalog.map((product) => [Number(product.id), product]));
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
  if (!fraud || !customer) {
    throw new TRPCError({ code: "NOT_FOUND", message: `No customer with id ${order.customerId}` });
  }

  const lines = order.items.map((item) => {
    const product = byId.get(item.productId)!;
    return { product, quantity: item.quantity, unitPriceCents: product.price_cents };
  });
  const subtotalCents = lines.reduce((sum, line) => sum + line.unitPriceCents * line.quantity, 0);
  const items = lines.map((line) => ({
    productId: line.product.id,
    category: fraudCategory(line.product.category),
    unitPriceCents: line.unitPriceCents,
    quantity: line.quantity,
  }));
  // The seam for fraud scoring: features come from the history read above, before any lock
  const verdict: SaleVerdict = scoreSale(
    {
      customerId: order.customerId,
      customerCreatedAt: fraud.customerCreatedAt,
      createdAt: now,
      items,
      totalCents: subtotalCents,
      paymentMethod: order.paymentMethod,
    },
    fraud.history,
    rules,
    now,
    model,
  );
  const key = order.idempotencyKey;
  // A number already taken (an import beyond the sequence) is drawn again past the taken ones
  const orderRef = drawnRef && !refTaken ? drawnRef : await nextOrderRef(sql);
  const storedScore = Math.floor(verdict.score);
  return {
    sale: {
      orderRef,
      customerId: order.customerId,
      status: verdict.decision === "block" ? "blocked" : "completed",
      paymentMethod: order.paymentMethod,
      channel: order.channel,
      subtotalCents,
      itemCount: lines.reduce((sum, line) => sum + line.quantity, 0),
      storedScore,
      verdict,
      priorScore: verdict.priorScore ?? null,
      linkFlags: verdict.linkFlags ?? null,
      idempotencyKey: key ?? null,
      requestHash: key ? options.requestHash : null,
      simulated: options.simulated,
      identity: order.identity ?? {},
      audit: options.audit,
      now,
      // raised by the sale's own statement, which fills in the transaction's id
      alert: verdict.decision === "allow" ? null : fraudAlert(
        { customerId: order.customerId, customerName: fraud.customerName, totalCents: subtotalCents },
        { score: storedScore, decision: verdict.decision, reasons: verdict.reasons },
        { thresholds: rules.thresholds, now },
      ),
      // in id order: the statement locks in this order too
      lines: lines.map((line) => ({
        productId: Number(line.product.id),
        quantity: line.quantity,
        unitPriceCents: line.unitPriceCents,
      })).sort((a, b) => a.productId - b.productId),
      lineSummary: lineSummaryOf(items),
    },
    products: byId,
    customer,
    customerName: fraud.customerName,
    rules,
    features: verdict.features,
  };
}

const quantityStats = new WeakMap<object, QuantityStatsCache>();

function quantityStatsOf(sql: Sql): QuantityStatsCache {
  let cache = quantityStats.get(sql);
  if (!cache) quantityStats.set(sql, cache = new QuantityStatsCache());
  return cache;
}

/** The key of the context lane (one per pool and rules in force). */
const contextLane = 0;

const contextLanes = new WeakMap<
  object,
  WeakMap<FraudRules, KeyedBatcher<OneLineSaleContext, SaleContextRow>>
>();

function contextLaneFor(sql: Sql, rules: FraudRules): KeyedBatcher<OneLineSaleContext, SaleContextRow> {
  let byRules = contextLanes.get(sql);
  if (!byRules) contextLanes.set(sql, byRules = new WeakMap());
  let lane = byRules.get(rules);
  if (!lane) {
    lane = new KeyedBatcher<OneLineSaleContext, SaleContextRow>(
      async (_key, sale) => (await readOneLineSaleContexts(sql, [sale], rules))[0],
      (_key, sales) => readOneLineSaleContexts(sql, sales, rules),
      256,
      // reads take no lock: a second read runs beside the first once 16 sales wait for it (reads started
      // whenever there was room made small batches that cost the database more a sale)
      2,
      16,
    );
    byRules.set(rules, lane);
  }
  return lane;
}

/** The fraud context with the usual quantities this instance already knew; keeps the ones just read. */
function withKnownQuantities(
  fraud: FraudContext | undefined,
  cache: QuantityStatsCache,
  known: Record<string, QuantityStats>,
  missing: number[],
): FraudContext | undefined {
  if (!fraud) return undefined;
  cache.remember(missing, fraud.history.productQuantityStats);
  return {
    ...fraud,
    history: { ...fraud.history, productQuantityStats: { ...known, ...fraud.history.productQuantityStats } },
  };
}

/**
 * One-line sales without an idempotency key (blocked ones too) go through the instance's sales lane:
 * one is written at once when the lane is idle, and the ones that arrive while a write runs are
 * written together next, whatever their products (one statement and one commit per batch); the rest
 * go alone.
 */
function writePrepared(deps: CreateDeps, prepared: Prepared): Promise<Written> {
  const { sale } = prepared;
  if (sale.idempotencyKey || sale.lines.length !== 1) {
    return writeAlone(deps, prepared);
  }
  return batcherFor(deps).submit(oneLineSales, prepared);
}

/** The lane's key: one lane for every one-line sale of the instance (a batch locks its products in id order). */
const oneLineSales = 0;

const batchers = new WeakMap<object, KeyedBatcher<Prepared, Written>>();

function batcherFor(deps: CreateDeps): KeyedBatcher<Prepared, Written> {
  let batcher = batchers.get(deps.db.sql);
  if (!batcher) {
    batcher = new KeyedBatcher<Prepared, Written>(
      (_lane, prepared) => writeAlone(deps, prepared),
      (_lane, many) => writeBatch(deps, many),
      256,
      // a second batch beside the first once 16 sales wait: one commits while the next is written (both
      // lock products in id order). A second write started whenever there was room went alone every other
      // time (a statement and a commit for one sale, 3.5 times a batched sale's database time)
      2,
      16,
    );
    batchers.set(deps.db.sql, batcher);
  }
  return batcher;
}

/**
 * One sale alone. With an idempotency key: a transaction holding the key's advisory lock around the
 * replay check and the write. Without: the one-statement write commits on its own (the stock lock is
 * never held across a round trip to the app). Either way the sale's fraud alert is raised by the
 * write's own statement, and the stock alerts of its products are queued for the next sync (not
 * waited for).
 */
async function writeAlone(deps: CreateDeps, prepared: Prepared): Promise<Written> {
  const { sale } = prepared;
  let written: Written;
  if (!sale.idempotencyKey) {
    const row = await writeSale(deps.db.saleSql, sale);
    if (!row) return await refuseInsufficient(deps.db.sql, prepared);
    written = writtenOf(prepared, row);
  } else {
    written = await deps.db.sql.begin(async (tx) => {
      // Serialises requests carrying the same key: the second one waits, then finds the first one's result
      await tx`select pg_advisory_xact_lock(hashtextextended(${sale.idempotencyKey}, 4031))`;
      const earlier = await replayIdempotent(tx, sale.idempotencyKey!, sale.requestHash!);
      if (earlier) return earlier;
      const row = await writeSale(tx, sale);
      if (!row) return await refuseInsufficient(tx, prepared);
      return writtenOf(prepared, row);
    });
    if (written.replayed) return written;
  }
  stockAlertSyncsOf(deps).add(written.stockChanges.map((change) => change.productId));
  return written;
}

function writtenOf(
  prepared: Prepared,
  written: { id: number; stock: StockAfter[]; alerts: RaisedOfNewRows[] },
): Written {
  const stockChanges = takenBySale(written.id, prepared.sale.lines, written.stock);
  const [alert] = raisedPerInput([prepared.sale.alert?.dedupeKey ?? null], written.alerts);
  return {
    transaction: detailOf(prepared, written.id),
    replayed: false,
    stockChanges,
    alerts: alert ? [alert] : [],
  };
}

/**
 * One-line sales, of any products, written by the lane in one statement with the fraud alerts of those
 * under review or blocked; each answer is its own. Each product's stock alert is queued once for
 * the whole batch (not waited for).
 */
export async function writeBatch(deps: CreateDeps, many: Prepared[]): Promise<Promise<Written>[]> {
  const { results, stock, alerts } = await writeOneLineSales(deps.db.saleSql, many.map((p) => p.sale));
  if (stock.length > 0) stockAlertSyncsOf(deps).add(stock.map((s) => s.productId));
  // each sale that was written gets its alert, the first of a customer's new alert as raising it
  const raised = raisedPerInput(
    many.map((prepared, index) => results[index] ? prepared.sale.alert?.dedupeKey ?? null : null),
    alerts,
  );
  return many.map(async (prepared, index) => {
    const result = results[index];
    if (!result) return await writeAloneIfItFits(deps, prepared);
    const alert = raised[index];
    return {
      transaction: detailOf(prepared, result.id),
      replayed: false,
      // a blocked sale took nothing
      stockChanges: result.stockAfter === null ? [] : takenBySale(result.id, prepared.sale.lines, [{
        productId: prepared.sale.lines[0].productId,
        stockQuantity: result.stockAfter,
      }]),
      alerts: alert ? [alert] : [],
    };
  });
}

/**
 * A sale its batch did not fit. The batch takes a product's sales while their running total stays within
 * the stock, and that total counts the ones that did not fit too, so after a sale too large for what was
 * left a smaller one is refused with it (2 left, sales of 2 and 1 after a sale of 1: the 1 would fit). Such
 * a sale is written alone when the stock still covers it (its own statement checks again under the lock,
 * so nothing is oversold); otherwise it is refused, for the same one read of the stock as before.
 */
async function writeAloneIfItFits(deps: CreateDeps, prepared: Prepared): Promise<Written> {
  const [line] = prepared.sale.lines;
  const left = await currentStock(deps.db.sql, line.productId);
  if (left >= line.quantity) return await writeAlone(deps, prepared);
  throw insufficientStock(prepared, line.productId, left);
}

/** 409 naming the first line that lacks stock (nothing was written). */
async function refuseInsufficient(sql: Sql | TransactionSql, prepared: Prepared): Promise<never> {
  for (const line of prepared.sale.lines) {
    const left = await currentStock(sql, line.productId);
    if (left < line.quantity || line === prepared.sale.lines.at(-1)) {
      throw insufficientStock(prepared, line.productId, left);
    }
  }
  throw new Error("unreachable: a sale has at least one line");
}

function insufficientStock(prepared: Prepared, productId: number, left: number): TRPCError {
  return new TRPCError({
    code: "CONFLICT",
    message: `Insufficient stock for ${prepared.products.get(productId)!.name}: ${left} left`,
  });
}

/** The answer of a new sale, from what was written (no read after the commit). */
function detailOf(prepared: Prepared, id: number): TransactionDetail {
  const { sale, customer } = prepared;
  return {
    id,
    orderRef: sale.orderRef,
    status: sale.status,
    customer: {
      id: sale.customerId,
      code: customer.code,
      name: customer.name,
      email: customer.email,
      loyaltyTier: customer.loyalty_tier,
    },
    paymentMethod: sale.paymentMethod,
    channel: sale.channel,
    subtotalCents: sale.subtotalCents,
    discountCents: 0,
    totalCents: sale.subtotalCents,
    itemCount: sale.itemCount,
    fraudScore: sale.storedScore,
    fraudDecision: sale.verdict.decision,
    fraudReasons: readFraudReasons(sale.verdict.reasons),
    fraudLabel: null,
    simulated: sale.simulated,
    labeledBy: null,
    labeledAt: null,
    createdAt: sale.now,
    updatedAt: sale.now,
    refundedAt: null,
    cancelledAt: null,
    // a new sale has had nothing given back yet
    refundedCents: 0,
    refunds: [],
    deviceId: sale.identity.deviceId ?? null,
    ipAddress: sale.identity.ipAddress ?? null,
    email: sale.identity.email ?? null,
    cardBin: sale.identity.cardBin ?? null,
    cardLast4: sale.identity.cardLast4 ?? null,
    billingCountry: sale.identity.billingCountry ?? null,
    shippingCountry: sale.identity.shippingCountry ?? null,
    userAgent: sale.identity.userAgent ?? null,
    items: sale.lines.map((line) => {
      const product = prepared.products.get(line.productId)!;
      return {
        productId: line.productId,
        sku: product.sku,
        productName: product.name,
        category: product.category,
        quantity: line.quantity,
        unitPriceCents: line.unitPriceCents,
        lineTotalCents: line.unitPriceCents * line.quantity,
      };
    }),
    history: [],
  };
}

/** Announces a committed transaction; a failed publish is logged, never turned into a failed sale. */
async function publishCreated(deps: CreateDeps, written: Written): Promise<void> {
  const t = written.transaction;
  await publishAfterCommit(
    deps,
    {
      type: "transaction.created",
      data: {
        id: t.id,
        orderRef: t.orderRef,
        status: t.status,
        customerId: t.customer?.id ?? null,
        totalCents: t.totalCents,
        itemCount: t.itemCount,
        fraudScore: t.fraudScore,
        fraudDecision: t.fraudDecision,
        simulated: t.simulated,
        items: t.items.map((item) => ({ productId: item.productId, quantity: item.quantity })),
        createdAt: t.createdAt.toISOString(),
      },
    },
    ...stockChangedEvents(written.stockChanges),
    ...written.alerts.map(alertEvent),
  );
}
