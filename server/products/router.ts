import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { recordAudit } from "../auth/audit.ts";
import { cursorInput, limitInput, maxPageSize, pageSchema, sortedPage } from "../db/keyset.ts";
import { publishAfterCommit } from "../events/bus.ts";
import { managerProcedure, router, viewerProcedure } from "../trpc/init.ts";
import {
  findProduct,
  insertProduct,
  listCategories,
  listProductOffers,
  listProducts,
  lockProduct,
  missingSupplierIds,
  productCursorKey,
  type ProductEditable,
  productSorts,
  replaceProductSuppliers,
  type SupplierTermsInput,
  updateProductFields,
} from "./product_queries.ts";
import { createProductInput as createInput, updateProductInput as updateInput } from "./schemas.ts";
import { adjustStock, stockChangedEvents } from "./stock.ts";

const productSummarySchema = z.object({
  id: z.number().int(),
  sku: z.string(),
  name: z.string(),
  category: z.string(),
  brand: z.string().nullable(),
  priceCents: z.number().int(),
  costCents: z.number().int().nullable(),
  stockQuantity: z.number().int(),
  reorderPoint: z.number().int().nullable().describe(
    "Manual reorder point; null means computed from the forecast",
  ),
  serviceLevel: z.number(),
  targetDaysOfCover: z.number().int(),
  isActive: z.boolean(),
  supplierCount: z.number().int(),
  updatedAt: z.date(),
});

const supplierTermsSchema = z.object({
  supplierId: z.number().int(),
  code: z.string(),
  name: z.string(),
  unitCostCents: z.number().int(),
  leadTimeDays: z.number().int(),
  minOrderQty: z.number().int(),
  reliability: z.number(),
  isActive: z.boolean(),
});

const productDetailSchema = productSummarySchema.extend({
  createdAt: z.date(),
  suppliers: z.array(supplierTermsSchema),
});

const listInput = z.object({
  search: z.string().trim().min(1).max(100).optional().describe("Part of the name, SKU or brand"),
  category: z.string().trim().min(1).max(100).optional(),
  status: z.enum(["active", "inactive", "all"]).default("active"),
  sort: z.enum(productSorts).default("name"),
  order: z.enum(["asc", "desc"]).default("asc"),
  cursor: cursorInput,
  limit: limitInput,
});

async function checkSuppliers(tx: Parameters<typeof missingSupplierIds>[0], terms: SupplierTermsInput[]) {
  const missing = await missingSupplierIds(tx, terms.map((term) => term.supplierId));
  if (missing.length > 0) {
    throw new TRPCError({ code: "BAD_REQUEST", message: `No supplier with id ${missing.join(", ")}` });
  }
}

