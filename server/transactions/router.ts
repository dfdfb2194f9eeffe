import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { analystProcedure, managerProcedure, router, viewerProcedure } from "../trpc/init.ts";
import type { Context } from "../trpc/context.ts";
import { activeFraudRules } from "../fraud/active_rules.ts";
import { createTransaction } from "./create_transaction.ts";
import { refundTransactionLines } from "./lifecycle_refund_queries.ts";
import { changeTransactionStatus, labelTransaction } from "./lifecycle_queries.ts";
import { getTransactionDetail, listSuspiciousTransactions, listTransactions } from "./read_queries.ts";
import {
  createdTransactionSchema,
  createTransactionInput,
  idempotencyKeySchema,
  labelInput,
  lifecycleInput,
  listTransactionsInput,
  refundLinesInput,
  suspiciousInput,
  suspiciousPageSchema,
  transactionDetailSchema,
  transactionIdInput,
  transactionPageSchema,
} from "./schemas.ts";

const tags = ["transactions"];

/**
 * The Idempotency-Key of a REST call (the header) or of a typed call (the input field); both at once
 * must agree.
 */
function idempotencyKeyOf(ctx: Context, fromInput: string | undefined): string | undefined {
  const header = ctx.idempotencyKey;
  if (header === undefined) return fromInput;
  const parsed = idempotencyKeySchema.safeParse(header);
  if (!parsed.success) {
    throw new TRPCError({
      code: "BAD_REQUEST",
      message: `Idempotency-Key header: ${parsed.error.issues[0].message}`,
    });
  }
  if (fromInput !== undefined && fromInput !== header) {
    throw new TRPCError({
      code: "BAD_REQUEST",
      message: "idempotencyKey: differs from the Idempotency-Key header; send one of them",
    });
  }
  return header;
}

function actorOf(ctx: Context & { caller: NonNullable<Context["caller"]> }) {
  return { caller: ctx.caller, requestId: ctx.requestId, ip: ctx.ip };
}

export const transactionsRouter = router({
  /** Transactions, newest (or largest) first, filtered, by keyset pages. */
  list: viewerProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/transactions",
        tags,
        summary: "List transactions",
        description:
          "Filters: status, customer, product, category, date range, amount range, suspicious only. " +
          "Sort by created or amount. Pages by keyset: pass `nextCursor` back as `cursor`.",
      },
    })
    .input(listTransactionsInput)
    .output(transactionPageSchema)
    .query(({ ctx, input }) => listTransactions(ctx.db.sql, input)),

  /** The review queue: transactions the fraud check sent to review or blocked, with their reasons. */
  suspicious: viewerProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/transactions/suspicious",
        tags,
        summary: "Suspicious transactions",
        description: "Transactions scored at or above the review threshold, newest first, with the reasons.",
      },
    })
    .input(suspiciousInput)
    .output(suspiciousPageSchema)
    .query(({ ctx, input }) => listSuspiciousTransactions(ctx.db.sql, input)),

  /** One transaction with its lines, customer, fraud verdict and status history. */
  get: viewerProcedure
    .meta({
      openapi: { method: "GET", path: "/transactions/{id}", tags, summary: "Get a transaction" },
    })
    .input(transactionIdInput)
    .output(transactionDetailSchema)
    .query(async ({ ctx, input }) => {
      const transaction = await getTransactionDetail(ctx.db.sql, input.id);
      if (!transaction) {
        throw new TRPCError({ code: "NOT_FOUND", message: `No transaction with id ${input.id}` });
      }
      return transaction;
    }),

  /** Sells: prices from the catalog, stock taken without oversell, scored for fraud; 201 on REST. */
  create: managerProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/transactions",
        tags,
        summary: "Create a transaction",
        description:
          'Body `{"customerId", "items": [{"productId", "quantity"}], "paymentMethod", "channel"?}` ' +
          'or `{"customerId", "productId", "quantity", "paymentMethod"}`. Prices come from the catalog. ' +
          "409 when stock is insufficient or an Idempotency-Key is reused with another body; a retry with " +
          "the same key and body answers the first result.",
        requestHeaders: z.object({
          "Idempotency-Key": idempotencyKeySchema.optional()
            .describe("A retry with the same key and body answers the first result (200, replayed: true)"),
        }),
      },
    })
    .input(createTransactionInput)
    .output(createdTransactionSchema)
    .mutation(async ({ ctx, input }) => {
      const idempotencyKey = idempotencyKeyOf(ctx, input.idempotencyKey);
      const rules = await activeFraudRules(ctx);
      const result = await createTransaction(ctx, { ...input, idempotencyKey }, {
        rules,
        simulated: ctx.caller.simulated === true,
        audit: ctx,
      });
      ctx.responseMeta.status = result.replayed ? 200 : 201;
      return { ...result.transaction, replayed: result.replayed };
    }),

  /** Gives the money back for a completed transaction and puts its items back in stock. */
  refund: managerProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/transactions/{id}/refund",
        tags,
        summary: "Refund a transaction",
        description: "Only completed transactions can be refunded, once; the items go back in stock.",
      },
    })
    .input(lifecycleInput)
    .output(transactionDetailSchema)
    .mutation(({ ctx, input }) =>
      changeTransactionStatus(ctx, input.id, { action: "refund", reason: input.reason, actor: actorOf(ctx) })
    ),

  /** Gives back some units of some lines of a completed sale; each line says whether they are restocked. */
  refundLines: managerProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/transactions/{id}/refunds",
        tags,
        summary: "Refund lines of a transaction",
        description: 'Body `{"lines": [{"productId", "quantity", "restock"}], "reason"}`. The sale stays ' +
          "completed while partly refunded and becomes refunded when every unit is. 409 when a line has " +
          "fewer units left to refund than asked, or the sale is not completed.",
      },
    })
    .input(refundLinesInput)
    .output(transactionDetailSchema)
    .mutation(({ ctx, input }) =>
      refundTransactionLines(ctx, input.id, { lines: input.lines, reason: input.reason, actor: actorOf(ctx) })
    ),

  /** Cancels a pending or completed transaction and puts its items back in stock. */
  cancel: managerProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/transactions/{id}/cancel",
        tags,
        summary: "Cancel a transaction",
        description: "Only pending or completed transactions can be cancelled; the items go back in stock.",
      },
    })
    .input(lifecycleInput)
    .output(transactionDetailSchema)
    .mutation(({ ctx, input }) =>
      changeTransactionStatus(ctx, input.id, { action: "cancel", reason: input.reason, actor: actorOf(ctx) })
    ),

  /** An analyst's verdict, fraud or legit, for the review queue and the fraud rule statistics. */
  label: analystProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/transactions/{id}/label",
        tags,
        summary: "Label a transaction fraud or legit",
      },
    })
    .input(labelInput)
    .output(transactionDetailSchema)
    .mutation(({ ctx, input }) =>
      labelTransaction(ctx, input.id, { label: input.label, note: input.note, actor: actorOf(ctx) })
    ),
});
