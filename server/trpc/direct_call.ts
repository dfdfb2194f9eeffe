import { type AnyTRPCRouter, callTRPCProcedure, getTRPCErrorFromUnknown, TRPCError } from "@trpc/server";

/** What a middleware of a procedure is given (the fields tRPC's own caller gives it). */
interface MiddlewareCall {
  ctx: unknown;
  type: "query" | "mutation";
  path: string;
  input: unknown;
  getRawInput: () => Promise<unknown>;
  meta: unknown;
  signal: AbortSignal | undefined;
  batchIndex: number;
  next(
    options?: { ctx?: object; input?: unknown; getRawInput?: () => Promise<unknown> },
  ): Promise<MiddlewareResult>;
}

type MiddlewareResult = { ok: true; data: unknown } | { ok: false; error: TRPCError };

interface ProcedureDefinition {
  type: string;
  meta: unknown;
  middlewares: ((call: MiddlewareCall) => Promise<MiddlewareResult>)[];
}

/** What `callProcedureDirectly` needs: the procedure's path in `router`, its context and its raw input. */
export interface DirectCall {
  router: AnyTRPCRouter;
  path: string;
  type: "query" | "mutation";
  ctx: object;
  getRawInput: () => Promise<unknown>;
}

/**
 * Calls a query or mutation as `callTRPCProcedure` does: its middlewares in order (our role checks, the input
 * and output validators, the resolver), each `next()` with the context merged and the input it passes on, a
 * throw anywhere turned into the failed result tRPC's chain gives, thrown to the caller as tRPC throws it.
 * tRPC's own walk copies its whole options object twice per middleware with a generic object-spread helper,
 * the largest single cost of the procedure call in a sale's CPU profile; this one builds each middleware's
 * argument as one literal. A router or procedure of another shape (a lazy router, a subscription) is called
 * through `callTRPCProcedure`.
 */
export function callProcedureDirectly(call: DirectCall): Promise<unknown> {
  const procedure = (call.router._def.procedures as Record<string, { _def?: Partial<ProcedureDefinition> }>)[
    call.path
  ];
  const definition = procedure?._def;
  if (!definition || definition.type !== call.type || !Array.isArray(definition.middlewares)) {
    return callTRPCProcedure({ ...call, signal: undefined, batchIndex: 0 });
  }
  return run(definition as ProcedureDefinition, call);
}

async function run(definition: ProcedureDefinition, call: DirectCall): Promise<unknown> {
  const { middlewares, meta } = definition;
  const step = async (
    index: number,
    ctx: unknown,
    input: unknown,
    getRawInput: () => Promise<unknown>,
  ): Promise<MiddlewareResult> => {
    try {
      return await middlewares[index]({
        ctx,
        type: call.type,
        path: call.path,
        input,
        getRawInput,
        meta,
        signal: undefined,
        batchIndex: 0,
        next: (options) =>
          step(
            index + 1,
            options?.ctx ? { ...ctx as object, ...options.ctx } : ctx,
            options && "input" in options ? options.input : input,
            options?.getRawInput ?? getRawInput,
          ),
      });
    } catch (cause) {
      return { ok: false, error: getTRPCErrorFromUnknown(cause) };
    }
  };
  const result = await step(0, call.ctx, undefined, call.getRawInput);
  if (!result) {
    throw new TRPCError({
      code: "INTERNAL_SERVER_ERROR",
      message: "No result from middlewares - did you forget to `return next()`?",
    });
  }
  if (!result.ok) throw result.error;
  return result.data;
}
