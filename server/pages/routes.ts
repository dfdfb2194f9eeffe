import type { RouteModule } from "./page.ts";
import * as dashboard from "../../routes/index.tsx";
import * as login from "../../routes/login.tsx";
import * as analytics from "../../routes/analytics.tsx";
import * as products from "../../routes/products.tsx";
import * as transactions from "../../routes/transactions.tsx";
import * as alerts from "../../routes/alerts.tsx";
import * as inventory from "../../routes/inventory.tsx";
import * as adminAudit from "../../routes/admin/audit.tsx";
import * as adminTokens from "../../routes/admin/tokens.tsx";
import * as adminUsers from "../../routes/admin/users.tsx";
import * as adminJobs from "../../routes/admin/jobs.tsx";
import * as reports from "../../routes/reports.tsx";
import * as fraud from "../../routes/fraud.tsx";

/** Every page, by URL pattern (Hono syntax, e.g. `/products/:id`). */
export const pageRoutes: { path: string; module: RouteModule<never> }[] = [
  { path: "/", module: dashboard as unknown as RouteModule<never> },
  { path: "/login", module: login as unknown as RouteModule<never> },
  { path: "/analytics", module: analytics as unknown as RouteModule<never> },
  { path: "/transactions", module: transactions as unknown as RouteModule<never> },
  { path: "/transactions/:id{[0-9]+}", module: transactions as unknown as RouteModule<never> },
  { path: "/products", module: products as unknown as RouteModule<never> },
  { path: "/alerts", module: alerts as unknown as RouteModule<never> },
  { path: "/inventory", module: inventory as unknown as RouteModule<never> },
  { path: "/admin/users", module: adminUsers as unknown as RouteModule<never> },
  { path: "/admin/tokens", module: adminTokens as unknown as RouteModule<never> },
  { path: "/admin/audit", module: adminAudit as unknown as RouteModule<never> },
  { path: "/admin/jobs", module: adminJobs as unknown as RouteModule<never> },
  { path: "/reports", module: reports as unknown as RouteModule<never> },
  { path: "/fraud", module: fraud as unknown as RouteModule<never> },
];
