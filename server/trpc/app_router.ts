import { router } from "./init.ts";
import { dashboardRouter } from "../dashboard/router.ts";
import { healthRouter } from "../health/router.ts";
import { transactionsRouter } from "../transactions/router.ts";

/** Every procedure of the app, one router per domain. */
export const appRouter = router({
  dashboard: dashboardRouter,
  health: healthRouter,
  transactions: transactionsRouter,
});

export type AppRouter = typeof appRouter;
