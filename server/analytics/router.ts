import { z } from "zod";
import { cachedResponse } from "../cache.ts";
import { router, viewerProcedure } from "../trpc/init.ts";
import {
  listCategoryPerformance,
  listCustomerSegments,
  listSupplierPerformance,
  listTopProducts,
} from "./breakdown_queries.ts";
import { changeRate, previousRange, rangeInputShape, resolveRange } from "./range.ts";
import { categorySalesSeries, salesSeries } from "./sales_queries.ts";
import { readViewState } from "../views/view_reads.ts";
import { loadForecastTotals } from "../inventory/forecast_totals.ts";
import { storeDay } from "../shared/store_time.ts";

const rangeOutput = { from: z.date(), to: z.date() };

const hourlyBucketSchema = z.object({
  start: z.date(),
  orders: z.number().int(),
  revenueCents: z.number().int(),
  units: z.number().int(),
  previousOrders: z.number().int(),
  previousRevenueCents: z.number().int(),
  previousUnits: z.number().int(),
});

const totalsSchema = z.object({
  orders: z.number().int(),
  revenueCents: z.number().int(),
  units: z.number().int(),
});

const hourlySalesSchema = z.object({
  ...rangeOutput,
  timeZone: z.string(),
  granularity: z.enum(["hour", "day"]),
  buckets: z.array(hourlyBucketSchema),
  totals: totalsSchema,
  previousTotals: totalsSchema,
  revenueChange: z.number().nullable().describe("Relative change of revenue against the previous period"),
  ordersChange: z.number().nullable(),
});

const topProductSchema = z.object({
  productId: z.number().int(),
  sku: z.string(),
  name: z.string(),
  category: z.string(),
  units: z.number().int(),
  revenueCents: z.number().int(),
  orders: z.number().int(),
});

const categorySchema = z.object({
  category: z.string(),
  revenueCents: z.number().int(),
  units: z.number().int(),
  costCents: z.number().int(),
  marginCents: z.number().int(),
  marginRate: z.number(),
  orders: z.number().int(),
  revenueShare: z.number(),
});

const segmentSchema = z.object({
  segment: z.string(),
  customers: z.number().int(),
  customerShare: z.number(),
  revenueCents: z.number().int(),
  orders: z.number().int(),
  averageRecencyDays: z.number(),
  averageOrderCents: z.number().int(),
});

const supplierSchema = z.object({
  supplierId: z.number().int(),
  name: z.string(),
  products: z.number().int(),
  averageLeadTimeDays: z.number(),
  reliability: z.number(),
  averageUnitCostCents: z.number().int(),
  lowStockProducts: z.number().int(),
});

function sum(buckets: { orders: number; revenueCents: number; units: number }[]) {
  return buckets.reduce(
    (total, b) => ({
      orders: total.orders + b.orders,
      revenueCents: total.revenueCents + b.revenueCents,
      units: total.units + b.units,
    }),
    { orders: 0, revenueCents: 0, units: 0 },
  );
}

type HourlySales = z.infer<typeof hourlySalesSchema>;

/** An hourlySales answer from its JSON text: the instants come back as Dates. */
function parseHourlySales(text: string): HourlySales {
  const sales = JSON.parse(text);
  sales.from = new Date(sales.from);
  sales.to = new Date(sales.to);
  for (const bucket of sales.buckets) bucket.start = new Date(bucket.start);
  return sales;
}

/** The Analytics page's category filter: every card narrowed to one category. */
const categoryFilter = z.string().trim().min(1).max(64).optional()
  .describe("Only this product category (case-insensitive)");

