import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { cursorInput, limitInput, pageSchema, sortedPage } from "../db/keyset.ts";
import { router, viewerProcedure } from "../trpc/init.ts";
import { findSupplier, listSuppliers, supplierCursorKey, supplierSorts } from "./supplier_queries.ts";

const supplierSummarySchema = z.object({
  id: z.number().int(),
  code: z.string(),
  name: z.string(),
  email: z.string().nullable(),
  country: z.string().nullable(),
  reliability: z.number().describe("Catalog on-time rate, 0..1"),
  isActive: z.boolean(),
  productCount: z.number().int(),
});

const supplierDetailSchema = supplierSummarySchema.extend({
  createdAt: z.date(),
  offers: z.array(z.object({
    productId: z.number().int(),
    sku: z.string(),
    name: z.string(),
    category: z.string(),
    unitCostCents: z.number().int(),
    leadTimeDays: z.number().int(),
    minOrderQty: z.number().int(),
    reliability: z.number().nullable().describe("The offer's own on-time rate, when known"),
  })),
});

export const suppliersRouter = router({
  /** Suppliers: search, sort, keyset pages. */
  list: viewerProcedure
    .meta({ openapi: { method: "GET", path: "/suppliers", tags: ["suppliers"], summary: "Suppliers" } })
    .input(z.object({
      search: z.string().trim().min(1).max(100).optional().describe("Part of the name or code"),
      status: z.enum(["active", "inactive", "all"]).default("active"),
      sort: z.enum(supplierSorts).default("name"),
      order: z.enum(["asc", "desc"]).default("asc"),
      cursor: cursorInput,
      limit: limitInput,
    }))
    .output(pageSchema(supplierSummarySchema))
    .query(({ ctx, input }) =>
      sortedPage(input, {
        fetch: (after) => listSuppliers(ctx.db.sql, { ...input, after }),
        keyOf: supplierCursorKey,
      })
    ),

  /** One supplier with the products it offers and their terms. */
  get: viewerProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/suppliers/{id}",
        tags: ["suppliers"],
        summary: "A supplier and its offers",
      },
    })
    .input(z.object({ id: z.number().int().min(1) }))
    .output(supplierDetailSchema)
    .query(async ({ ctx, input }) => {
      const supplier = await findSupplier(ctx.db.sql, input.id);
      if (!supplier) throw new TRPCError({ code: "NOT_FOUND", message: `No supplier with id ${input.id}` });
      return supplier;
    }),
});
