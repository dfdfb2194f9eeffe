/**
 * Decisions on reorder suggestions (approve, reject, snooze) and receiving purchase orders: each in
 * one database transaction with its audit entry, events published after commit.
 * @module
 */
import { TRPCError } from "@trpc/server";
import { formatCents } from "../shared/format.ts";
import { recordAudit } from "../auth/audit.ts";
import type { TransactionSql } from "../db/mod.ts";
import type { SuggestionChanged } from "../events/app_events.ts";
import { publishAfterCommit } from "../events/bus.ts";
import { invalidate } from "../cache.ts";
import type { Caller } from "../trpc/roles.ts";
import type { Services } from "../services.ts";
import { findPurchaseOrder, insertPurchaseOrder, type PurchaseOrder } from "./purchase_order_queries.ts";
import { type PriceBreak, priceOrder, roundUpToMultiple, type SupplierTerms } from "./price_breaks.ts";
import { findSuggestion, type Suggestion } from "./suggestion_queries.ts";

/** What a manager changes while approving one suggestion: how many, and from which supplier. */
export interface SuggestionChanges {
  quantity?: number;
  supplierId?: number;
}

/**
 * Applies a manager's changes to a suggestion before it is approved: the chosen supplier's own price,
 * lead time and minimum order, the new cost, and a sentence added to the explanation saying what
 * changed against the suggestion (so the record reads true afterwards).
 */
async function applyChanges(tx: TransactionSql, suggestion: Suggestion, changes: SuggestionChanges) {
  const supplierId = changes.supplierId ?? suggestion.supplierId;
  const [offer] = await tx<
    [
      (SupplierTerms & {
        name: string;
        leadTimeDays: number;
        orderMultiple: number;
        priceBreaks: PriceBreak[];
      })?,
    ]
  >`
    select s.name, ps.unit_cost_cents::int as "unitCostCents", ps.lead_time_days as "leadTimeDays",
           ps.min_order_qty as "minOrderQty", ps.order_multiple as "orderMultiple",
           coalesce((select json_agg(json_build_object('minQty', b.min_qty, 'unitCostCents', b.unit_cost_cents))
                     from supplier_price_breaks b
                     where b.product_id = ps.product_id and b.supplier_id = ps.supplier_id), '[]'::json)
             as "priceBreaks"
    from product_suppliers ps join suppliers s on s.id = ps.supplier_id
    where ps.product_id = ${suggestion.productId} and ps.supplier_id = ${supplierId}`;
  if (!offer) {
    throw new TRPCError({
      code: "BAD_REQUEST",
      message: `supplierId: That supplier does not offer ${suggestion.productName}`,
    });
  }
  const quantity = changes.quantity ?? suggestion.quantity;
  if (quantity < offer.minOrderQty) {
    throw new TRPCError({
      code: "BAD_REQUEST",
      message: `quantity: ${offer.name} takes orders of at least ${offer.minOrderQty} units`,
    });
  }
  if (quantity % offer.orderMultiple !== 0) {
    throw new TRPCError({
      code: "BAD_REQUEST",
      message: `quantity: ${offer.name} ships in packs of ${offer.orderMultiple} units; try ${
        roundUpToMultiple(quantity, offer.orderMultiple)
      }`,
    });
  }
  // the price break the chosen quantity reaches at the chosen supplier
  const unitCostCents = priceOrder(quantity, offer).unitCostCents;
  const estimatedCostCents = quantity * unitCostCents;
  if (quantity === suggestion.quantity && supplierId === suggestion.supplierId) return suggestion;
  const changed =
    `Approved with changes: ${quantity} units from ${offer.name} at ${formatCents(unitCostCents)} each (${
      formatCents(estimatedCostCents)
    }, ${offer.leadTimeDays} days lead time) instead of ` +
    `${suggestion.quantity} from ${suggestion.supplierName} (${formatCents(suggestion.estimatedCostCents)})`;
  const reason = `${suggestion.reason}. ${changed}`;
  await tx`
    update reorder_suggestions
    set supplier_id = ${supplierId}, quantity = ${quantity}, unit_cost_cents = ${unitCostCents},
        estimated_cost_cents = ${estimatedCostCents}, lead_time_days = ${offer.leadTimeDays}, reason = ${reason}
    where id = ${suggestion.id}`;
  return {
    ...suggestion,
    supplierId,
    supplierName: offer.name,
    quantity,
    unitCostCents,
    estimatedCostCents,
    leadTimeDays: offer.leadTimeDays,
    reason,
  };
}

/** Who decides, from where: for the audit log. */
export interface DecisionActor {
  caller: Caller | null;
  ip?: string;
  requestId?: string;
}

export type Deps = Pick<Services, "db" | "bus" | "kv" | "log">;

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
async function announce(deps: Deps, data: SuggestionChanged): Promise<void> {
  await invalidate(deps.kv, ["inventory"]).catch((error) =>
    deps.log.warn("cache invalidation failed", { error })
  );
  await publishAfterCommit(deps, { type: "suggestion.changed", data: data });
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
  options: { now?: Date; note?: string; changes?: SuggestionChanges } = {},
): Promise<PurchaseOrder[]> {
  const now = options.now ?? new Date();
  const unique = [...new Set(ids)].sort((a, b) => a - b);
  const orders = await deps.db.sql.begin(async (tx) => {
    const bySupplier = new Map<number, Suggestion[]>();
    for (const id of unique) {
      const found = await findSuggestion(tx, id, { forUpdate: true });
      assertUndecided(found, id);
      const suggestion = options.changes ? await applyChanges(tx, found, options.changes) : found;
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
