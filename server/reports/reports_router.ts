import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { router, viewerProcedure } from "../trpc/init.ts";
import { getDailySalesReport, listDailySalesReports } from "./report_queries.ts";

/** A calendar date, YYYY-MM-DD. */
export const reportDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date such as 2026-01-15")
  .refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)), "must be a real calendar date");

const lineSchema = z.object({
  key: z.string(),
  orders: z.number().int(),
  units: z.number().int(),
  revenueCents: z.number().int(),
});

const summarySchema = z.object({
  reportDate: z.string(),
  timeZone: z.string(),
  orders: z.number().int(),
  revenueCents: z.number().int(),
  units: z.number().int(),
  customers: z.number().int(),
  averageOrderCents: z.number().int(),
  generatedAt: z.date(),
});

const reportSchema = summarySchema.extend({
  startsAt: z.date(),
  endsAt: z.date(),
  refundedOrders: z.number().int(),
  refundedCents: z.number().int(),
  cancelledOrders: z.number().int(),
  suspiciousOrders: z.number().int(),
  byHour: z.array(lineSchema),
  byCategory: z.array(lineSchema),
  byPayment: z.array(lineSchema),
  topProducts: z.array(lineSchema.extend({ productId: z.number().int(), sku: z.string(), name: z.string() })),
});

export const reportsRouter = router({
  /** Stored daily sales reports, newest first. */
  daily: viewerProcedure
    .meta({
      openapi: { method: "GET", path: "/reports/daily", tags: ["reports"], summary: "Daily sales reports" },
    })
    .input(
      z.object({
        limit: z.coerce.number().int().min(1).max(366).default(30),
        before: reportDate.optional().describe("Only reports of days before this date (the next page)"),
      }).optional(),
    )
    .output(z.object({ items: z.array(summarySchema) }))
    .query(async ({ ctx, input }) => ({
      items: await listDailySalesReports(ctx.db.sql, { limit: input?.limit ?? 30, before: input?.before }),
    })),

  /** One day's report with its breakdowns by hour, category, payment method and product. */
  dailyReport: viewerProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/reports/daily/{date}",
        tags: ["reports"],
        summary: "One daily sales report",
      },
    })
    .input(z.object({ date: reportDate }))
    .output(reportSchema)
    .query(async ({ ctx, input }) => {
      const report = await getDailySalesReport(ctx.db.sql, input.date);
      if (!report) {
        throw new TRPCError({ code: "NOT_FOUND", message: `No daily sales report for ${input.date}` });
      }
      return report;
    }),
});
