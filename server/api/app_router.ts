import { router } from "../trpc/init.ts";
import { domainRouters } from "./domains.ts";

/** Every procedure of the app: each domain's namespaces, as its mod.ts declares them (see domains.ts). */
export const appRouter = router(domainRouters);

export type AppRouter = typeof appRouter;
