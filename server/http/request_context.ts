import type { Context as HonoContext } from "hono";
import { authenticateRequest } from "../auth/authenticate.ts";
import { databaseUnavailableError, isDatabaseUnavailable } from "../db/unavailable.ts";
import type { Services } from "../services.ts";
import { createInnerContext } from "../trpc/context.ts";
import { clientIp } from "./client_ip.ts";

/**
 * The tRPC context of one HTTP request: who calls (session cookie or bearer token), from which
 * address, under which request id. `/trpc` and `/api/v1` both build it here, so a procedure sees
 * the same caller whichever way it is reached.
 */
export async function createRequestContext(services: Services, c: HonoContext) {
  let caller;
  try {
    caller = await authenticateRequest(services, c.req.raw.headers);
  } catch (error) {
    // Sessions and tokens live in the database: without it nobody can be recognised (503, not 500)
    if (isDatabaseUnavailable(error)) throw databaseUnavailableError(error);
    throw error;
  }
  return createInnerContext({
    services,
    caller,
    requestId: c.get("requestId"),
    ip: clientIp(c),
    idempotencyKey: c.req.header("Idempotency-Key"),
  });
}
