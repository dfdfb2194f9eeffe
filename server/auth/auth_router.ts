import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { publicProcedure, router, viewerProcedure } from "../trpc/init.ts";
import { recordAudit } from "./audit.ts";
import { hashPassword, maxPasswordLength, passwordStrengthProblem, verifyPassword } from "./password.ts";
import { newPasswordInput } from "../shared/password_strength.ts";
import { roles } from "../trpc/roles.ts";
import { publishAccessRevoked } from "./access_revoked.ts";
import { deleteSession, deleteUserSessions } from "./sessions.ts";
import { findLoginRecordById, updateUserPassword } from "./users_queries.ts";

/**
 * A refusal naming its field: as a zod issue, the error formatter sends it in `data.issues` like any
 * input error, so the form shows the sentence beside the field.
 */
function passwordError(field: "currentPassword" | "newPassword", message: string): TRPCError {
  // a ZodError made by zod itself (its constructor alone makes one tRPC does not recognise as an Error)
  const issue = z.custom(() => false, { message, path: [field] }).safeParse(undefined).error;
  return new TRPCError({ code: "BAD_REQUEST", message, cause: issue });
}

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
      const sessionId = ctx.caller.sessionId;
      if (!sessionId) return { sessionsEnded: 0 };
      const sessionIdHash = await ctx.db.sql.begin(async (tx) => {
        const hash = await deleteSession(tx, sessionId);
        await recordAudit(tx, {
          caller: ctx.caller,
          action: "auth.logout",
          entityType: "user",
          entityId: ctx.caller.userId,
          ip: ctx.ip,
          requestId: ctx.requestId,
        });
        return hash;
      });
      if (sessionIdHash) await publishAccessRevoked(ctx.services, { sessionIdHash, reason: "signed_out" });
      return { sessionsEnded: 1 };
    }),

  /** Ends every session of the signed-in user, on every device. */
  logoutEverywhere: viewerProcedure
    .input(z.void())
    .output(z.object({ sessionsEnded: z.number().int() }))
    .mutation(async ({ ctx }) => {
      // Only the person at a signed-in browser may end their sessions: a leaked API token must not
      if (ctx.caller.via !== "session") {
        throw new TRPCError({
          code: "FORBIDDEN",
          message: "Sign out everywhere from a signed-in session; an API token cannot end sessions",
        });
      }
      const result = await ctx.db.sql.begin(async (tx) => {
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
      });
      await publishAccessRevoked(ctx.services, {
        userId: ctx.caller.userId,
        reason: "signed_out_everywhere",
      });
      return result;
    }),

  /** Changes the signed-in user's own password; other sessions of theirs end. */
  changePassword: viewerProcedure
    .meta({
      openapi: { method: "POST", path: "/auth/password", tags: ["auth"], summary: "Change your password" },
    })
    .input(z.object({
      currentPassword: z.string().min(1, "Enter your current password").max(maxPasswordLength),
      newPassword: newPasswordInput,
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
        throw passwordError("currentPassword", "The current password is wrong");
      }
      if (input.newPassword === input.currentPassword) {
        throw passwordError("newPassword", "The new password must differ from the current one");
      }
      const weakness = passwordStrengthProblem(input.newPassword, { username: record.username });
      if (weakness) throw passwordError("newPassword", weakness);
      const passwordHash = await hashPassword(input.newPassword);
      const changed = await ctx.db.sql.begin(async (tx) => {
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
      // The user's sockets reconnect; those of the ended sessions cannot
      if (changed.otherSessionsEnded > 0) {
        await publishAccessRevoked(ctx.services, { userId: record.id, reason: "password_reset" });
      }
      return changed;
    }),
});
