import { mergeRouters, router } from "./init.ts";
import { auditRouter } from "../auth/audit_router.ts";
import { authRouter } from "../auth/auth_router.ts";
import { tokensRouter } from "../auth/tokens_router.ts";
import { usersRouter } from "../auth/users_router.ts";
import { customersRouter } from "../customers/router.ts";
import { analyticsRouter } from "../analytics/router.ts";
import { alertsRouter } from "../alerts/router.ts";
import { dashboardRouter } from "../dashboard/router.ts";
import { fraudRouter } from "../fraud/router.ts";
import { healthRouter } from "../health/router.ts";
import { jobsRouter } from "../jobs/router.ts";
import { reportsRouter } from "../jobs/reports_router.ts";
import { inventoryRouter } from "../inventory/router.ts";
import { purchaseOrdersRouter } from "../inventory/purchase_orders_router.ts";
import { productsRouter } from "../products/router.ts";
import { suppliersRouter } from "../suppliers/router.ts";
import { transactionsRouter } from "../transactions/router.ts";
import {
  alertsLiveRouter,
  dashboardLiveRouter,
  inventoryLiveRouter,
  jobsLiveRouter,
  transactionsLiveRouter,
} from "../live/subscriptions.ts";

/** Every procedure of the app, one router per domain. */
export const appRouter = router({
  // each domain's live subscriptions (server/live) sit in its namespace: dashboard.onMetrics, ...
  dashboard: mergeRouters(dashboardRouter, dashboardLiveRouter),
  analytics: analyticsRouter,
  alerts: mergeRouters(alertsRouter, alertsLiveRouter),
  health: healthRouter,
  inventory: mergeRouters(inventoryRouter, inventoryLiveRouter),
  purchaseOrders: purchaseOrdersRouter,
  products: productsRouter,
  suppliers: suppliersRouter,
  customers: customersRouter,
  transactions: mergeRouters(transactionsRouter, transactionsLiveRouter),
  fraud: fraudRouter,
  jobs: mergeRouters(jobsRouter, jobsLiveRouter),
  reports: reportsRouter,
  auth: authRouter,
  users: usersRouter,
  tokens: tokensRouter,
  audit: auditRouter,
});

export type AppRouter = typeof appRouter;
