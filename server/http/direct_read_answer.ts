import type { OpenApiRouter } from "trpc-to-openapi";
import type { CacheEntry } from "../cache.ts";
import type { Context } from "../trpc/context.ts";
import { signInMessage } from "../trpc/init.ts";
import { callProcedureDirectly } from "../trpc/direct_call.ts";
import type { DirectRead } from "./direct_reads.ts";
import { errorAnswer, type ErrorRequest, procedureErrorResponse } from "./error_answers.ts";

/** Cached reads may be kept by the client but must be revalidated (If-None-Match) before each use. */
export const revalidateOnly = "private, no-cache";

/** One GET procedure to call directly and what its answer needs. */
export interface DirectReadCall {
  router: OpenApiRouter;
  read: DirectRead;
  input: Record<string, unknown> | undefined;
  ctx: Context;
  request: ErrorRequest;
  ifNoneMatch: string | undefined;
  /** headers every answer carries besides its own (the fast lane's: the chain's set and the request id) */
  headers: [string, string][];
  /**
   * One of the reads the fast lane answers alone: its entry keeps its bytes, and `learn` is told which
   * entry answered (hot reads' output is the same for every caller allowed them).
   */
  hot?: { learn(entry: CacheEntry<unknown>): void };
}

/**
 * A GET procedure called as trpc-to-openapi's handler calls it (the same context, role check, input and
 * output validation), answered as that handler and our bridge answer it: the same status, headers and
 * bytes (`direct_reads_contract_test`), without its per-request work.
 */
export async function answerDirectRead(call: DirectReadCall): Promise<Response> {
  const { ctx, read } = call;
  if (read.needsCaller && !ctx.caller) {
    // the procedure's own role check would say the same, after building an error with a stack trace
    return errorAnswer(call.request, 401, {
      code: "UNAUTHORIZED",
      message: signInMessage,
      data: { path: read.path },
    }, new Headers([...call.headers, ["Cache-Control", "no-store"]]));
  }
  try {
    const data = await callProcedureDirectly({
      router: call.router,
      path: read.path,
      getRawInput: () => Promise.resolve(call.input),
      ctx,
      type: "query",
    });
    const meta = ctx.responseMeta;
    const headers: [string, string][] = [...call.headers, ["Content-Type", "application/json"]];
    if (meta.cache) headers.push(["X-Cache", meta.cache]);
    const entry = meta.cacheEntry;
    if (!entry) {
      headers.push(["Cache-Control", "no-store"]);
      return new Response(JSON.stringify(data), { status: meta.status ?? 200, headers });
    }
    headers.push(["Cache-Control", revalidateOnly], ["ETag", entry.etag]);
    if (matchesEtag(call.ifNoneMatch, entry.etag)) return new Response(null, { status: 304, headers });
    if (!call.hot) return new Response(JSON.stringify(data), { status: meta.status ?? 200, headers });
    entry.restBody ??= new TextEncoder().encode(JSON.stringify(data));
    call.hot.learn(entry);
    return new Response(entry.restBody, { status: meta.status ?? 200, headers });
  } catch (cause) {
    const headers: [string, string][] = [...call.headers, ["Cache-Control", "no-store"]];
    if (ctx.responseMeta.cache) headers.push(["X-Cache", ctx.responseMeta.cache]);
    return procedureErrorResponse(call.request, cause, read.path, ctx.log, headers);
  }
}

/** Whether an `If-None-Match` header names `etag` (or is `*`); weak and strong forms compare alike. */
export function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(",").some((item) => {
    const tag = item.trim();
    return tag === "*" || tag === etag || tag === `W/${etag}`;
  });
}
