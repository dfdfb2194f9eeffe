/**
 * Decisions on reorder suggestions (approve, reject, snooze) and receiving purchase orders: each in
 * one database transaction with its audit entry, events published after commit.
 * @module
 */
import { TRPCError } from "@trpc/server";
import { recordAudit } from "../auth/audit.ts";
import { invalidate } from "../cache.ts";
import type { Caller } from "../auth/roles.ts";
import type { Services } from "../services.ts";
import {
  findPurchaseOrder,
  insertPurchaseOrder,
  markPurchaseOrderReceived,
  type PurchaseOrder,
  type StockChange,
} from "./purchase_order_queries.ts";
import { findSuggestion, type Suggestion } from "./suggestion_queries.ts";

/** Who decides, from where: for the audit log. */
export interface DecisionActor {
  caller: Caller | null;
  ip?: string;
  requestId?: string;
}

type Deps = Pick<Services, "db" | "bus" | "kv" | "log">;

/** A suggestion can be decided while open, or snoozed (deciding early ends the snooze). */
function assertUndecided(suggestion: Suggestion | undefined, id: number): asserts suggestion is Suggestion {
  if (!suggestion) throw new TRPCError({ code: "NOT_FOUND", message: `No reorder suggestion with id ${id}` });
  if (suggestion.status !== "open" && suggestion.status !== "snoozed") {
    throw new TRPCError({
      code: "CONFLICT",
      message: `Reorder suggestion ${id} is already ${suggestion.status}`,
    });
  }
}

/**
 * Retires this instance's view of cached inventory reads at once (the bus does the same on every
 * instance, a moment later), so the caller's next read shows the decision, then announces it.
 */
async function announce(deps: Deps, data: Record<string, unknown>): Promise<void> {
  await invalidate(deps.kv, ["inventory"]).catch((error) =>
    deps.log.warn("cache invalidation failed", { error })
  );
  await deps.bus.publish("suggestion.changed", data).catch((error) =>
    deps.log.warn("publishing suggestion.changed failed", { error })
  );
}

/**
 * Approves suggestions: one purchase order per supplier carries the approved suggestions of that
 * supplier's products. All or nothing: one suggestion not found or already decided fails the lot.
 * @returns the purchase orders created
 */
export async function approveSuggestions(
  deps: Deps,
  actor: DecisionActor,
  ids: readonly number[],
  options: { now?: Date; note?: string } = {},
): Promise<PurchaseOrder[]> {
  const now = options.now ?? new Date();
  const unique = [...new Set(ids)].sort((a, b) => a - b);
  const orders = await deps.db.sql.begin(async (tx) => {
    const bySupplier = new Map<number, Suggestion[]>();
    for (const id of unique) {
      const suggestion = await findSuggestion(tx, id, { forUpdate: true });
      assertUndecided(suggestion, id);
      bySupplier.set(suggestion.supplierId, [...(bySupplier.get(suggestion.supplierId) ?? []), suggestion]);
    }
    const created: PurchaseOrder[] = [];
    for (const [supplierId, suggestions] of bySupplier) {
      const orderId = await insertPurchaseOrder(tx, {
        supplierId,
        orderedBy: actor.caller?.userId ?? null,
        now,
        lines: suggestions.map((s) => ({
          productId: s.productId,
          suggestionId: s.id,
          quantity: s.quantity,
          unitCostCents: s.unitCostCents,
          leadTimeDays: s.leadTimeDays ?? 0,
        })),
      });
      await tx`
        update reorder_suggestions
        set status = 'approved', decided_at = ${now}, decided_by = ${actor.caller?.userId ?? null},
            decision_note = ${options.note ?? null}, purchase_order_id = ${orderId}, snoozed_until = null,
            updated_at = ${now}
        where id = any(${tx.array(suggestions.map((s) => s.id), 20)}::bigint[])`;
      for (const s of suggestions) {
        await recordAudit(tx, {
          ...actor,
          action: "reorder_suggestion.approved",
          entityType: "reorder_suggestion",
          entityId: s.id,
          details: {
            productId: s.productId,
            supplierId,
            quantity: s.quantity,
            estimatedCostCents: s.estimatedCostCents,
            purchaseOrderId: orderId,
            note: options.note,
          },
        });
      }
      created.push((await findPurchaseOrder(tx, orderId))!);
    }
    return created;
  });
  await announce(deps, {
    action: "approved",
    suggestionIds: unique,
    purchaseOrderIds: orders.map((order) => order.id),
  });
  return orders;
}

