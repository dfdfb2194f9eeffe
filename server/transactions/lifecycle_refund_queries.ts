import { TRPCError } from "@trpc/server";
import { recordAudit } from "../auth/audit.ts";
import type { Sql, TransactionSql } from "../db/mod.ts";
import { type EventBus, publishAfterCommit } from "../events/bus.ts";
import type { Logger } from "../log.ts";
import { returnStock, stockChangedEvents } from "../products/stock.ts";
import { planRefund, type RefundedLine, type RefundRequestLine, type SoldLine } from "./lifecycle_refunds.ts";
import type { Actor } from "./lifecycle.ts";
import { getTransactionDetail } from "./read_queries.ts";
import type { TransactionDetail } from "./schemas.ts";

interface Deps {
  db: { sql: Sql };
  bus: EventBus;
  log: Logger;
}

/** The sale's lines, one per product (several items of a product add up), in product-id order. */
export async function soldLines(tx: Sql | TransactionSql, id: number): Promise<SoldLine[]> {
  return await tx<SoldLine[]>`
    select product_id as "productId", sum(quantity)::int as quantity, sum(line_total_cents)::bigint as "lineTotalCents"
    from transaction_items where transaction_id = ${id}
    group by product_id order by product_id`;
}

/** Units of each product the sale's earlier refunds gave back. */
export async function refundedLines(tx: Sql | TransactionSql, id: number): Promise<RefundedLine[]> {
  return await tx<RefundedLine[]>`
    select l.product_id as "productId", sum(l.quantity)::int as quantity
    from transaction_refund_lines l join transaction_refunds r on r.id = l.refund_id
    where r.transaction_id = ${id}
    group by l.product_id order by l.product_id`;
}

/**
 * Refunds some units of some lines of a completed sale, each line restocked or not, in one database
 * transaction. The sale's row is locked first, so concurrent refunds of one line queue and each sees
 * what the others gave back: a line is never refunded beyond what was sold. Restocked units go back in
 * product-id order (the order a sale takes its locks in). The sale stays `completed` until every unit
 * is refunded, then becomes `refunded` (with a status-history row). Events go out after the commit.
 */
export async function refundTransactionLines(
  deps: Deps,
  id: number,
  options: { lines: RefundRequestLine[]; reason: string; actor: Actor },
): Promise<TransactionDetail> {
  const { lines, reason, actor } = options;
  const { transaction, restocked, refundId, fully } = await deps.db.sql.begin(async (tx) => {
    const [sale] = await tx<[{ status: string; subtotal_cents: number; total_cents: number }?]>`
      select status, subtotal_cents::bigint, total_cents::bigint from transactions where id = ${id} for update`;
    if (!sale) throw new TRPCError({ code: "NOT_FOUND", message: `No transaction with id ${id}` });
    if (sale.status !== "completed") {
      throw new TRPCError({
        code: "CONFLICT",
        message: `Cannot refund a ${sale.status} transaction: only completed transactions can be refunded`,
      });
    }
    const plan = planRefund({
      sold: (await soldLines(tx, id)).map((l) => ({ ...l, lineTotalCents: Number(l.lineTotalCents) })),
      refunded: await refundedLines(tx, id),
      requested: lines,
      subtotalCents: Number(sale.subtotal_cents),
      totalCents: Number(sale.total_cents),
    });
    if (!plan.ok) {
      const code = /left to refund/.test(plan.message) ? "CONFLICT" : "BAD_REQUEST";
      throw new TRPCError({ code, message: plan.message });
    }
    const [refund] = await tx<[{ id: number }]>`
      insert into transaction_refunds (transaction_id, amount_cents, reason, actor_user_id, actor_username)
      values (${id}, ${plan.amountCents}, ${reason}, ${actor.caller.userId || null}, ${actor.caller.username})
      returning id`;
    for (const line of plan.lines) {
      await tx`
        insert into transaction_refund_lines (refund_id, product_id, quantity, amount_cents, restock)
        values (${refund.id}, ${line.productId}, ${line.quantity}, ${line.amountCents}, ${line.restock})`;
      // per-product revenue reads subtract this (migration 0210): on the product's first item row
      await tx`
        update transaction_items set refunded_cents = refunded_cents + ${line.amountCents}
        where id = (select min(id) from transaction_items
                    where transaction_id = ${id} and product_id = ${line.productId})`;
    }
    const restocked = await returnStock(tx, plan.lines.filter((line) => line.restock), {
      reason: "refund",
      transactionId: id,
    });
    const to = plan.fullyRefunded ? "refunded" : "completed";
    await tx`
      update transactions
      set refunded_cents = refunded_cents + ${plan.amountCents}, status = ${to}, updated_at = now(),
          refunded_at = now()
      where id = ${id}`;
    if (plan.fullyRefunded) {
      await tx`
        insert into transaction_status_changes (transaction_id, from_status, to_status, actor_user_id,
          actor_username, reason, stock_restored)
        values (${id}, 'completed', 'refunded', ${actor.caller.userId || null}, ${actor.caller.username},
          ${reason}, ${restocked.length > 0})`;
    }
    await recordAudit(tx, {
      caller: actor.caller,
      action: "transaction.refund_lines",
      entityType: "transaction",
      entityId: id,
      details: { refundId: refund.id, reason, lines: plan.lines, amountCents: plan.amountCents, to },
      ip: actor.ip,
      requestId: actor.requestId,
    });
    return {
      transaction: (await getTransactionDetail(tx, id))!,
      restocked,
      refundId: refund.id,
      fully: plan.fullyRefunded,
    };
  });
  await publishAfterCommit(
    deps,
    {
      type: "transaction.updated",
      data: {
        id,
        from: "completed",
        status: transaction.status,
        action: fully ? "refund" : "partial_refund",
        refundId,
      },
    },
    ...stockChangedEvents(restocked),
  );
  return transaction;
}
