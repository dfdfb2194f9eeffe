import assert from "node:assert/strict";
import { callTRPCProcedure, TRPCError } from "@trpc/server";
import { z } from "zod";
import { managerProcedure, middleware, publicProcedure, router } from "./init.ts";
import type { Context } from "./context.ts";
import type { Caller } from "./roles.ts";
import { callProcedureDirectly, type DirectCall } from "./direct_call.ts";

// What each middleware and resolver was given, by call, to compare the two ways of calling
let seen: unknown[] = [];

const stamp = middleware(({ ctx, next, path, type, meta, input }) => {
  seen.push({ at: "stamp", path, type, meta, input, ctxKeys: Object.keys(ctx).sort() });
  return next({ ctx: { stamped: true } });
});
const renameInput = middleware(async ({ next, getRawInput }) => {
  const raw = await getRawInput() as { n?: number } | undefined;
  return next({ input: { n: (raw?.n ?? 0) + 1 } });
});

const probe = router({
  double: managerProcedure
    .meta({ openapi: { method: "POST", path: "/double" } })
    .use(stamp)
    .input(z.object({ n: z.number().int().max(100) }))
    .output(z.object({ doubled: z.number().max(150), stamped: z.boolean() }))
    .mutation(({ input, ctx }) => {
      seen.push({ at: "resolver", input, stamped: (ctx as { stamped?: boolean }).stamped });
      return {
        doubled: input.n * 2,
        stamped: (ctx as { stamped?: boolean }).stamped === true,
        extra: "dropped",
      };
    }),
  plusOne: publicProcedure.use(renameInput).query(({ input }) => input),
  fails: publicProcedure.input(z.object({ kind: z.string() })).query(({ input }) => {
    if (input.kind === "trpc") throw new TRPCError({ code: "CONFLICT", message: "Taken" });
    throw new Error("Broken");
  }),
});

const manager: Caller = { userId: 1, username: "boss", role: "manager", via: "token", tokenId: 1 };
const viewer: Caller = { userId: 2, username: "eve", role: "viewer", via: "token", tokenId: 2 };

function contextOf(caller: Caller | null): Context {
  return { caller, responseMeta: {} } as unknown as Context;
}

/** The outcome of one call, both ways: value or error (class, code, message, cause's class), and what was seen. */
async function bothWays(call: Omit<DirectCall, "router">) {
  const outcome = async (fn: () => Promise<unknown>) => {
    seen = [];
    try {
      return { value: await fn(), seen };
    } catch (error) {
      const trpc = error as TRPCError;
      return {
        error: [trpc.constructor.name, trpc.code, trpc.message, trpc.cause?.constructor.name],
        seen,
      };
    }
  };
  const viaTrpc = await outcome(() =>
    callTRPCProcedure({ ...call, router: probe, signal: undefined, batchIndex: 0 })
  );
  const direct = await outcome(() => callProcedureDirectly({ ...call, router: probe }));
  return { viaTrpc, direct };
}

Deno.test("callProcedureDirectly() gives a procedure's middlewares and resolver what tRPC's caller gives them", async () => {
  const { viaTrpc, direct } = await bothWays({
    path: "double",
    type: "mutation",
    ctx: contextOf(manager),
    getRawInput: () => Promise.resolve({ n: 21 }),
  });
  assert.deepEqual(direct, viaTrpc);
  assert.deepEqual(direct.value, { doubled: 42, stamped: true });
  assert.equal(direct.seen.length, 2);
});

Deno.test("callProcedureDirectly() passes on the input a middleware hands to next()", async () => {
  const { viaTrpc, direct } = await bothWays({
    path: "plusOne",
    type: "query",
    ctx: contextOf(null),
    getRawInput: () => Promise.resolve({ n: 4 }),
  });
  assert.deepEqual(direct, viaTrpc);
  assert.deepEqual(direct.value, { n: 5 });
});

Deno.test("callProcedureDirectly() refuses as tRPC's caller does: role, input, output, thrown errors, wrong type", async () => {
  const cases: [string, Omit<DirectCall, "router">][] = [
    ["no caller", {
      path: "double",
      type: "mutation",
      ctx: contextOf(null),
      getRawInput: () => Promise.resolve({ n: 1 }),
    }],
    ["viewer", {
      path: "double",
      type: "mutation",
      ctx: contextOf(viewer),
      getRawInput: () => Promise.resolve({ n: 1 }),
    }],
    ["bad input", {
      path: "double",
      type: "mutation",
      ctx: contextOf(manager),
      getRawInput: () => Promise.resolve({ n: "x" }),
    }],
    ["input too big", {
      path: "double",
      type: "mutation",
      ctx: contextOf(manager),
      getRawInput: () => Promise.resolve({ n: 101 }),
    }],
    ["output too big", {
      path: "double",
      type: "mutation",
      ctx: contextOf(manager),
      getRawInput: () => Promise.resolve({ n: 80 }),
    }],
    ["TRPCError thrown", {
      path: "fails",
      type: "query",
      ctx: contextOf(null),
      getRawInput: () => Promise.resolve({ kind: "trpc" }),
    }],
    ["Error thrown", {
      path: "fails",
      type: "query",
      ctx: contextOf(null),
      getRawInput: () => Promise.resolve({ kind: "js" }),
    }],
    ["wrong type", {
      path: "double",
      type: "query",
      ctx: contextOf(manager),
      getRawInput: () => Promise.resolve({ n: 1 }),
    }],
    ["no procedure", {
      path: "nothing",
      type: "query",
      ctx: contextOf(manager),
      getRawInput: () => Promise.resolve({}),
    }],
  ];
  const codes: string[] = [];
  for (const [name, call] of cases) {
    const { viaTrpc, direct } = await bothWays(call);
    assert.deepEqual(direct, viaTrpc, name);
    assert.ok(direct.error, `${name} was refused`);
    codes.push(direct.error[1] as string);
  }
  assert.deepEqual(codes, [
    "UNAUTHORIZED",
    "FORBIDDEN",
    "BAD_REQUEST",
    "BAD_REQUEST",
    "INTERNAL_SERVER_ERROR",
    "CONFLICT",
    "INTERNAL_SERVER_ERROR",
    "NOT_FOUND",
    "NOT_FOUND",
  ]);
});
