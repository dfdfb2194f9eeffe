import type { MiddlewareHandler } from "hono";
import type { Logger } from "../log.ts";

declare module "hono" {
  interface ContextVariableMap {
    requestId: string;
    log: Logger;
    nonce: string;
  }
}

const validRequestId = /^[A-Za-z0-9._-]{8,80}$/;

/** The request's id: the caller's X-Request-Id when it is sane, a new one otherwise. */
export function requestIdOf(headers: Headers): string {
  const incoming = headers.get("x-request-id");
  return incoming && validRequestId.test(incoming) ? incoming : crypto.randomUUID();
}

/**
 * Gives every request an id (the caller's X-Request-Id when it is sane), a logger carrying it, and
 * one JSON log line when the response is done.
 */
export function requestLogging(log: Logger, inFlight?: Map<string, string>): MiddlewareHandler {
  return async (c, next) => {
    const requestId = requestIdOf(c.req.raw.headers);
    const requestLog = log.child({ requestId });
    c.set("requestId", requestId);
    c.set("log", requestLog);
    const start = performance.now();
    if (inFlight) {
      // Until the last byte is delivered (a streamed body outlives the handler), so a stop that waits
      // too long can name what it waited for
      inFlight.set(requestId, `${c.req.method} ${c.req.path}`);
      const completed = (c.env as { completed?: Promise<void> } | undefined)?.completed;
      if (completed) completed.finally(() => inFlight.delete(requestId)).catch(() => {});
    }
    try {
      await next();
    } finally {
      if (inFlight && !(c.env as { completed?: Promise<void> } | undefined)?.completed) {
        inFlight.delete(requestId);
      }
    }
    c.header("X-Request-Id", requestId);
    const status = c.res.status;
    const fields = {
      method: c.req.method,
      path: c.req.path,
      status,
      ms: Math.round((performance.now() - start) * 10) / 10,
    };
    if (status >= 500) requestLog.error("request failed", fields);
    else if (c.req.path !== "/health") requestLog.debug("request", fields);
  };
}
