import { TRPCError } from "@trpc/server";
import { recordAudit } from "../auth/audit.ts";
import type { Sql } from "../db/mod.ts";
import { type EventBus, publishAfterCommit } from "../events/bus.ts";
import type { Logger } from "../log.ts";
import { returnStock, stockChangedEvents } from "../products/stock.ts";
import { type Actor, type LifecycleAction, transition } from "./lifecycle.ts";
import { refundedLines, soldLines } from "./lifecycle_refund_queries.ts";
import { unitsNotRefunded } from "./lifecycle_refunds.ts";
import { getTransactionDetail } from "./read_queries.ts";
import type { TransactionDetail } from "./schemas.ts";

/** Who acts, for the status history and the audit log. */
export type { Actor };

interface Deps {
  db: { sql: Sql };
  bus: EventBus;
  log: Logger;
}

/**
 * Refunds or cancels a transaction (see `transition` for which statuses allow which), in one database
 * transaction: the row is locked so a second refund waits and then finds it refunded (CONFLICT); stock is
 * given back in product-id order (the order `create` takes locks in); the change is written to the status
 * history and the audit log. Events go out after the commit.
 * @param deps database, bus and logger
 * @param id the transaction
 * @param options the action, why, and who
 */
export async function changeTransactionStatus(
  deps: Deps,
  id: number,
  options: { action: LifecycleAction; reason: string; actor: Actor },
): Promise<TransactionDetail> {
  const { action, reason, actor } = options;
  const { transaction, restored, from } = await deps.db.sql.begin(async (tx) => {
    const [row] = await tx<
      [{ status: string }?]
    >`select status from transactions where id = ${id} for update`;
    if (!row) throw new TRPCError({ code: "NOT_FOUND", message: `No transaction with id ${id}` });
    const next = transition(row.status, action);
    if (!next.ok) throw new TRPCError({ code: "CONFLICT", message: next.message });

    // units an earlier partial refund gave back (restocked or written off) are not the sale's any more
    const restored = next.restoresStock
      ? await returnStock(tx, unitsNotRefunded(await soldLines(tx, id), await refundedLines(tx, id)), {
        reason: action,
        transactionId: id,
      })
      : [];
    await tx`
      update transactions
      set status = ${next.to}, updated_at = now(),
          refunded_cents = case when ${next.to} = 'refunded' then total_cents else refunded_cents end,
          refunded_at = case when ${next.to} = 'refunded' then now() else refunded_at end,
          cancelled_at = case when ${next.to} = 'cancelled' then now() else cancelled_at end
      where id = ${id}`;
    await tx`
      insert into transaction_status_changes (transaction_id, from_status, to_status, actor_user_id,
        actor_username, reason, stock_restored)
      values (${id}, ${row.status}, ${next.to}, ${actor.caller.userId || null}, ${actor.caller.username},
        ${reason}, ${next.restoresStock})`;
    await recordAudit(tx, {
      caller: actor.caller,
      action: `transaction.${action}`,
      entityType: "transaction",
      entityId: id,
      details: {
        from: row.status,
        to: next.to,
        reason,
        restoredStock: restored.map(({ productId, stockQuantity, change }) => ({
          productId,
          stockQuantity,
          change,
        })),
      },
      ip: actor.ip,
      requestId: actor.requestId,
    });
    return { transaction: (await getTransactionDetail(tx, id))!, restored, from: row.status };
  });
  await publishAfterCommit(
    deps,
    { type: "transaction.updated", data: { id, from, status: transaction.status, action } },
    ...stockChangedEvents(restored),
  );
  return transaction;
}

/**
 * An analyst's verdict on a transaction, fraud or legit, for the review queue and the rule statistics;
 * audit-logged with the earlier label. Labeling again replaces the label.
 */
export async function labelTransaction(
  deps: Deps,
  id: number,
  options: { label: "fraud" | "legit"; note?: string; actor: Actor },
): Promise<TransactionDetail> {
  const { label, note, actor } = options;
  const transaction = await deps.db.sql.begin(async (tx) => {
    const [before] = await tx<[{ fraud_label: string | null }?]>`
      select fraud_label from transactions where id = ${id} for update`;
    if (!before) throw new TRPCError({ code: "NOT_FOUND", message: `No transaction with id ${id}` });
    await tx`
      update transactions
      set fraud_label = ${label}, labeled_by = ${actor.caller.username}, labeled_at = now(), updated_at = now()
      where id = ${id}`;
    await recordAudit(tx, {
      caller: actor.caller,
      action: "transaction.labeled",
      entityType: "transaction",
      entityId: id,
      details: { from: before.fraud_label, to: label, ...(note ? { note } : {}) },
      ip: actor.ip,
      requestId: actor.requestId,
    });
    return (await getTransactionDetail(tx, id))!;
  });
  await publishAfterCommit(deps, { type: "transaction.updated", data: { id, fraudLabel: label } });
  return transaction;
}
