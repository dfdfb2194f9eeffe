import type { Caller } from "../trpc/roles.ts";
import type { Services } from "../services.ts";
import { appRouter } from "./app_router.ts";
import { createInnerContext } from "../trpc/context.ts";
import { createCallerFactory } from "../trpc/init.ts";

const createCaller = createCallerFactory(appRouter);

/**
 * The whole API called in-process, as `caller` — what pages use to load their data. `ip` is the
 * client's address, for the audit log of writes made this way.
 */
export function createServerCaller(
  services: Services,
  caller: Caller | null,
  requestId?: string,
  ip?: string,
) {
  return createCaller(createInnerContext({ services, caller, requestId, ip }));
}
