import { router } from "./init.ts";
import { auditRouter } from "../auth/audit_router.ts";
import { authRouter } from "../auth/auth_router.ts";
import { tokensRouter } from "../auth/tokens_router.ts";
import { usersRouter } from "../auth/users_router.ts";
import { customersRouter } from "../customers/router.ts";
import { analyticsRouter } from "../analytics/router.ts";
import { dashboardRouter } from "../dashboard/router.ts";
import { healthRouter } from "../health/router.ts";
import { inventoryRouter } from "../inventory/router.ts";
import { purchaseOrdersRouter } from "../inventory/purchase_orders_router.ts";
import { productsRouter } from "../products/router.ts";
import { suppliersRouter } from "../suppliers/router.ts";
import { transactionsRouter } from "../transactions/router.ts";

/** Every procedure of the app, one router per domain. */
export const appRouter = router({
  dashboard: dashboardRouter,
  analytics: analyticsRouter,
  health: healthRouter,
  inventory: inventoryRouter,
  purchaseOrders: purchaseOrdersRouter,
  products: productsRouter,
  suppliers: suppliersRouter,
  customers: customersRouter,
  transactions: transactionsRouter,
  auth: authRouter,
  users: usersRouter,
  tokens: tokensRouter,
  audit: auditRouter,
});

export type AppRouter = typeof appRouter;
