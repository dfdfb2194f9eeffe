import type { MiddlewareHandler } from "hono";
import { TRPCError } from "@trpc/server";
import { authenticateRequest } from "../auth/authenticate.ts";
import type { Caller } from "../trpc/roles.ts";
import { limitKeyPrefix } from "../auth/installation.ts";
import type { Services } from "../services.ts";
import { clientIp } from "./client_ip.ts";

export interface RateLimitOptions {
  /** requests per window for one signed-in user or API token; 0 turns limits off */
  perCaller: number;
  /** requests per window from one address, whoever is calling (several people may share one) */
  perAddress: number;
  windowMs: number;
  /** path prefixes never limited (static files, health probes) */
  exempt?: string[];
}

/**
 * Fixed-window rate limits on the KV layer (shared by every instance through Redis): per client
 * address and per caller. Over the limit: 429 JSON with Retry-After. When the store is unreachable
 * the request goes through: a broken cache must not take the API down.
 */
export function rateLimit(services: Services, options: RateLimitOptions): MiddlewareHandler {
  const exempt = options.exempt ?? [];
  return async (c, next) => {
    if (
      options.perCaller <= 0 || c.req.method === "OPTIONS" || exempt.some((p) => c.req.path.startsWith(p))
    ) {
      return next();
    }
    let retryAfterMs = 0;
    let remaining: number | undefined;
    try {
      const prefix = limitKeyPrefix;
      const address = await services.kv.hit(
        `${prefix}:rate:ip:${clientIp(c)}`,
        options.perAddress,
        options.windowMs,
      );
      if (!address.allowed) retryAfterMs = address.retryAfterMs;
      else {
        const caller = await authenticateRequest(services, c.req.raw.headers);
        if (caller) {
          const own = await services.kv.hit(rateKeyOf(caller), options.perCaller, options.windowMs);
          if (!own.allowed) retryAfterMs = own.retryAfterMs;
          remaining = own.remaining;
        }
      }
    } catch (error) {
      c.get("log")?.warn("rate limit check failed; letting the request through", { error });
    }
    if (retryAfterMs > 0) {
      const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
      c.header("Retry-After", String(seconds));
      c.header("Cache-Control", "no-store");
      return c.json({
        error: { code: "TOO_MANY_REQUESTS", message: `Too many requests: try again in ${seconds} seconds` },
      }, 429);
    }
    await next();
    if (remaining !== undefined) c.header("X-RateLimit-Remaining", String(remaining));
  };
}

/** The rate-limit counter of a signed-in user or an API token (shared by HTTP, batches and sockets). */
function rateKeyOf(caller: Caller): string {
  const who = caller.via === "token" ? `token:${caller.tokenId}` : `user:${caller.userId}`;
  return `${limitKeyPrefix}:rate:${who}`;
}

/**
 * Charges one call that arrived without a request of its own (the second and later items of a
 * tRPC batch, every message of a live socket) to the caller's limit, or to the address's for an
 * anonymous caller. Over the limit: TOO_MANY_REQUESTS. When the store is unreachable the call goes
 * through, as requests do.
 */
export async function chargeCall(services: Services, caller: Caller | null, ip: string): Promise<void> {
  const perCaller = services.config.RATE_LIMIT_PER_MINUTE;
  if (perCaller <= 0) return;
  let verdict;
  try {
    verdict = caller
      ? await services.kv.hit(rateKeyOf(caller), perCaller, 60_000)
      : await services.kv.hit(`${limitKeyPrefix}:rate:ip:${ip}`, perCaller * 2, 60_000);
  } catch (error) {
    services.log.warn("rate limit check failed; letting the call through", { error });
    return;
  }
  if (!verdict.allowed) {
    const seconds = Math.max(1, Math.ceil(verdict.retryAfterMs / 1000));
    throw new TRPCError({
      code: "TOO_MANY_REQUESTS",
      message: `Too many requests: try again in ${seconds} seconds`,
    });
  }
}
