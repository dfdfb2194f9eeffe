import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { recordAudit } from "../auth/audit.ts";
import { randomSecret } from "../auth/secret_tokens.ts";
import { adminProcedure, router } from "../trpc/init.ts";
import {
  insertIntegration,
  integrationKinds,
  listDeliveries,
  listIntegrations,
  setIntegrationEnabled,
} from "./integration_queries.ts";

const integrationSchema = z.object({
  id: z.number().int(),
  kind: z.enum(integrationKinds),
  name: z.string(),
  enabled: z.boolean(),
  createdAt: z.date(),
});

const deliverySchema = z.object({
  id: z.number().int(),
  integrationId: z.number().int().nullable(),
  receivedAt: z.date(),
  topic: z.string(),
  externalId: z.string().nullable(),
  outcome: z.enum(["created", "updated", "unchanged", "stale", "rejected", "unsigned"]),
  message: z.string(),
  transactionId: z.number().int().nullable(),
});

/** Admin: the live order feeds (see server/integrations/http_routes.ts for the receiving end). */
export const integrationsRouter = router({
  list: adminProcedure
    .meta({
      openapi: { method: "GET", path: "/integrations", tags: ["integrations"], summary: "List integrations" },
    })
    .input(z.void())
    .output(z.array(integrationSchema))
    .query(({ ctx }) => listIntegrations(ctx.db.sql)),

  /** Creates an order feed; its signing secret is in this answer and shown nowhere else. */
  create: adminProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/integrations",
        tags: ["integrations"],
        summary: "Create an integration",
      },
    })
    .input(z.object({ kind: z.enum(integrationKinds), name: z.string().trim().min(1).max(100) }))
    .output(integrationSchema.extend({ secret: z.string(), endpoint: z.string() }))
    .mutation(({ ctx, input }) =>
      ctx.db.sql.begin(async (tx) => {
        const secret = randomSecret();
        const created = await insertIntegration(tx, { ...input, secret, createdBy: ctx.caller.userId });
        await recordAudit(tx, {
          caller: ctx.caller,
          action: "integration.created",
          entityType: "integration",
          entityId: created.id,
          details: { kind: input.kind, name: input.name },
          ip: ctx.ip,
          requestId: ctx.requestId,
        });
        const endpoint = input.kind === "shopify"
          ? "/api/v1/integrations/shopify/orders"
          : "/api/v1/integrations/orders";
        return { ...created, secret, endpoint };
      })
    ),

  setEnabled: adminProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/integrations/{id}/enabled",
        tags: ["integrations"],
        summary: "Turn an integration on or off",
      },
    })
    .input(
      z.object({ id: z.number().int().min(1), enabled: z.boolean({ message: "enabled is true or false" }) }),
    )
    .output(z.object({ id: z.number().int(), enabled: z.boolean() }))
    .mutation(({ ctx, input }) =>
      ctx.db.sql.begin(async (tx) => {
        if (!await setIntegrationEnabled(tx, input.id, input.enabled)) {
          throw new TRPCError({ code: "NOT_FOUND", message: `No integration with id ${input.id}` });
        }
        await recordAudit(tx, {
          caller: ctx.caller,
          action: input.enabled ? "integration.enabled" : "integration.disabled",
          entityType: "integration",
          entityId: input.id,
          details: {},
          ip: ctx.ip,
          requestId: ctx.requestId,
        });
        return input;
      })
    ),

  /** The newest deliveries received, with what each did. */
  deliveries: adminProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/integrations/deliveries",
        tags: ["integrations"],
        summary: "Delivery log of the order feeds",
      },
    })
    .input(z.object({
      integrationId: z.coerce.number().int().min(1).optional(),
      limit: z.coerce.number().int().min(1).max(500).default(100),
    }))
    .output(z.array(deliverySchema))
    .query(({ ctx, input }) => listDeliveries(ctx.db.sql, input)),
});
