import { z } from "zod";
import { cachedRead } from "../cache.ts";
import { router, viewerProcedure } from "../trpc/init.ts";
import { salesBetween } from "./overview_queries.ts";

const figuresSchema = z.object({
  revenueCents: z.number().int(),
  orders: z.number().int(),
  customers: z.number().int(),
  averageOrderCents: z.number().int(),
});

const overviewSchema = z.object({
  asOf: z.date(),
  today: figuresSchema,
  previous: figuresSchema,
});

const dayMs = 24 * 60 * 60 * 1000;

export const dashboardRouter = router({
  /** Sales of the last 24 hours against the 24 hours before. */
  overview: viewerProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/dashboard/overview",
        tags: ["dashboard"],
        summary: "Today at a glance",
      },
    })
    .input(z.void())
    .output(overviewSchema)
    .query(async ({ ctx }) => {
      const result = await cachedRead(
        ctx,
        { namespace: "dashboard", key: "overview", ttlMs: 30_000 },
        async () => {
          const now = new Date();
          const [today, previous] = await Promise.all([
            salesBetween(ctx.db.sql, new Date(now.getTime() - dayMs), now),
            salesBetween(ctx.db.sql, new Date(now.getTime() - 2 * dayMs), new Date(now.getTime() - dayMs)),
          ]);
          return { asOf: now, today, previous };
        },
      );
      ctx.responseMeta.cache = result.hit ? "hit" : "miss";
      return result.value;
    }),
});
