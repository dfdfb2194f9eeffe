import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { adminProcedure, router } from "../trpc/init.ts";
import { apiTokenExists, insertApiToken, listApiTokens, revokeApiToken } from "./api_tokens.ts";
import { publishAccessRevoked } from "./access_revoked.ts";
import { recordAudit } from "./audit.ts";
import { roles } from "../trpc/roles.ts";
import { jsonDateTime } from "../shared/json_date.ts";

const tokenSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  role: z.enum(roles),
  tokenPrefix: z.string(),
  createdBy: z.string().nullable(),
  createdAt: z.date(),
  expiresAt: z.date().nullable(),
  lastUsedAt: z.date().nullable(),
  revokedAt: z.date().nullable(),
});

export const tokensRouter = router({
  /** Every API token (never the secret), live ones first. */
  list: adminProcedure
    .meta({ openapi: { method: "GET", path: "/auth/tokens", tags: ["auth"], summary: "List API tokens" } })
    .input(z.void())
    .output(z.array(tokenSchema))
    .query(({ ctx }) => listApiTokens(ctx.db.sql)),

  /** Creates an API token acting with `role`; the secret is in this answer and nowhere else. */
  create: adminProcedure
    .meta({
      openapi: { method: "POST", path: "/auth/tokens", tags: ["auth"], summary: "Create an API token" },
    })
    .input(z.object({
      name: z.string().trim().min(1).max(100),
      role: z.enum(roles),
      expiresAt: jsonDateTime("expiresAt is a time in ISO 8601, e.g. 2027-01-31T23:59:59Z").nullish()
        .refine((date) => !date || date.getTime() > Date.now(), "Expiry must be in the future"),
    }))
    .output(z.object({
      id: z.number().int(),
      token: z.string(),
      name: z.string(),
      role: z.enum(roles),
      expiresAt: z.date().nullable(),
    }))
    .mutation(({ ctx, input }) =>
      ctx.db.sql.begin(async (tx) => {
        const created = await insertApiToken(tx, { ...input, createdBy: ctx.caller.userId });
        await recordAudit(tx, {
          caller: ctx.caller,
          action: "token.created",
          entityType: "api_token",
          entityId: created.id,
          details: { name: input.name, role: input.role, expiresAt: input.expiresAt ?? null },
          ip: ctx.ip,
          requestId: ctx.requestId,
        });
        return {
          id: created.id,
          token: created.token,
          name: input.name,
          role: input.role,
          expiresAt: input.expiresAt ?? null,
        };
      })
    ),

  /** Revokes a token: its next request gets 401. */
  revoke: adminProcedure
    .meta({
      openapi: {
        method: "DELETE",
        path: "/auth/tokens/{id}",
        tags: ["auth"],
        summary: "Revoke an API token",
      },
    })
    .input(z.object({ id: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER) }))
    .output(z.object({ id: z.number().int(), revoked: z.boolean() }))
    .mutation(async ({ ctx, input }) => {
      const result = await ctx.db.sql.begin(async (tx) => {
        if (!await revokeApiToken(tx, input.id, ctx.caller.userId)) {
          if (!await apiTokenExists(tx, input.id)) {
            throw new TRPCError({ code: "NOT_FOUND", message: `No API token with id ${input.id}` });
          }
          throw new TRPCError({ code: "CONFLICT", message: `API token ${input.id} is already revoked` });
        }
        await recordAudit(tx, {
          caller: ctx.caller,
          action: "token.revoked",
          entityType: "api_token",
          entityId: input.id,
          ip: ctx.ip,
          requestId: ctx.requestId,
        });
        return { id: input.id, revoked: true };
      });
      await publishAccessRevoked(ctx.services, { tokenId: input.id, reason: "token_revoked" });
      return result;
    }),
});
