import type { Caller } from "../auth/roles.ts";
import type { Services } from "../services.ts";

/** Per-call facts the HTTP layer wants back from a procedure (cache status for X-Cache). */
export interface ResponseMeta {
  cache?: "hit" | "miss";
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
    log: options.services.log.child({ requestId }),
    responseMeta: {} as ResponseMeta,
  };
}

export type Context = ReturnType<typeof createInnerContext>;
