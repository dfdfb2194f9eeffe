import { lookUpCaller } from "../auth/authenticate.ts";
import type { Logger } from "../log.ts";
import type { Services } from "../services.ts";
import { createInnerContext } from "../trpc/context.ts";
import type { Caller } from "../trpc/roles.ts";
import { forwardedClientIp } from "./client_ip.ts";
import { requestIdOf } from "./request_id.ts";

/**
 * The tRPC context the chain's `createRequestContext` gives a request, for a request the fast lane calls a
 * procedure for itself: the same request id, log, client address (behind trusted proxies) and idempotency
 * key. The lane serves only single calls, so no later call of the request is charged to the rate limit.
 */
export function fastLaneContext(services: Services, headers: Headers, caller: Caller | null, peer: string) {
  const requestId = requestIdOf(headers);
  return createInnerContext({
    services,
    caller,
    requestId,
    log: services.log.child({ requestId }),
    ip: forwardedClientIp(peer, headers.get("x-forwarded-for") ?? undefined, services.config.TRUSTED_PROXIES),
    idempotencyKey: headers.get("idempotency-key") ?? undefined,
  });
}

/**
 * Who calls (null: nobody signed in), or undefined when the lookup failed: the database is away, and the
 * full chain answers that 503 as it does for every request. Straight from the per-instance caller cache:
 * the per-request memo (`authenticateRequest`, a WeakMap entry and a promise for each request's Headers)
 * was ~4% of a cached hit's CPU, and a request the lane hands on finds the caller cached all the same.
 */
export async function laneCaller(services: Services, headers: Headers): Promise<Caller | null | undefined> {
  try {
    return await lookUpCaller(services, headers);
  } catch {
    return undefined;
  }
}

/** The request's log line, as the chain's request log writes it. */
export function logged(request: Request, response: Response, start: number, log: Logger): Response {
  const fields = {
    method: request.method,
    path: new URL(request.url).pathname,
    status: response.status,
    ms: Math.round((performance.now() - start) * 10) / 10,
  };
  if (response.status >= 500) log.error("request failed", fields);
  else log.debug("request", fields);
  return response;
}
