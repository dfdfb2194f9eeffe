import type { Context as HonoContext } from "hono";
import { authenticateRequest } from "../auth/authenticate.ts";
import type { Services } from "../services.ts";
import { createInnerContext } from "../trpc/context.ts";
import { clientIp } from "./client_ip.ts";

/**
 * The tRPC context of one HTTP request: who calls (session cookie or bearer token), from which
 * address, under which request id. `/trpc` and `/api/v1` both build it here, so a procedure sees
 * the same caller whichever way it is reached.
 */
export async function createRequestContext(services: Services, c: HonoContext) {
  return createInnerContext({
    services,
    caller: await authenticateRequest(services, c.req.raw.headers),
    requestId: c.get("requestId"),
    ip: clientIp(c),
    idempotencyKey: c.req.header("Idempotency-Key"),
  });
}
