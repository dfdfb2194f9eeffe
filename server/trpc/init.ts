import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import type { OpenApiMeta } from "trpc-to-openapi";
import { ZodError } from "zod";
import { type Role, roleAtLeast } from "../auth/roles.ts";
import { databaseUnavailableError, invalidValueError, isDatabaseUnavailable } from "../db/unavailable.ts";
import type { Context } from "./context.ts";

/** Procedure metadata: the REST mapping, and the least role allowed (read by the role-matrix test). */
export type Meta = OpenApiMeta & { minRole?: Role | "public" };

const t = initTRPC.context<Context>().meta<Meta>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    // Clients never see stack traces; input errors carry the field path and the reason
    const { stack: _stack, ...data } = shape.data;
    const zodError = error.cause instanceof ZodError ? error.cause : undefined;
    return {
      ...shape,
      message: zodError ? describeZodError(zodError) : shape.message,
      data: {
        ...data,
        issues: zodError?.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message })),
      },
    };
  },
});

/** One line naming each bad field, e.g. `items.0.quantity: Too small: expected number to be >=1`. */
export function describeZodError(error: ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => issue.path.length ? `${issue.path.join(".")}: ${issue.message}` : issue.message)
    .join("; ");
}

export const router = t.router;
export const mergeRouters = t.mergeRouters;
export const createCallerFactory = t.createCallerFactory;
export const middleware = t.middleware;

// The one place database errors that are not bugs stop being 500s, for /trpc, /api/v1 and pages
// alike (they all run procedures built from this): a lost connection is 503 SERVICE_UNAVAILABLE, a
// value PostgreSQL refuses (out of range, malformed) is 400 BAD_REQUEST
const procedure = t.procedure.use(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.code === "INTERNAL_SERVER_ERROR") {
    if (isDatabaseUnavailable(result.error)) {
      throw databaseUnavailableError(result.error.cause ?? result.error);
    }
    const invalid = invalidValueError(result.error.cause);
    if (invalid) throw invalid;
  }
  return result;
});

/** Open to anyone, signed in or not (health, login). */
export const publicProcedure = procedure.meta({ minRole: "public" });

function requireRole(minimum: Role) {
  return t.middleware(({ ctx, next }) => {
    if (!ctx.caller) {
      throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in to continue" });
    }
    if (!roleAtLeast(ctx.caller.role, minimum)) {
      throw new TRPCError({
        code: "FORBIDDEN",
        message: `This needs the ${minimum} role; you are signed in as ${ctx.caller.role}`,
      });
    }
    return next({ ctx: { ...ctx, caller: ctx.caller } });
  });
}

/** Reads dashboards and analytics. */
export const viewerProcedure = procedure.meta({ minRole: "viewer" }).use(requireRole("viewer"));
/** Exports, creates alerts, labels transactions. */
export const analystProcedure = procedure.meta({ minRole: "analyst" }).use(requireRole("analyst"));
/** Creates, refunds and cancels transactions; approves reorders; edits products; resolves alerts. */
export const managerProcedure = procedure.meta({ minRole: "manager" }).use(requireRole("manager"));
/** Users, API tokens, jobs, fraud rules. */
export const adminProcedure = procedure.meta({ minRole: "admin" }).use(requireRole("admin"));
