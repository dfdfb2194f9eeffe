import type { Caller } from "../auth/roles.ts";
import type { Services } from "../services.ts";
import { appRouter } from "../trpc/app_router.ts";
import { createInnerContext } from "../trpc/context.ts";
import { createCallerFactory } from "../trpc/init.ts";

const createCaller = createCallerFactory(appRouter);

/** The whole API called in-process, as `caller` — what pages use to load their data. */
export function createServerCaller(services: Services, caller: Caller | null, requestId?: string) {
  return createCaller(createInnerContext({ services, caller, requestId }));
}
