import { TRPCError } from "@trpc/server";
import type { Caller } from "../trpc/roles.ts";
import type { Sql } from "../db/mod.ts";
import type { EventBus } from "../events/bus.ts";
import { activeFraudRules } from "../fraud/active_rules.ts";
import type { Logger } from "../log.ts";
import { createTransaction } from "../transactions/create_transaction.ts";
import { transition } from "../transactions/lifecycle.ts";
import { changeTransactionStatus } from "../transactions/lifecycle_queries.ts";
import {
  advanceOrderLink,
  customerForEmail,
  findOrderLink,
  type Integration,
  linkOrder,
  productIdsBySku,
} from "./integration_queries.ts";
import type { ExternalOrder } from "./order_events.ts";

export interface FeedDeps {
  db: { sql: Sql; saleSql: Sql };
  bus: EventBus;
  log: Logger;
  config: { STORE_TZ: string };
}

/** What a delivery did, for its answer and the delivery log. */
export interface FeedOutcome {
  outcome: "created" | "updated" | "unchanged" | "stale" | "rejected";
  message: string;
  transactionId: number | null;
  /** The HTTP status to answer with: platforms retry on 5xx and 409, not on 4xx about the payload. */
  status: 200 | 201 | 409 | 422;
}

/** Who acts on the transaction for the status history and the audit log: the integration itself. */
function integrationCaller(integration: Integration): Caller {
  return { userId: 0, username: `integration:${integration.name}`, role: "manager", via: "token" };
}

/**
 * Applies one order event through the same path as `POST /api/v1/transactions` (catalog prices, fraud
 * score, stock, events): an order seen for the first time is created, once, whatever the retries; a later
 * event moves it to cancelled or refunded; an event older than the newest one applied changes nothing.
 */
export async function applyOrderEvent(
  deps: FeedDeps,
  integration: Integration,
  order: ExternalOrder,
): Promise<FeedOutcome> {
  const link = await findOrderLink(deps.db.sql, integration.id, order.externalId);
  if (link) {
    if (order.updatedAt < link.updatedAt) {
      return {
        outcome: "stale",
        message: `An event of ${link.updatedAt.toISOString()} was applied already; this one is older`,
        transactionId: link.transactionId,
        status: 200,
      };
    }
    await advanceOrderLink(deps.db.sql, integration.id, order.externalId, order.updatedAt);
    return await applyState(deps, integration, link.transactionId, order.state);
  }
  const created = await createFromOrder(deps, integration, order);
  if (created.outcome === "rejected" || order.state === "open") return created;
  const moved = await applyState(deps, integration, created.transactionId!, order.state);
  return { ...moved, outcome: "created", status: 201 };
}

async function createFromOrder(
  deps: FeedDeps,
  integration: Integration,
  order: ExternalOrder,
): Promise<FeedOutcome> {
  const products = await productIdsBySku(deps.db.sql, order.items.map((item) => item.sku));
  const unknown = order.items.filter((item) => !products.has(item.sku)).map((item) => item.sku);
  if (unknown.length > 0) {
    return {
      outcome: "rejected",
      message: `No product with SKU ${
        unknown.map((sku) => `"${sku}"`).join(", ")
      }: add it to the catalog, then ` +
        "send the order again",
      transactionId: null,
      status: 422,
    };
  }
  const customerId = await customerForEmail(
    deps.db.sql,
    order.customer ??
      { email: `guest@${integration.kind}-${integration.id}.invalid`, name: "Guest", country: null },
  );
  try {
    const { transaction, replayed } = await createTransaction(deps, {
      customerId,
      items: order.items.map((item) => ({ productId: products.get(item.sku)!, quantity: item.quantity })),
      paymentMethod: order.paymentMethod,
      channel: order.channel,
      // A retried delivery (or two instances receiving it at once) creates the sale once
      idempotencyKey: `feed-${integration.id}-${order.externalId}`,
    }, {
      rules: await activeFraudRules(deps),
      now: order.createdAt > new Date() ? new Date() : order.createdAt,
    });
    await linkOrder(deps.db.sql, {
      integrationId: integration.id,
      externalId: order.externalId,
      transactionId: transaction.id,
      updatedAt: order.updatedAt,
    });
    return {
      outcome: replayed ? "unchanged" : "created",
      message: replayed ? "Already received" : `Sale ${transaction.orderRef} (${transaction.status})`,
      transactionId: transaction.id,
      status: replayed ? 200 : 201,
    };
  } catch (error) {
    if (!(error instanceof TRPCError)) throw error;
    return {
      outcome: "rejected",
      message: error.message,
      transactionId: null,
      status: error.code === "CONFLICT" ? 409 : 422,
    };
  }
}

async function applyState(
  deps: FeedDeps,
  integration: Integration,
  transactionId: number,
  state: ExternalOrder["state"],
): Promise<FeedOutcome> {
  const unchanged = "unchanged";
  if (state === "open") {
    return { outcome: unchanged, message: "Nothing to change", transactionId, status: 200 };
  }
  const action = state === "refunded" ? "refund" : "cancel";
  const [row] = await deps.db.sql<
    { status: string }[]
  >`select status from transactions where id = ${transactionId}`;
  if (row.status === state) {
    return { outcome: unchanged, message: `Already ${state}`, transactionId, status: 200 };
  }
  if (!transition(row.status, action).ok) {
    return {
      outcome: "rejected",
      message: `Cannot ${action} a ${row.status} sale`,
      transactionId,
      status: 422,
    };
  }
  try {
    await changeTransactionStatus(deps, transactionId, {
      action,
      reason: `${integration.kind} says the order was ${state}`,
      actor: { caller: integrationCaller(integration) },
    });
  } catch (error) {
    // Two deliveries of the same refund at once: the second finds it done
    if (error instanceof TRPCError && error.code === "CONFLICT") {
      return { outcome: unchanged, message: `Already ${state}`, transactionId, status: 200 };
    }
    throw error;
  }
  return { outcome: "updated", message: `Sale ${state}`, transactionId, status: 200 };
}
