import { publishAfterCommit } from "../events/bus.ts";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { recordAudit } from "../auth/audit.ts";
import { cachedRead, cachedResponse, invalidate } from "../cache.ts";
import { managerProcedure, router, viewerProcedure } from "../trpc/init.ts";
import type { Context } from "../trpc/context.ts";
import { listLowStock, readPrediction } from "./inventory_reads.ts";
import { loadSupplierWeights, saveSupplierWeights } from "./planning_queries.ts";
import { computePredictions } from "./predictions.ts";
import {
  lowStockSchema,
  predictionSchema,
  purchaseOrderSchema,
  suggestionSchema,
  supplierTermsKeySchema,
  supplierTermsSchema,
  supplierWeightsSchema,
  urgencySchema,
} from "./schemas.ts";
import { approveSuggestions, rejectSuggestion, snoozeSuggestion } from "./suggestion_decisions.ts";
import { findSuggestion, listSuggestions, type Suggestion } from "./suggestion_queries.ts";
import { readSupplierTerms, saveSupplierTerms } from "./supplier_terms.ts";
import { idFieldSchema, idParamSchema } from "../shared/ids.ts";
import { jsonDateTime } from "../shared/json_date.ts";

/** The API shape of a suggestion: the supplier comparison grouped with the sentence explaining it. */
function suggestionOutput(s: Suggestion): z.infer<typeof suggestionSchema> {
  const { supplierReason, supplierScores, decidedBy: _decidedBy, ...rest } = s;
  return {
    ...rest,
    supplierChoice: {
      reason: supplierReason,
      suppliers: supplierScores.map((score) => ({ ...score, supplierId: Number(score.supplierId) })),
    },
  };
}

function actor(ctx: Context) {
  return { caller: ctx.caller, ip: ctx.ip, requestId: ctx.requestId };
}

function roundWeights(weights: { price: number; reliability: number; delivery: number }) {
  // stored as real: 0.4 comes back as 0.4000000059604645
  const round = (value: number) => Math.round(value * 10_000) / 10_000;
  return {
    price: round(weights.price),
    reliability: round(weights.reliability),
    delivery: round(weights.delivery),
  };
}