export const analyticsRouter = router({
  /** Sales per store-local hour (or day) over a range, beside the previous period of equal length. */
  hourlySales: viewerProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/analytics/hourly-sales",
        tags: ["analytics"],
        summary: "Sales per hour in the store's time zone, against the previous period",
      },
    })
    .input(z.object({
      ...rangeInputShape(1),
      granularity: z.enum(["hour", "day"]).default("hour"),
      category: categoryFilter,
    }))
    .output(hourlySalesSchema)
    .query(async ({ ctx, input }) => {
      const range = resolveRange(input, new Date());
      const timeZone = ctx.config.STORE_TZ;
      const key = `hourly:${timeZone}:${input.granularity}:${input.from ?? ""}:${
        input.to ?? ""
      }:${input.days}:${input.category?.toLowerCase() ?? ""}`;
      // Cached as one JSON string: the cache's superjson encoding walks every value of an object,
      // and for a month of hourly buckets that walk cost ~10 ms per miss, more than the queries
      const json = await cachedResponse(ctx, { namespace: "analytics", key, ttlMs: 30_000 }, async () => {
        const before = previousRange(range);
        // one read of the view's watermark and changed hours serves both periods
        const state = await readViewState(ctx.db.sql, "hourly_sales_mv", [before[0], range[1]], "hour");
        const options = { timeZone, granularity: input.granularity, state };
        const category = input.category;
        const [current, previous] = await Promise.all(
          [range, before].map((span) =>
            category
              ? categorySalesSeries(ctx.db.sql, span, { ...options, category })
              : salesSeries(ctx.db.sql, span, options)
          ),
        );
        // The previous period is aligned bucket by bucket from its end, so "same hour yesterday" lines up
        const offset = previous.length - current.length;
        const buckets = current.map((bucket, i) => {
          const before = previous[i + offset];
          return {
            ...bucket,
            previousOrders: before?.orders ?? 0,
            previousRevenueCents: before?.revenueCents ?? 0,
            previousUnits: before?.units ?? 0,
          };
        });
        const totals = sum(current);
        const previousTotals = sum(previous);
        const sales: HourlySales = {
          from: range[0],
          to: range[1],
          timeZone,
          granularity: input.granularity,
          buckets,
          totals,
          previousTotals,
          revenueChange: changeRate(totals.revenueCents, previousTotals.revenueCents),
          ordersChange: changeRate(totals.orders, previousTotals.orders),
        };
        return JSON.stringify(sales);
      });
      return parseHourlySales(json);
    }),

  /** Best sellers by revenue or units. */
  topProducts: viewerProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/analytics/top-products",
        tags: ["analytics"],
        summary: "Best sellers",
      },
    })
    .input(z.object({
      ...rangeInputShape(30),
      by: z.enum(["revenue", "units"]).default("revenue"),
      limit: z.coerce.number().int().min(1).max(100).default(10),
      category: categoryFilter,
    }))
    .output(z.object({ ...rangeOutput, by: z.enum(["revenue", "units"]), items: z.array(topProductSchema) }))
    .query(async ({ ctx, input }) => {
      const range = resolveRange(input, new Date());
      const key = `top:${input.by}:${input.limit}:${input.from ?? ""}:${input.to ?? ""}:${input.days}:${
        input.category?.toLowerCase() ?? ""
      }`;
      return await cachedResponse(ctx, { namespace: "analytics", key, ttlMs: 60_000 }, async () => ({
        from: range[0],
        to: range[1],
        by: input.by,
        items: await listTopProducts(ctx.db.sql, range, {
          by: input.by,
          limit: input.limit,
          category: input.category,
        }),
      }));
    }),

  /** RFM customer segments: how many customers, their revenue, orders and recency. */
  customerSegments: viewerProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/analytics/customer-segments",
        tags: ["analytics"],
        summary: "Customer segments (RFM)",
      },
    })
    .input(
      z.object({
        category: categoryFilter.describe("Only customers whose favourite category this is"),
      }).optional(),
    )
    .output(z.object({ computedAt: z.date().nullable(), segments: z.array(segmentSchema) }))
    .query(async ({ ctx, input }) => {
      const category = input?.category;
      return await cachedResponse(
        ctx,
        { namespace: "analytics", key: `segments:${category?.toLowerCase() ?? ""}`, ttlMs: 300_000 },
        () => listCustomerSegments(ctx.db.sql, { category }),
      );
    }),

  /** Revenue, units, margin, orders and share per category. */
  categoryPerformance: viewerProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/analytics/category-performance",
        tags: ["analytics"],
        summary: "Revenue, margin and share per category",
      },
    })
    .input(z.object(rangeInputShape(30)))
    .output(z.object({ ...rangeOutput, items: z.array(categorySchema) }))
    .query(async ({ ctx, input }) => {
      const range = resolveRange(input, new Date());
      const key = `categories:${input.from ?? ""}:${input.to ?? ""}:${input.days}`;
      return await cachedResponse(ctx, { namespace: "analytics", key, ttlMs: 60_000 }, async () => ({
        from: range[0],
        to: range[1],
        items: await listCategoryPerformance(ctx.db.sql, range),
      }));
    }),

  /**
   * Forecast units per category and for the whole shop over the next days, summed bottom-up from
   * the products' expected demand, so categories add up to the shop.
   */
  forecastTotals: viewerProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/analytics/forecast-totals",
        tags: ["analytics"],
        summary: "Forecast units per category and for the shop (bottom-up)",
      },
    })
    .input(z.object({ days: z.coerce.number().int().min(1).max(30).default(30) }))
    .output(z.object({
      startsOn: z.string().describe("First forecast day, YYYY-MM-DD in the store's time zone"),
      days: z.number().int(),
      shopUnits: z.number().describe("Sum of the categories' forecast units"),
      categories: z.array(z.object({ category: z.string(), units: z.number() })),
    }))
    .query(async ({ ctx, input }) => {
      const today = storeDay(new Date(), ctx.config.STORE_TZ);
      const key = `forecast-totals:${today}:${input.days}`;
      return await cachedResponse(ctx, { namespace: "analytics", key, ttlMs: 60_000 }, async () => {
        const totals = await loadForecastTotals(ctx.db.sql, { today, horizon: input.days });
        const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);
        const categories = Object.entries(totals.categories)
          .map(([category, values]) => ({ category, units: sum(values) }))
          .sort((a, b) => b.units - a.units);
        return {
          startsOn: today,
          days: input.days,
          shopUnits: sum(categories.map((c) => c.units)),
          categories,
        };
      });
    }),

  /** Per supplier: products, lead time, reliability, cost and low-stock products. */
  supplierPerformance: viewerProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/analytics/supplier-performance",
        tags: ["analytics"],
        summary: "Supplier lead times, reliability and cost",
      },
    })
    .input(
      z.object({
        category: categoryFilter.describe(
          "Only suppliers offering products of this category, counted over them",
        ),
      }).optional(),
    )
    .output(z.object({ items: z.array(supplierSchema) }))
    .query(async ({ ctx, input }) => {
      const category = input?.category;
      return await cachedResponse(
        ctx,
        { namespace: "analytics", key: `suppliers:${category?.toLowerCase() ?? ""}`, ttlMs: 300_000 },
        async () => ({
          items: await listSupplierPerformance(ctx.db.sql, {
            timeZone: ctx.config.STORE_TZ,
            now: new Date(),
            category,
          }),
        }),
      );
    }),
});