/** Rejects a suggestion with a reason; the next suggestions run may propose the product again. */
export async function rejectSuggestion(
  deps: Deps,
  actor: DecisionActor,
  id: number,
  reason: string,
  options: { now?: Date } = {},
): Promise<Suggestion> {
  const now = options.now ?? new Date();
  const suggestion = await deps.db.sql.begin(async (tx) => {
    assertUndecided(await findSuggestion(tx, id, { forUpdate: true }), id);
    await tx`
      update reorder_suggestions
      set status = 'rejected', decided_at = ${now}, decided_by = ${actor.caller?.userId ?? null},
          decision_note = ${reason}, snoozed_until = null, updated_at = ${now}
      where id = ${id}`;
    await recordAudit(tx, {
      ...actor,
      action: "reorder_suggestion.rejected",
      entityType: "reorder_suggestion",
      entityId: id,
      details: { reason },
    });
    return (await findSuggestion(tx, id))!;
  });
  await announce(deps, { action: "rejected", suggestionIds: [id] });
  return suggestion;
}

/** Snoozes a suggestion until a moment: it leaves the open list and comes back then. */
export async function snoozeSuggestion(
  deps: Deps,
  actor: DecisionActor,
  id: number,
  until: Date,
  options: { now?: Date } = {},
): Promise<Suggestion> {
  const now = options.now ?? new Date();
  if (until.getTime() <= now.getTime()) {
    throw new TRPCError({
      code: "BAD_REQUEST",
      message: `Cannot snooze until ${until.toISOString()}: it has passed`,
    });
  }
  const suggestion = await deps.db.sql.begin(async (tx) => {
    assertUndecided(await findSuggestion(tx, id, { forUpdate: true }), id);
    await tx`
      update reorder_suggestions set status = 'snoozed', snoozed_until = ${until}, updated_at = ${now}
      where id = ${id}`;
    await recordAudit(tx, {
      ...actor,
      action: "reorder_suggestion.snoozed",
      entityType: "reorder_suggestion",
      entityId: id,
      details: { until: until.toISOString() },
    });
    return (await findSuggestion(tx, id))!;
  });
  await announce(deps, { action: "snoozed", suggestionIds: [id] });
  return suggestion;
}

/**
 * Receives an ordered purchase order: adds its quantities to stock and records the delivery time,
 * which the supplier's on-time rate is computed from. Publishes `stock.changed` per product.
 */
export async function receivePurchaseOrder(
  deps: Deps,
  actor: DecisionActor,
  id: number,
  options: { receivedAt?: Date } = {},
): Promise<PurchaseOrder> {
  const receivedAt = options.receivedAt ?? new Date();
  const result = await deps.db.sql.begin(async (tx) => {
    const order = await findPurchaseOrder(tx, id, { forUpdate: true });
    if (!order) throw new TRPCError({ code: "NOT_FOUND", message: `No purchase order with id ${id}` });
    if (order.status !== "ordered") {
      throw new TRPCError({ code: "CONFLICT", message: `Purchase order ${id} is already ${order.status}` });
    }
    if (receivedAt.getTime() < order.orderedAt.getTime()) {
      throw new TRPCError({
        code: "BAD_REQUEST",
        message: `Cannot receive purchase order ${id} at ${receivedAt.toISOString()}: before it was ordered`,
      });
    }
    const changes = await markPurchaseOrderReceived(tx, id, receivedAt, actor.caller?.userId ?? null);
    await recordAudit(tx, {
      ...actor,
      action: "purchase_order.received",
      entityType: "purchase_order",
      entityId: id,
      details: {
        receivedAt: receivedAt.toISOString(),
        onTime: receivedAt.getTime() <= order.expectedAt.getTime(),
        lines: changes.map((c) => ({ productId: c.productId, added: c.stockQuantity - c.previousQuantity })),
      },
    });
    return { order: (await findPurchaseOrder(tx, id))!, changes };
  });
  await publishStock(deps, id, result.changes);
  return result.order;
}

async function publishStock(deps: Deps, purchaseOrderId: number, changes: readonly StockChange[]) {
  await invalidate(deps.kv, ["inventory", "products", "dashboard"]).catch((error) =>
    deps.log.warn("cache invalidation failed", { error })
  );
  try {
    for (const change of changes) {
      await deps.bus.publish("stock.changed", { ...change, reason: "received", purchaseOrderId });
    }
  } catch (error) {
    deps.log.error("publishing stock.changed after a delivery failed", { purchaseOrderId, error });
  }
}