export const inventoryRouter = router({
  /** Products that will run short, most urgent first. */
  lowStock: viewerProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/inventory/low-stock",
        tags: ["inventory"],
        summary: "Products running short, by urgency",
        description:
          "Urgency from days of cover (days until the forecast demand empties the shelf) against the " +
          "lead time of the best supplier: critical when cover is at most the lead time or under 3 days, " +
          "high when at most lead time + 7 days or under 7 days, medium when at most lead time + 14 days.",
      },
    })
    .input(z.object({
      urgency: z.enum(["critical", "high", "medium"]).optional(),
      category: z.string().min(1).max(100).optional(),
      limit: z.coerce.number().int().min(1).max(500).default(100),
    }))
    .output(lowStockSchema)
    .query(async ({ ctx, input }) => {
      return await cachedResponse(
        ctx,
        { namespace: "inventory", key: `low-stock:${JSON.stringify(input)}`, ttlMs: 60_000 },
        () => listLowStock(ctx.db.sql, { ...input, timeZone: ctx.config.STORE_TZ, now: new Date() }),
      );
    }),

  /** A product's latest demand forecast with 80% and 95% intervals and its recent sales. */
  predictions: viewerProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/inventory/predictions/{product_id}",
        tags: ["inventory"],
        summary: "Demand forecast of one product",
      },
    })
    // product_id keeps the reference's REST path parameter; trpc-to-openapi maps a path parameter to
    // the input field of the same name
    .input(z.object({
      product_id: idParamSchema,
      historyDays: z.coerce.number().int().min(7).max(365).default(90),
    }))
    .output(predictionSchema)
    .query(async ({ ctx, input }) => {
      const result = await cachedRead(
        ctx,
        {
          namespace: "inventory",
          key: `prediction:${input.product_id}:${input.historyDays}`,
          ttlMs: 300_000,
        },
        () =>
          readPrediction(ctx.db.sql, input.product_id, {
            timeZone: ctx.config.STORE_TZ,
            now: new Date(),
            historyDays: input.historyDays,
          }),
      );
      if (!result.value) {
        throw new TRPCError({ code: "NOT_FOUND", message: `No product with id ${input.product_id}` });
      }
      ctx.responseMeta.cache = result.hit ? "hit" : "miss";
      return result.value;
    }),

  /** Recomputes one product's forecast now instead of waiting for the next predictions run. */
  recompute: managerProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/inventory/predictions/{product_id}/recompute",
        tags: ["inventory"],
        summary: "Recompute one product's forecast now",
      },
    })
    .input(z.object({ product_id: idParamSchema }))
    .output(predictionSchema)
    .mutation(async ({ ctx, input }) => {
      const now = new Date();
      const [exists] = await ctx.db.sql`select 1 from products where id = ${input.product_id}`;
      if (!exists) {
        throw new TRPCError({ code: "NOT_FOUND", message: `No product with id ${input.product_id}` });
      }
      await computePredictions(ctx.db.sql, {
        timeZone: ctx.config.STORE_TZ,
        now,
        productIds: [input.product_id],
      });
      await recordAudit(ctx.db.sql, {
        caller: ctx.caller,
        ip: ctx.ip,
        requestId: ctx.requestId,
        action: "inventory.forecast_recomputed",
        entityType: "product",
        entityId: input.product_id,
      });
      await invalidate(ctx.kv, ["inventory"]).catch((error) =>
        ctx.log.warn("cache invalidation after recompute failed", { error })
      );
      ctx.responseMeta.status = 200;
      const prediction = await readPrediction(ctx.db.sql, input.product_id, {
        timeZone: ctx.config.STORE_TZ,
        now,
        historyDays: 90,
      });
      return prediction!;
    }),

  /** Reorder suggestions with the supplier comparison; open ones most urgent first. */
  reorderSuggestions: viewerProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/inventory/reorder-suggestions",
        tags: ["inventory"],
        summary: "Reorder suggestions with their supplier comparison",
      },
    })
    .input(z.object({
      status: z.enum(["open", "snoozed", "active", "approved", "rejected", "withdrawn"]).default("open"),
      urgency: urgencySchema.optional(),
      supplierId: idParamSchema.optional(),
      limit: z.coerce.number().int().min(1).max(200).default(50),
      cursor: idParamSchema.optional().describe("nextCursor of the previous page (decided lists)"),
    }))
    .output(z.object({ items: z.array(suggestionSchema), nextCursor: z.number().int().nullable() }))
    .query(async ({ ctx, input }) => {
      return await cachedResponse(
        ctx,
        { namespace: "inventory", key: `suggestions:${JSON.stringify(input)}`, ttlMs: 60_000 },
        async () => {
          const rows = await listSuggestions(ctx.db.sql, {
            status: input.status,
            urgency: input.urgency,
            supplierId: input.supplierId,
            limit: input.limit + 1,
            afterId: input.cursor,
            now: new Date(),
          });
          const items = rows.slice(0, input.limit).map(suggestionOutput);
          const decided = !["open", "snoozed", "active"].includes(input.status);
          const nextCursor = decided && rows.length > input.limit ? items[items.length - 1].id : null;
          return { items, nextCursor };
        },
      );
    }),

  /** Approves one suggestion: creates a purchase order from its supplier. */
  approveSuggestion: managerProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/inventory/reorder-suggestions/{id}/approve",
        tags: ["inventory"],
        summary: "Approve a reorder suggestion (creates a purchase order)",
      },
    })
    .input(z.object({
      id: idParamSchema,
      note: z.string().trim().max(500).optional(),
      quantity: z.number().int().min(1, "Order at least 1 unit").max(1_000_000).optional()
        .describe("Order this many instead of the suggested quantity"),
      supplierId: idFieldSchema.optional().describe("Order from this supplier of the product instead"),
    }))
    .output(z.object({ purchaseOrder: purchaseOrderSchema }))
    .mutation(async ({ ctx, input }) => {
      const changes = { quantity: input.quantity, supplierId: input.supplierId };
      const [order] = await approveSuggestions(ctx, actor(ctx), [input.id], { note: input.note, changes });
      ctx.responseMeta.status = 201;
      return { purchaseOrder: order };
    }),

  /** Approves several suggestions: one purchase order per supplier combines that supplier's lines. */
  approveSuggestions: managerProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/inventory/reorder-suggestions/approve",
        tags: ["inventory"],
        summary: "Approve several suggestions, one purchase order per supplier",
      },
    })
    .input(z.object({
      ids: z.array(idFieldSchema).min(1).max(200),
      note: z.string().trim().max(500).optional(),
    }))
    .output(z.object({ purchaseOrders: z.array(purchaseOrderSchema) }))
    .mutation(async ({ ctx, input }) => {
      const orders = await approveSuggestions(ctx, actor(ctx), input.ids, { note: input.note });
      ctx.responseMeta.status = 201;
      return { purchaseOrders: orders };
    }),

  /** Rejects a suggestion with a reason. */
  rejectSuggestion: managerProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/inventory/reorder-suggestions/{id}/reject",
        tags: ["inventory"],
        summary: "Reject a reorder suggestion with a reason",
      },
    })
    .input(z.object({ id: idParamSchema, reason: z.string().trim().min(1).max(500) }))
    .output(suggestionSchema)
    .mutation(async ({ ctx, input }) => {
      ctx.responseMeta.status = 200;
      return suggestionOutput(await rejectSuggestion(ctx, actor(ctx), input.id, input.reason));
    }),

  /** Snoozes a suggestion until a date; it returns to the open list then. */
  snoozeSuggestion: managerProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/inventory/reorder-suggestions/{id}/snooze",
        tags: ["inventory"],
        summary: "Snooze a reorder suggestion until a date",
      },
    })
    .input(
      z.object({
        id: idParamSchema,
        until: jsonDateTime("until is a time in ISO 8601, e.g. 2026-12-14T09:00:00Z").describe(
          "ISO 8601; within 180 days",
        ),
      }),
    )
    .output(suggestionSchema)
    .mutation(async ({ ctx, input }) => {
      if (input.until.getTime() > Date.now() + 180 * 86_400_000) {
        throw new TRPCError({ code: "BAD_REQUEST", message: "until: Snooze for at most 180 days" });
      }
      ctx.responseMeta.status = 200;
      return suggestionOutput(await snoozeSuggestion(ctx, actor(ctx), input.id, input.until));
    }),

  /** One suggestion. */
  suggestion: viewerProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/inventory/reorder-suggestions/{id}",
        tags: ["inventory"],
        summary: "One reorder suggestion",
      },
    })
    .input(z.object({ id: idParamSchema }))
    .output(suggestionSchema)
    .query(async ({ ctx, input }) => {
      const suggestion = await findSuggestion(ctx.db.sql, input.id);
      if (!suggestion) {
        throw new TRPCError({ code: "NOT_FOUND", message: `No reorder suggestion with id ${input.id}` });
      }
      return suggestionOutput(suggestion);
    }),

  /** The supplier-choice weights (default price 40%, reliability 35%, delivery 25%). */
  supplierWeights: viewerProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/inventory/supplier-weights",
        tags: ["inventory"],
        summary: "Supplier-choice weights",
      },
    })
    .input(z.void())
    .output(supplierWeightsSchema)
    .query(async ({ ctx }) => roundWeights(await loadSupplierWeights(ctx.db.sql))),

  /** Sets the supplier-choice weights; they are relative (normalized to sum to 1 when used). */
  setSupplierWeights: managerProcedure
    .meta({
      openapi: {
        method: "PUT",
        path: "/inventory/supplier-weights",
        tags: ["inventory"],
        summary: "Set the supplier-choice weights",
      },
    })
    .input(supplierWeightsSchema.refine(
      (w) => w.price + w.reliability + w.delivery > 0,
      "At least one weight must be above 0",
    ))
    .output(supplierWeightsSchema)
    .mutation(async ({ ctx, input }) => {
      const weights = await ctx.db.sql.begin(async (tx) => {
        const before = await loadSupplierWeights(tx);
        await saveSupplierWeights(tx, input);
        await recordAudit(tx, {
          ...actor(ctx),
          action: "inventory.supplier_weights_changed",
          entityType: "inventory_settings",
          details: { from: roundWeights(before), to: input },
        });
        return roundWeights(await loadSupplierWeights(tx));
      });
      // low stock reads pick the new weights up at once; open suggestions at the next suggestions run
      await invalidate(ctx.kv, ["inventory"]).catch((error) =>
        ctx.log.warn("cache invalidation failed", { error })
      );
      await publishAfterCommit(ctx, {
        type: "suggestion.changed",
        data: { action: "weights_changed", weights },
      });
      return weights;
    }),

  /** A supplier's pack size and price breaks for a product. */
  supplierTerms: viewerProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/inventory/supplier-terms/{productId}/{supplierId}",
        tags: ["inventory"],
        summary: "Pack size and price breaks of a supplier for a product",
      },
    })
    .input(supplierTermsKeySchema)
    .output(supplierTermsSchema)
    .query(async ({ ctx, input }) => {
      const terms = await readSupplierTerms(ctx.db.sql, input.productId, input.supplierId);
      if (!terms) {
        throw new TRPCError({
          code: "NOT_FOUND",
          message: `Supplier ${input.supplierId} does not offer product ${input.productId}`,
        });
      }
      return terms;
    }),

  /** Replaces a supplier's pack size and price breaks for a product; the next suggestions run uses them. */
  setSupplierTerms: managerProcedure
    .meta({
      openapi: {
        method: "PUT",
        path: "/inventory/supplier-terms/{productId}/{supplierId}",
        tags: ["inventory"],
        summary: "Set the pack size and price breaks of a supplier for a product",
      },
    })
    .input(supplierTermsKeySchema.merge(supplierTermsSchema))
    .output(supplierTermsSchema)
    .mutation(async ({ ctx, input }) => {
      const { productId, supplierId, ...terms } = input;
      const saved = await ctx.db.sql.begin(async (tx) => {
        const before = await readSupplierTerms(tx, productId, supplierId);
        const after = await saveSupplierTerms(tx, productId, supplierId, terms);
        await recordAudit(tx, {
          ...actor(ctx),
          action: "inventory.supplier_terms_changed",
          entityType: "product",
          entityId: productId,
          details: { supplierId, from: before ?? null, to: after },
        });
        return after;
      });
      await invalidate(ctx.kv, ["inventory"]).catch((error) =>
        ctx.log.warn("cache invalidation failed", { error })
      );
      return saved;
    }),
});
