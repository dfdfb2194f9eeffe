import type { Context as HonoContext } from "hono";
import { authenticateRequest } from "../auth/authenticate.ts";
import { databaseUnavailableError, isDatabaseUnavailable } from "../db/unavailable.ts";
import type { Services } from "../services.ts";
import { createInnerContext } from "../trpc/context.ts";
import { clientIp } from "./client_ip.ts";
import { chargeCall } from "./rate_limit.ts";

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
  // The request paid for its first call; each further item of a batch is charged on its own
  let calls = 0;
  const ip = clientIp(c);
  return createInnerContext({
    services,
    caller,
    checkCall: async () => {
      if (++calls > 1) await chargeCall(services, caller, ip);
      return caller;
    },
    requestId: c.get("requestId"),
    log: c.get("log"),
    ip,
    idempotencyKey: c.req.header("Idempotency-Key"),
  });
}
