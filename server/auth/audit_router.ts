import { z } from "zod";
import { adminProcedure, router } from "../trpc/init.ts";
import { listAuditEntries } from "./audit.ts";

const entrySchema = z.object({
  id: z.number().int(),
  at: z.date(),
  actorName: z.string(),
  actorVia: z.enum(["session", "token", "system"]),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string().nullable(),
  entityName: z.string().nullable().describe(
    "What staff call the record now (a customer's code and name, a sale's order reference, a product's SKU and name, a user's name); null for other kinds or a deleted record",
  ),
  details: z.record(z.string(), z.unknown()),
  ip: z.string().nullable(),
});

export const auditRouter = router({
  /** The audit log, newest first, with optional filters and keyset pagination. */
  list: adminProcedure
    .meta({ openapi: { method: "GET", path: "/audit", tags: ["audit"], summary: "Audit log" } })
    .input(z.object({
      actor: z.string().trim().max(120).optional(),
      action: z.string().trim().max(80).optional().describe("Actions starting with this"),
      actionIs: z.string().trim().max(80).optional().describe("Exactly this action"),
      entityType: z.string().trim().max(80).optional(),
      entityId: z.string().trim().max(80).optional(),
      from: z.coerce.date().optional(),
      to: z.coerce.date().optional(),
      cursor: z.coerce.number().int().min(1).optional(),
      limit: z.coerce.number().int().min(1).max(200).default(50),
    }))
    .output(z.object({ items: z.array(entrySchema), nextCursor: z.number().int().nullable() }))
    .query(({ ctx, input }) =>
      listAuditEntries(ctx.db.sql, {
        actor: input.actor || undefined,
        action: input.action || undefined,
        actionIs: input.actionIs || undefined,
        entityType: input.entityType || undefined,
        entityId: input.entityId || undefined,
        from: input.from,
        to: input.to,
        beforeId: input.cursor,
        limit: input.limit,
      })
    ),
});
