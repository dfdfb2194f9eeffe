import { TRPCError } from "@trpc/server";
import { z } from "zod";
import type { TransactionSql } from "../db/mod.ts";
import { adminProcedure, router } from "../trpc/init.ts";
import { publishAccessRevoked } from "./access_revoked.ts";
import { revokeUserApiTokens } from "./api_tokens.ts";
import { recordAudit } from "./audit.ts";
import { limitKeyPrefix } from "./installation.ts";
import { clearSignInThrottle } from "./login_throttle.ts";
import { hashPassword } from "./password.ts";
import { newPasswordInput } from "../shared/password_strength.ts";
import { roles } from "../trpc/roles.ts";
import { deleteUserSessions } from "./sessions.ts";
import {
  countOtherActiveAdmins,
  findLoginRecordById,
  insertUser,
  listUsers,
  updateUserDisabled,
  updateUserPassword,
  updateUserRole,
} from "./users_queries.ts";

const userSchema = z.object({
  id: z.number().int(),
  username: z.string(),
  displayName: z.string(),
  role: z.enum(roles),
  isDisabled: z.boolean(),
  createdAt: z.date(),
  lastLoginAt: z.date().nullable(),
  activeSessions: z.number().int(),
});

const userId = z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER);
const password = newPasswordInput;

async function loadUser(tx: TransactionSql, id: number) {
  const user = await findLoginRecordById(tx, id);
  if (!user) throw new TRPCError({ code: "NOT_FOUND", message: `No user with id ${id}` });
  return user;
}

// Demoting or disabling the last admin would leave nobody able to manage access
async function keepOneAdmin(tx: TransactionSql, id: number, change: string) {
  if (await countOtherActiveAdmins(tx, id) === 0) {
    throw new TRPCError({
      code: "CONFLICT",
      message: `Cannot ${change} the last active admin: make another user admin first`,
    });
  }
}

