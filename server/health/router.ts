import { z } from "zod";
import { publicProcedure, router } from "../trpc/init.ts";
import { cachedHealth } from "./check.ts";

const healthSchema = z.object({
  status: z.enum(["ok", "degraded", "down"]),
  database: z.object({
    ok: z.boolean(),
    kind: z.enum(["embedded", "postgres"]),
    roundTripMs: z.number().optional(),
    error: z.string().optional(),
  }),
  cache: z.object({
    ok: z.boolean(),
    kind: z.enum(["redis", "memory"]),
    roundTripMs: z.number().optional(),
    error: z.string().optional(),
  }),
  migrationVersion: z.number().nullable(),
  uptimeSeconds: z.number(),
  version: z.string(),
});

export const healthRouter = router({
  /** Liveness and dependencies; public so load balancers can probe it. */
  check: publicProcedure
    .meta({
      openapi: { method: "GET", path: "/health", tags: ["health"], summary: "Database and cache health" },
    })
    .input(z.void())
    .output(healthSchema)
    .query(({ ctx }) => cachedHealth(ctx.services)),
});
