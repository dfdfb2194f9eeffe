import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { publicProcedure, router, viewerProcedure } from "../trpc/init.ts";
import { recordAudit } from "./audit.ts";
import { hashPassword, maxPasswordLength, minPasswordLength, verifyPassword } from "./password.ts";
import { roles } from "./roles.ts";
import { deleteSession, deleteUserSessions } from "./sessions.ts";
import { findLoginRecordById, updateUserPassword } from "./users_queries.ts";

const meSchema = z.object({
  username: z.string(),
  role: z.enum(roles),
  via: z.enum(["session", "token"]),
}).nullable();

export const authRouter = router({
  /** Who the request is signed in as, or null for an anonymous one. */
  me: publicProcedure
    .meta({ openapi: { method: "GET", path: "/auth/me", tags: ["auth"], summary: "The signed-in caller" } })
    .input(z.void())
    .output(meSchema)
    .query(({ ctx }) =>
      ctx.caller ? { username: ctx.caller.username, role: ctx.caller.role, via: ctx.caller.via } : null
    ),

  /** Ends the caller's session (the REST endpoint also clears the cookies). */
  logout: viewerProcedure
    .input(z.void())
    .output(z.object({ sessionsEnded: z.number().int() }))
    .mutation(async ({ ctx }) => {
      if (!ctx.caller.sessionId) return { sessionsEnded: 0 };
      await deleteSession(ctx.db.sql, ctx.caller.sessionId);
      return { sessionsEnded: 1 };
    }),

  /** Ends every session of the signed-in user, on every device. */
  logoutEverywhere: viewerProcedure
    .input(z.void())
    .output(z.object({ sessionsEnded: z.number().int() }))
    .mutation(({ ctx }) =>
      ctx.db.sql.begin(async (tx) => {
        const sessionsEnded = await deleteUserSessions(tx, ctx.caller.userId);
        await recordAudit(tx, {
          caller: ctx.caller,
          action: "auth.logout_everywhere",
          entityType: "user",
          entityId: ctx.caller.userId,
          details: { sessionsEnded },
          ip: ctx.ip,
          requestId: ctx.requestId,
        });
        return { sessionsEnded };
      })
    ),

  /** Changes the signed-in user's own password; other sessions of theirs end. */
  changePassword: viewerProcedure
    .meta({
      openapi: { method: "POST", path: "/auth/password", tags: ["auth"], summary: "Change your password" },
    })
    .input(z.object({
      currentPassword: z.string().min(1).max(maxPasswordLength),
      newPassword: z.string().min(minPasswordLength).max(maxPasswordLength),
    }))
    .output(z.object({ otherSessionsEnded: z.number().int() }))
    .mutation(async ({ ctx, input }) => {
      if (ctx.caller.via !== "session") {
        throw new TRPCError({ code: "BAD_REQUEST", message: "API tokens have no password to change" });
      }
      const record = await findLoginRecordById(ctx.db.sql, ctx.caller.userId);
      if (!record) {
        throw new TRPCError({ code: "NOT_FOUND", message: `No user with id ${ctx.caller.userId}` });
      }
      if (!await verifyPassword(input.currentPassword, record.passwordHash)) {
        throw new TRPCError({ code: "BAD_REQUEST", message: "The current password is wrong" });
      }
      const passwordHash = await hashPassword(input.newPassword);
      return ctx.db.sql.begin(async (tx) => {
        await updateUserPassword(tx, record.id, passwordHash);
        const otherSessionsEnded = await deleteUserSessions(tx, record.id, { keep: ctx.caller.sessionId });
        await recordAudit(tx, {
          caller: ctx.caller,
          action: "user.password_changed",
          entityType: "user",
          entityId: record.id,
          ip: ctx.ip,
          requestId: ctx.requestId,
        });
        return { otherSessionsEnded };
      });
    }),
});
