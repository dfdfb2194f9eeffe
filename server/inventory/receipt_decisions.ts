/**
 * Deliveries of purchase orders: receiving some or all of the outstanding units, and closing an order
 * short when the rest will not come. Each runs in one database transaction on the locked order.
 * @module
 */
import { TRPCError } from "@trpc/server";
import { recordAudit } from "../auth/audit.ts";
import { invalidate } from "../cache.ts";
import type { TransactionSql } from "../db/mod.ts";
import { publishAfterCommit } from "../events/bus.ts";
import { type StockChanged, stockChangedEvents } from "../products/stock.ts";
import {
  findPurchaseOrder,
  type PurchaseOrder,
  recordPurchaseOrderReceipt,
} from "./purchase_order_queries.ts";
import { OPEN_ORDER_STATUSES, planReceipt, type ReceiptLine } from "./receipts.ts";
import type { DecisionActor, Deps } from "./suggestion_decisions.ts";

/**
 * Locks the order, then reads it in a second statement: in READ COMMITTED a statement that waited for
 * the lock still sees its lines as they were before the wait, so a delivery that queued behind another
 * would plan on stale received quantities.
 */
async function lockAndRead(tx: TransactionSql, id: number): Promise<PurchaseOrder | undefined> {
  await tx`select id from purchase_orders where id = ${id} for update`;
  return await findPurchaseOrder(tx, id);
}

function isOpen(status: string): boolean {
  return (OPEN_ORDER_STATUSES as readonly string[]).includes(status);
}

/**
 * Receives a delivery of an open purchase order: `lines` (some units of some lines) or, without them,
 * everything still outstanding. Stock grows by exactly what arrived; the order becomes received when
 * every unit is in, else partially_received with the rest on backorder. The order's row is locked, so
 * two deliveries at once queue and the second sees what the first added: never more than ordered.
 * The delivery time feeds the supplier's on-time rate. Publishes `stock.changed` per product.
 */
export async function receivePurchaseOrder(
  deps: Deps,
  actor: DecisionActor,
  id: number,
  options: { receivedAt?: Date; lines?: readonly ReceiptLine[] } = {},
): Promise<PurchaseOrder> {
  const receivedAt = options.receivedAt ?? new Date();
  const result = await deps.db.sql.begin(async (tx) => {
    const order = await lockAndRead(tx, id);
    if (!order) throw new TRPCError({ code: "NOT_FOUND", message: `No purchase order with id ${id}` });
    if (!isOpen(order.status)) {
      throw new TRPCError({
        code: "CONFLICT",
        message: `Purchase order ${id} is already ${order.status.replace("_", " ")}`,
      });
    }
    if (receivedAt.getTime() < order.orderedAt.getTime()) {
      throw new TRPCError({
        code: "BAD_REQUEST",
        message: `Cannot receive purchase order ${id} at ${receivedAt.toISOString()}: before it was ordered`,
      });
    }
    const plan = planReceipt(order.lines, options.lines);
    if (!plan.ok) {
      const code = /still to come/.test(plan.message) ? "CONFLICT" : "BAD_REQUEST";
      throw new TRPCError({ code, message: plan.message });
    }
    const changes = await recordPurchaseOrderReceipt(tx, id, {
      lines: plan.lines,
      status: plan.status,
      receivedAt,
      receivedBy: actor.caller?.userId ?? null,
    });
    await recordAudit(tx, {
      ...actor,
      action: "purchase_order.received",
      entityType: "purchase_order",
      entityId: id,
      details: {
        receivedAt: receivedAt.toISOString(),
        onTime: receivedAt.getTime() <= order.expectedAt.getTime(),
        status: plan.status,
        lines: changes.map((c) => ({ productId: c.productId, added: c.change })),
      },
    });
    return { order: (await findPurchaseOrder(tx, id))!, changes };
  });
  await publishStock(deps, result.changes);
  return result.order;
}

/**
 * Ends an open purchase order without the units still on backorder: nothing more is expected, so they
 * stop counting as on order. An order with nothing received yet is cancelled instead (CONFLICT).
 */
export async function closePurchaseOrderShort(
  deps: Deps,
  actor: DecisionActor,
  id: number,
  options: { reason: string },
): Promise<PurchaseOrder> {
  const order = await deps.db.sql.begin(async (tx) => {
    const order = await lockAndRead(tx, id);
    if (!order) throw new TRPCError({ code: "NOT_FOUND", message: `No purchase order with id ${id}` });
    if (order.status !== "partially_received") {
      throw new TRPCError({
        code: "CONFLICT",
        message: order.status === "ordered"
          ? `Purchase order ${id} has received nothing yet: cancel it instead of closing it short`
          : `Purchase order ${id} is already ${order.status.replace("_", " ")}`,
      });
    }
    await tx`
      update purchase_orders set status = 'closed_short', closed_at = now(), close_reason = ${options.reason}
      where id = ${id}`;
    await recordAudit(tx, {
      ...actor,
      action: "purchase_order.closed_short",
      entityType: "purchase_order",
      entityId: id,
      details: {
        reason: options.reason,
        notDelivered: order.lines
          .filter((l) => l.quantity > l.receivedQuantity)
          .map((l) => ({ productId: l.productId, units: l.quantity - l.receivedQuantity })),
      },
    });
    return (await findPurchaseOrder(tx, id))!;
  });
  await invalidate(deps.kv, ["inventory"]).catch((error) =>
    deps.log.warn("cache invalidation failed", { error })
  );
  return order;
}

async function publishStock(deps: Deps, changes: readonly StockChanged[]) {
  await invalidate(deps.kv, ["inventory", "products", "dashboard"]).catch((error) =>
    deps.log.warn("cache invalidation failed", { error })
  );
  await publishAfterCommit(deps, ...stockChangedEvents(changes));
}