export const usersRouter = router({
  /** Every user with their role and state. */
  list: adminProcedure
    .meta({ openapi: { method: "GET", path: "/users", tags: ["users"], summary: "List users" } })
    .input(z.void())
    .output(z.array(userSchema))
    .query(({ ctx }) => listUsers(ctx.db.sql)),

  /** Creates a user who can sign in at once with the given password. */
  create: adminProcedure
    .meta({ openapi: { method: "POST", path: "/users", tags: ["users"], summary: "Create a user" } })
    .input(z.object({
      username: z.string().trim().min(2).max(64)
        .regex(/^[A-Za-z0-9._-]+$/, "Use letters, digits, dots, dashes and underscores only"),
      displayName: z.string().trim().max(100).optional(),
      role: z.enum(roles),
      password,
    }))
    .output(z.object({ id: z.number().int() }))
    .mutation(async ({ ctx, input }) => {
      const passwordHash = await hashPassword(input.password);
      try {
        return await ctx.db.sql.begin(async (tx) => {
          const created = await insertUser(tx, { ...input, passwordHash });
          await recordAudit(tx, {
            caller: ctx.caller,
            action: "user.created",
            entityType: "user",
            entityId: created.id,
            details: { username: input.username, role: input.role },
            ip: ctx.ip,
            requestId: ctx.requestId,
          });
          return created;
        });
      } catch (error) {
        if ((error as { code?: string }).code === "23505") {
          throw new TRPCError({ code: "CONFLICT", message: `The username "${input.username}" is taken` });
        }
        throw error;
      }
    }),

  /** Gives a user another role; it applies to their next request. */
  setRole: adminProcedure
    .meta({
      openapi: { method: "POST", path: "/users/{id}/role", tags: ["users"], summary: "Change a role" },
    })
    .input(z.object({ id: userId, role: z.enum(roles) }))
    .output(z.object({ id: z.number().int(), role: z.enum(roles) }))
    .mutation(async ({ ctx, input }) => {
      const result = await ctx.db.sql.begin(async (tx) => {
        const user = await loadUser(tx, input.id);
        if (user.role === "admin" && input.role !== "admin") await keepOneAdmin(tx, user.id, "demote");
        await updateUserRole(tx, user.id, input.role);
        await recordAudit(tx, {
          caller: ctx.caller,
          action: "user.role_changed",
          entityType: "user",
          entityId: user.id,
          details: { username: user.username, from: user.role, to: input.role },
          ip: ctx.ip,
          requestId: ctx.requestId,
        });
        return { id: user.id, role: input.role, from: user.role };
      });
      // Their sessions and the tokens they made (capped by their role) reconnect with the new rights
      if (result.from !== input.role) {
        await publishAccessRevoked(ctx.services, { userId: result.id, reason: "role_changed" });
      }
      return { id: result.id, role: result.role };
    }),

  /** Disables (ending their sessions) or re-enables a user. */
  setDisabled: adminProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/users/{id}/disabled",
        tags: ["users"],
        summary: "Disable or enable",
      },
    })
    .input(z.object({ id: userId, disabled: z.boolean({ message: "disabled is true or false" }) }))
    .output(z.object({ id: z.number().int(), isDisabled: z.boolean(), sessionsEnded: z.number().int() }))
    .mutation(async ({ ctx, input }) => {
      const result = await ctx.db.sql.begin(async (tx) => {
        const user = await loadUser(tx, input.id);
        if (input.disabled && user.role === "admin") await keepOneAdmin(tx, user.id, "disable");
        await updateUserDisabled(tx, user.id, input.disabled);
        const sessionsEnded = input.disabled ? await deleteUserSessions(tx, user.id) : 0;
        // Enabling the user again does not bring their tokens back: an admin makes new ones
        const tokensRevoked = input.disabled ? await revokeUserApiTokens(tx, user.id, ctx.caller.userId) : [];
        await recordAudit(tx, {
          caller: ctx.caller,
          action: input.disabled ? "user.disabled" : "user.enabled",
          entityType: "user",
          entityId: user.id,
          details: { username: user.username, sessionsEnded, tokensRevoked },
          ip: ctx.ip,
          requestId: ctx.requestId,
        });
        return { id: user.id, isDisabled: input.disabled, sessionsEnded };
      });
      if (input.disabled) {
        await publishAccessRevoked(ctx.services, { userId: result.id, reason: "user_disabled" });
      }
      return result;
    }),

  /** Sets a new password for a user, ends their sessions and lifts their sign-in throttling. */
  resetPassword: adminProcedure
    .meta({
      openapi: { method: "POST", path: "/users/{id}/password", tags: ["users"], summary: "Reset a password" },
    })
    .input(z.object({ id: userId, password }))
    .output(z.object({ id: z.number().int(), sessionsEnded: z.number().int() }))
    .mutation(async ({ ctx, input }) => {
      const passwordHash = await hashPassword(input.password);
      const result = await ctx.db.sql.begin(async (tx) => {
        const user = await loadUser(tx, input.id);
        await updateUserPassword(tx, user.id, passwordHash);
        const sessionsEnded = await deleteUserSessions(tx, user.id);
        await recordAudit(tx, {
          caller: ctx.caller,
          action: "user.password_reset",
          entityType: "user",
          entityId: user.id,
          details: { username: user.username, sessionsEnded },
          ip: ctx.ip,
          requestId: ctx.requestId,
        });
        return { id: user.id, username: user.username, sessionsEnded };
      });
      await publishAccessRevoked(ctx.services, { userId: result.id, reason: "password_reset" });
      await clearSignInThrottle(ctx.kv, limitKeyPrefix, result.username);
      return { id: result.id, sessionsEnded: result.sessionsEnded };
    }),

  /** Lifts every sign-in wait and slow-down on a user's account, from every address. */
  clearSignInThrottle: adminProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/users/{id}/clear-sign-in-throttle",
        tags: ["users"],
        summary: "Clear sign-in throttling",
      },
    })
    .input(z.object({ id: userId }))
    .output(z.object({ id: z.number().int(), cleared: z.number().int() }))
    .mutation(async ({ ctx, input }) => {
      const user = await ctx.db.sql.begin(async (tx) => {
        const user = await loadUser(tx, input.id);
        await recordAudit(tx, {
          caller: ctx.caller,
          action: "user.sign_in_throttle_cleared",
          entityType: "user",
          entityId: user.id,
          details: { username: user.username },
          ip: ctx.ip,
          requestId: ctx.requestId,
        });
        return user;
      });
      const cleared = await clearSignInThrottle(ctx.kv, limitKeyPrefix, user.username);
      return { id: user.id, cleared };
    }),
});