export const productsRouter = router({
  /** The catalog: search, category filter, sort, keyset pages. */
  list: viewerProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/products",
        tags: ["products"],
        summary: "Products with stock and price",
      },
    })
    .input(listInput)
    .output(pageSchema(productSummarySchema))
    .query(({ ctx, input }) =>
      sortedPage(input, {
        fetch: (after) => listProducts(ctx.db.sql, { ...input, after }),
        keyOf: productCursorKey,
      })
    ),

  /** Categories with their number of active products, for filters. */
  categories: viewerProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/products/categories",
        tags: ["products"],
        summary: "Product categories",
      },
    })
    .input(z.void())
    .output(z.array(z.object({ category: z.string(), productCount: z.number().int() })))
    .query(({ ctx }) => listCategories(ctx.db.sql)),

  /** One product with each supplier's terms. */
  get: viewerProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/products/{id}",
        tags: ["products"],
        summary: "A product and its suppliers",
      },
    })
    .input(z.object({ id: z.number().int().min(1) }))
    .output(productDetailSchema)
    .query(async ({ ctx, input }) => {
      const product = await findProduct(ctx.db.sql, input.id);
      if (!product) throw new TRPCError({ code: "NOT_FOUND", message: `No product with id ${input.id}` });
      return product;
    }),

  /**
   * The offers of a page of products in one read, for the Products page's supplier column. No REST path:
   * REST clients read the same offers per product (`GET /products/{id}`), and trpc-to-openapi cannot put an
   * array of ids in a GET query.
   */
  offers: viewerProcedure
    .input(z.object({
      productIds: z.array(z.number().int().min(1).max(Number.MAX_SAFE_INTEGER)).max(maxPageSize),
    }))
    .output(z.array(supplierTermsSchema.extend({ productId: z.number().int() })))
    .query(({ ctx, input }) => listProductOffers(ctx.db.sql, input.productIds)),

  /** Adds a product to the catalog (SKUs are unique: a taken one is a conflict). */
  create: managerProcedure
    .meta({
      openapi: { method: "POST", path: "/products", tags: ["products"], summary: "Add a product" },
    })
    .input(createInput)
    .output(productDetailSchema)
    .mutation(async ({ ctx, input }) => {
      const product = await ctx.db.sql.begin(async (tx) => {
        await checkSuppliers(tx, input.suppliers);
        const id = await insertProduct(tx, input);
        if (id === undefined) {
          throw new TRPCError({
            code: "CONFLICT",
            message: `A product with SKU "${input.sku}" already exists`,
          });
        }
        await replaceProductSuppliers(tx, id, input.suppliers);
        await recordAudit(tx, {
          caller: ctx.caller,
          action: "product.created",
          entityType: "product",
          entityId: id,
          details: { sku: input.sku, priceCents: input.priceCents, stockQuantity: input.stockQuantity },
          ip: ctx.ip,
          requestId: ctx.requestId,
        });
        return (await findProduct(tx, id))!;
      });
      await publishAfterCommit(ctx, {
        type: "product.changed",
        data: { productId: product.id, change: "created" },
      });
      ctx.responseMeta.status = 201;
      return product;
    }),

  /**
   * Changes a product: price, counted stock, reorder settings, suppliers. Audited with the old and
   * new value of each changed field.
   */
  update: managerProcedure
    .meta({
      openapi: {
        method: "PATCH",
        path: "/products/{id}",
        tags: ["products"],
        summary: "Change price, stock, reorder settings or suppliers",
      },
    })
    .input(updateInput)
    .output(productDetailSchema)
    .mutation(async ({ ctx, input }) => {
      const { id, suppliers, ...fields } = input;
      const result = await ctx.db.sql.begin(async (tx) => {
        const before = await lockProduct(tx, id);
        if (!before) throw new TRPCError({ code: "NOT_FOUND", message: `No product with id ${id}` });
        const changes: Record<string, { from: unknown; to: unknown }> = {};
        const toWrite: Partial<ProductEditable> = {};
        for (const [field, value] of Object.entries(fields) as [keyof ProductEditable, unknown][]) {
          if (value === undefined || before[field] === value) continue;
          changes[field] = { from: before[field], to: value };
          (toWrite as Record<string, unknown>)[field] = value;
        }
        // counted stock goes through the stock module, which names the change
        const { stockQuantity: counted, ...otherFields } = toWrite;
        await updateProductFields(tx, id, otherFields);
        const stockChange = counted === undefined ? undefined : await adjustStock(tx, id, counted);
        if (suppliers) {
          await checkSuppliers(tx, suppliers);
          await replaceProductSuppliers(tx, id, suppliers);
          changes.suppliers = { from: null, to: suppliers.map((term) => term.supplierId) };
        }
        if (Object.keys(changes).length > 0) {
          await recordAudit(tx, {
            caller: ctx.caller,
            action: "product.updated",
            entityType: "product",
            entityId: id,
            details: changes,
            ip: ctx.ip,
            requestId: ctx.requestId,
          });
        }
        return { product: (await findProduct(tx, id))!, changes, stockChange };
      });
      const fieldsChanged = Object.keys(result.changes).filter((field) => field !== "stockQuantity");
      await publishAfterCommit(
        ctx,
        ...stockChangedEvents(result.stockChange ? [result.stockChange] : []),
        ...(fieldsChanged.length > 0
          ? [{
            type: "product.changed" as const,
            data: { productId: id, change: "updated" as const, fields: fieldsChanged },
          }]
          : []),
      );
      return result.product;
    }),
});
