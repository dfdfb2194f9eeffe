import type { MiddlewareHandler } from "hono";
import { cors } from "hono/cors";

/**
 * CORS closed by default: only origins listed in CORS_ORIGINS (comma-separated) may call the API
 * from a browser, and only with a bearer token — credentials (cookies) are never allowed across sites.
 */
export function corsPolicy(corsOrigins: string): MiddlewareHandler {
  const allowed = new Set(corsOrigins.split(",").map((origin) => origin.trim()).filter(Boolean));
  return cors({
    origin: (origin) => allowed.has(origin) ? origin : null,
    allowMethods: ["GET", "POST", "PUT", "PATCH", "DELETE"],
    allowHeaders: ["Authorization", "Content-Type", "Idempotency-Key", "X-Request-Id"],
    exposeHeaders: ["X-Request-Id", "X-Cache", "Retry-After"],
    credentials: false,
    maxAge: 600,
  });
}
