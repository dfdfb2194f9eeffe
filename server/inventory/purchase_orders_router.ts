import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { cachedResponse } from "../cache.ts";
import { managerProcedure, router, viewerProcedure } from "../trpc/init.ts";
import { findPurchaseOrder, listPurchaseOrders } from "./purchase_order_queries.ts";
import { PURCHASE_ORDER_STATUSES, purchaseOrderSchema } from "./schemas.ts";
import { closePurchaseOrderShort, receivePurchaseOrder } from "./receipt_decisions.ts";
import { idFieldSchema, idParamSchema } from "../shared/ids.ts";
import { jsonDateTime } from "../shared/json_date.ts";

export const purchaseOrdersRouter = router({
  /** Purchase orders newest first. */
  list: viewerProcedure
    .meta({
      openapi: { method: "GET", path: "/purchase-orders", tags: ["inventory"], summary: "Purchase orders" },
    })
    .input(z.object({
      status: z.enum(PURCHASE_ORDER_STATUSES).optional(),
      supplierId: idParamSchema.optional(),
      limit: z.coerce.number().int().min(1).max(200).default(50),
      cursor: idParamSchema.optional().describe("nextCursor of the previous page"),
    }))
    .output(z.object({ items: z.array(purchaseOrderSchema), nextCursor: z.number().int().nullable() }))
    .query(async ({ ctx, input }) => {
      return await cachedResponse(
        ctx,
        { namespace: "inventory", key: `purchase-orders:${JSON.stringify(input)}`, ttlMs: 60_000 },
        async () => {
          const rows = await listPurchaseOrders(ctx.db.sql, {
            status: input.status,
            supplierId: input.supplierId,
            beforeId: input.cursor,
            limit: input.limit + 1,
          });
          const items = rows.slice(0, input.limit);
          return { items, nextCursor: rows.length > input.limit ? items[items.length - 1].id : null };
        },
      );
    }),

  /** One purchase order with its lines. */
  get: viewerProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/purchase-orders/{id}",
        tags: ["inventory"],
        summary: "One purchase order",
      },
    })
    .input(z.object({ id: idParamSchema }))
    .output(purchaseOrderSchema)
    .query(async ({ ctx, input }) => {
      const order = await findPurchaseOrder(ctx.db.sql, input.id);
      if (!order) {
        throw new TRPCError({ code: "NOT_FOUND", message: `No purchase order with id ${input.id}` });
      }
      return order;
    }),

  /** Records the delivery of an ordered purchase order: its quantities are added to stock. */
  receive: managerProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/purchase-orders/{id}/receive",
        tags: ["inventory"],
        summary: "Receive a purchase order, whole or in part (adds stock)",
        description:
          'Body `{"lines": [{"productId", "quantity"}], "receivedAt"?}` for a partial delivery, or ' +
          "no lines for everything still outstanding. The rest stays on backorder (partially_received). " +
          "409 when more units arrive than are still to come.",
      },
    })
    .input(z.object({
      id: idParamSchema,
      receivedAt: jsonDateTime("receivedAt is a time in ISO 8601, e.g. 2026-12-07T10:00:00Z").optional()
        .describe("When it arrived (ISO 8601); now by default"),
      lines: z.array(z.object({
        productId: idFieldSchema,
        quantity: z.number().int().min(0, "Enter 0 or more units").max(10_000_000),
      })).min(1).max(500).optional()
        .describe("The units that arrived per product; without it, everything still outstanding"),
    }))
    .output(purchaseOrderSchema)
    .mutation(async ({ ctx, input }) => {
      if (input.receivedAt && input.receivedAt.getTime() > Date.now() + 60_000) {
        throw new TRPCError({ code: "BAD_REQUEST", message: "receivedAt: Cannot be in the future" });
      }
      ctx.responseMeta.status = 200;
      return await receivePurchaseOrder(
        ctx,
        { caller: ctx.caller, ip: ctx.ip, requestId: ctx.requestId },
        input.id,
        { receivedAt: input.receivedAt, lines: input.lines },
      );
    }),

  /** Ends a partly received order without the units still on backorder. */
  closeShort: managerProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/purchase-orders/{id}/close-short",
        tags: ["inventory"],
        summary: "Close a partly received purchase order without the rest",
      },
    })
    .input(z.object({ id: idParamSchema, reason: z.string().trim().max(500).default("") }))
    .output(purchaseOrderSchema)
    .mutation(async ({ ctx, input }) => {
      return await closePurchaseOrderShort(
        ctx,
        { caller: ctx.caller, ip: ctx.ip, requestId: ctx.requestId },
        input.id,
        { reason: input.reason },
      );
    }),
});
