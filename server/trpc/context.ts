import type { Caller } from "./roles.ts";
import type { CacheEntry } from "../cache.ts";
import type { Logger } from "../log.ts";
import type { Services } from "../services.ts";

/** Per-call facts the HTTP layer wants back from a procedure (cache status for X-Cache). */
export interface ResponseMeta {
  cache?: "hit" | "miss";
  /** the cache entry a cached read answered from: its ETag, and its REST bytes once serialized */
  cacheEntry?: CacheEntry<unknown>;
  /** REST status of a success; creates (POST `*.create`) default to 201, everything else to 200 */
  status?: 200 | 201 | 202;
}

export interface InnerContextOptions {
  services: Services;
  caller: Caller | null;
  requestId?: string;
  /** client address, for rate limits and the audit log */
  ip?: string;
  /** the request's Idempotency-Key header: a retried create returns the first result */
  idempotencyKey?: string;
  /**
   * Runs before every procedure call on this context: returns the caller as they are now (a live
   * socket re-checks its session or token) and charges the call to the rate limit; throws a
   * TRPCError to refuse it. Unset for calls a request already paid for (SSR, single REST calls).
   */
  checkCall?: () => Promise<Caller | null>;
  /** the request's logger, already carrying its request id (a child of the services' log otherwise) */
  log?: Logger;
}

/**
 * The context without an HTTP request: used by tests and by pages rendering on the server
 * (`appRouter.createCaller(createInnerContext(...))`).
 */
export function createInnerContext(options: InnerContextOptions) {
  const requestId = options.requestId ?? crypto.randomUUID();
  return {
    ...options.services,
    services: options.services,
    caller: options.caller,
    requestId,
    ip: options.ip ?? "127.0.0.1",
    idempotencyKey: options.idempotencyKey,
    checkCall: options.checkCall,
    log: options.log ?? options.services.log.child({ requestId }),
    responseMeta: {} as ResponseMeta,
  };
}

export type Context = ReturnType<typeof createInnerContext>;
