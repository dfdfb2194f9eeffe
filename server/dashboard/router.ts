import { countProductsRunningShort } from "../inventory/inventory_reads.ts";
import { z } from "zod";
import { changeRate } from "../analytics/range.ts";
import { addStoreDays, startOfStoreDay } from "../shared/store_time.ts";
import { cachedResponse } from "../cache.ts";
import type { TimeRange } from "../views/coverage.ts";
import { readCustomerSetsState } from "../views/customer_sets.ts";
import { readViewState } from "../views/view_reads.ts";
import { router, viewerProcedure } from "../trpc/init.ts";
import {
  countOpenAlerts,
  countSuspiciousIn,
  salesFigures,
  salesPerMinute,
  severities,
} from "./overview_queries.ts";

const figuresSchema = z.object({
  revenueCents: z.number().int(),
  orders: z.number().int(),
  units: z.number().int(),
  customers: z.number().int(),
  averageOrderCents: z.number().int(),
});

const changesSchema = z.object({
  revenueCents: z.number().nullable(),
  orders: z.number().nullable(),
  customers: z.number().nullable(),
  averageOrderCents: z.number().nullable(),
}).describe("Relative change against the previous period (0.25 = +25%); null when it was zero before");

const overviewSchema = z.object({
  asOf: z.date(),
  timeZone: z.string(),
  periodDays: z.number().int(),
  /** today so far in the store's time zone */
  today: figuresSchema,
  /** yesterday up to the same time of day */
  previous: figuresSchema,
  todayChange: changesSchema,
  /** the last `periodDays` store days, today included */
  period: figuresSchema,
  previousPeriod: figuresSchema,
  periodChange: changesSchema,
  suspicious: z.object({
    today: z.number().int(),
    previous: z.number().int(),
    change: z.number().nullable(),
  }),
  openAlerts: z.object({
    total: z.number().int(),
    bySeverity: z.object(Object.fromEntries(severities.map((s) => [s, z.number().int()])) as Record<
      (typeof severities)[number],
      z.ZodNumber
    >),
    previousTotal: z.number().int().describe("Unresolved at the same time yesterday"),
    change: z.number().nullable(),
  }),
  lowStock: z.object({ count: z.number().int() }),
});

type Figures = z.infer<typeof figuresSchema>;

function changes(current: Figures, previous: Figures) {
  return {
    revenueCents: changeRate(current.revenueCents, previous.revenueCents),
    orders: changeRate(current.orders, previous.orders),
    customers: changeRate(current.customers, previous.customers),
    averageOrderCents: changeRate(current.averageOrderCents, previous.averageOrderCents),
  };
}

export const dashboardRouter = router({
  /**
   * Today and the last `periodDays` days at a glance, each against the period before: sales,
   * transactions, unique customers, average order, suspicious transactions, open alerts, low stock.
   */
  overview: viewerProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/dashboard/overview",
        tags: ["dashboard"],
        summary: "Today at a glance",
      },
    })
    .input(z.object({ periodDays: z.coerce.number().int().min(1).max(90).default(7) }).optional())
    .output(overviewSchema)
    .query(async ({ ctx, input }) => {
      const periodDays = input?.periodDays ?? 7;
      const timeZone = ctx.config.STORE_TZ;
      return await cachedResponse(
        ctx,
        { namespace: "dashboard", key: `overview:${timeZone}:${periodDays}`, ttlMs: 30_000 },
        async () => {
          const { sql } = ctx.db;
          const now = new Date();
          const todayStart = startOfStoreDay(now, timeZone);
          const yesterdayStart = addStoreDays(now, -1, timeZone);
          const elapsed = now.getTime() - todayStart.getTime();
          // yesterday up to the same wall-clock time (capped at its end, for DST days)
          const yesterdayEnd = new Date(Math.min(yesterdayStart.getTime() + elapsed, todayStart.getTime()));
          const periodStart = addStoreDays(now, -(periodDays - 1), timeZone);
          const previousPeriodStart = addStoreDays(now, -(2 * periodDays - 1), timeZone);
          const previousPeriodEnd = new Date(
            Math.min(
              previousPeriodStart.getTime() + (now.getTime() - periodStart.getTime()),
              periodStart.getTime(),
            ),
          );
          const yesterdaySameTime = new Date(now.getTime() - 86_400_000);
          // The rollups' watermarks and changed buckets are read once for all four ranges; every
          // other query starts at once, so the pool runs them side by side
          const span: TimeRange = [previousPeriodStart, now];
          const states = Promise.all([
            readViewState(sql, "hourly_sales_mv", span, "hour"),
            readCustomerSetsState(sql, span),
          ]);
          const figures = (range: TimeRange) =>
            states.then(([state, customerState]) => salesFigures(sql, range, { state, customerState }));
          const [
            today,
            previous,
            period,
            previousPeriod,
            [suspiciousToday, suspiciousBefore],
            alerts,
            lowStock,
          ] = await Promise.all([
            figures([todayStart, now]),
            figures([yesterdayStart, yesterdayEnd]),
            figures([periodStart, now]),
            figures([previousPeriodStart, previousPeriodEnd]),
            countSuspiciousIn(sql, [[todayStart, now], [yesterdayStart, yesterdayEnd]]),
            countOpenAlerts(sql, yesterdaySameTime),
            countProductsRunningShort(sql, { timeZone, now }),
          ]);
          return {
            asOf: now,
            timeZone,
            periodDays,
            today,
            previous,
            todayChange: changes(today, previous),
            period,
            previousPeriod,
            periodChange: changes(period, previousPeriod),
            suspicious: {
              today: suspiciousToday,
              previous: suspiciousBefore,
              change: changeRate(suspiciousToday, suspiciousBefore),
            },
            openAlerts: { ...alerts, change: changeRate(alerts.total, alerts.previousTotal) },
            lowStock: { count: lowStock },
          };
        },
      );
    }),

  /** Orders and revenue per minute over the last 60 minutes, zero-filled. */
  realtimeMetrics: viewerProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/dashboard/metrics/realtime",
        tags: ["dashboard"],
        summary: "The last 60 minutes, per minute",
      },
    })
    .input(z.void())
    .output(z.object({
      asOf: z.date(),
      minutes: z.array(
        z.object({ minute: z.date(), orders: z.number().int(), revenueCents: z.number().int() }),
      ),
      totals: z.object({ orders: z.number().int(), revenueCents: z.number().int() }),
    }))
    .query(async ({ ctx }) => {
      return await cachedResponse(
        ctx,
        { namespace: "dashboard", key: "realtime", ttlMs: 5_000 },
        async () => {
          const now = new Date();
          const minutes = await salesPerMinute(ctx.db.sql, now, 60);
          return {
            asOf: now,
            minutes,
            totals: {
              orders: minutes.reduce((sum, m) => sum + m.orders, 0),
              revenueCents: minutes.reduce((sum, m) => sum + m.revenueCents, 0),
            },
          };
        },
      );
    }),
});
