import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import type { OpenApiMeta } from "trpc-to-openapi";
import { ZodError } from "zod";
import { type Caller, type Role, roleAtLeast } from "./roles.ts";
import { databaseUnavailableError, invalidValueError, isDatabaseUnavailable } from "../db/unavailable.ts";
import type { Context } from "./context.ts";
import { usePlainValidationMessages } from "../shared/plain_validation.ts";

// every input refusal, in the API's issues and in the pages, reads as a sentence (see the module)
usePlainValidationMessages();

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
const procedure = t.procedure.use(async ({ ctx, next }) => {
  // Rights are checked where they are used: a live socket's caller may have been revoked or
  // demoted since it connected, and every batch item or socket message counts against the limit
  const caller = ctx.checkCall ? await ctx.checkCall() : ctx.caller;
  // a new context only when the caller changed (a socket's re-check): tRPC copies the context for it
  const result = caller === ctx.caller ? await next() : await next({ ctx: { caller } });
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

/** What a caller without credentials is told by every procedure that needs a role. */
export const signInMessage = "Sign in to continue";

function requireRole(minimum: Role) {
  return t.middleware(({ ctx, next }) => {
    if (!ctx.caller) {
      throw new TRPCError({ code: "UNAUTHORIZED", message: signInMessage });
    }
    if (!roleAtLeast(ctx.caller.role, minimum)) {
      throw new TRPCError({
        code: "FORBIDDEN",
        message: `This needs the ${minimum} role; you are signed in as ${ctx.caller.role}`,
      });
    }
    // The caller is already in the context: `ctx` is given only to narrow its type for the resolvers.
    // Passing a real object makes tRPC copy the whole context (its object-spread helper was the
    // largest cost of a cached read in the CPU profile)
    return next({ ctx: undefined as unknown as { caller: Caller } });
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
