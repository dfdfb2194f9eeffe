import type { PageRoute, RouteModule, SiteDefinition } from "./server/http/pages/page.ts";
import { domainPages } from "./server/api/domains.ts";
import ErrorPage from "./routes/_error.tsx";
import Layout from "./routes/_layout.tsx";
import * as dashboard from "./routes/index.tsx";
import * as login from "./routes/login.tsx";
import * as analytics from "./routes/analytics.tsx";
import * as products from "./routes/products.tsx";
import * as transactions from "./routes/transactions.tsx";
import * as alerts from "./routes/alerts.tsx";
import * as inventory from "./routes/inventory.tsx";
import * as adminAudit from "./routes/admin/audit.tsx";
import * as adminTokens from "./routes/admin/tokens.tsx";
import * as adminUsers from "./routes/admin/users.tsx";
import * as adminJobs from "./routes/admin/jobs.tsx";
import * as reports from "./routes/reports.tsx";
import * as fraud from "./routes/fraud.tsx";
import * as account from "./routes/account.tsx";
import * as adminImport from "./routes/admin/import.tsx";
import * as adminIntegrations from "./routes/admin/integrations.tsx";
import AlertList from "./islands/AlertList.tsx";
import AlertRules from "./islands/AlertRules.tsx";
import CalendarEvents from "./islands/CalendarEvents.tsx";
import ChangePassword from "./islands/ChangePassword.tsx";
import Chart from "./islands/Chart.tsx";
import ConnectionStatus from "./islands/ConnectionStatus.tsx";
import ContactPoints from "./islands/ContactPoints.tsx";
import DashboardKpis from "./islands/DashboardKpis.tsx";
import FraudLists from "./islands/FraudLists.tsx";
import FraudModelPanel from "./islands/FraudModelPanel.tsx";
import FraudReviewQueue from "./islands/FraudReviewQueue.tsx";
import FraudRulesEditor from "./islands/FraudRulesEditor.tsx";
import ImportWizard from "./islands/ImportWizard.tsx";
import IntegrationAdmin from "./islands/IntegrationAdmin.tsx";
import JobRunNow from "./islands/JobRunNow.tsx";
import LiveFeed from "./islands/LiveFeed.tsx";
import LiveRefresh from "./islands/LiveRefresh.tsx";
import MenuButton from "./islands/MenuButton.tsx";
import NewTransactionForm from "./islands/NewTransactionForm.tsx";
import NotificationPolicies from "./islands/NotificationPolicies.tsx";
import ProductEditor from "./islands/ProductEditor.tsx";
import PurchaseOrders from "./islands/PurchaseOrders.tsx";
import ReorderSuggestions from "./islands/ReorderSuggestions.tsx";
import ReportSubscriptions from "./islands/ReportSubscriptions.tsx";
import SalesPerMinute from "./islands/SalesPerMinute.tsx";
import Silences from "./islands/Silences.tsx";
import ThemeToggle from "./islands/ThemeToggle.tsx";
import TokenAdmin from "./islands/TokenAdmin.tsx";
import TransactionDrawer from "./islands/TransactionDrawer.tsx";
import UserAdmin from "./islands/UserAdmin.tsx";

// A route file's loader and component agree on its Data (checked here); the table forgets it
function page<Data>(module: RouteModule<Data>): RouteModule<never> {
  return module as unknown as RouteModule<never>;
}

/**
 * The route files, by their path under `routes/` without `.tsx`: the pages each domain declares in its mod.ts
 * (`pages: [{ path, route }]`) are drawn by these. `fresh_config_test.ts` keeps this equal to the folder.
 */
export const routeFiles: Record<string, RouteModule<never>> = {
  index: page(dashboard),
  login: page(login),
  analytics: page(analytics),
  transactions: page(transactions),
  products: page(products),
  alerts: page(alerts),
  inventory: page(inventory),
  "admin/users": page(adminUsers),
  "admin/tokens": page(adminTokens),
  "admin/audit": page(adminAudit),
  "admin/jobs": page(adminJobs),
  reports: page(reports),
  fraud: page(fraud),
  account: page(account),
  "admin/import": page(adminImport),
  "admin/integrations": page(adminIntegrations),
};

/** Every page, by URL pattern (Hono syntax, e.g. `/products/:id`): the domains' pages bound to their files. */
export const pageRoutes: PageRoute[] = domainPages.map(({ path, route }) => {
  const module = routeFiles[route];
  if (!module) {
    throw new Error(`A domain declares the page ${path} drawn by routes/${route}.tsx, which is not here`);
  }
  return { path, module };
});

/**
 * Every island (`islands/<Name>.tsx`, default export), by name: the server marks them for hydration and
 * the bundler builds one entry each. `fresh_config_test.ts` keeps this list equal to the folder.
 */
export const islands = {
  AlertList,
  AlertRules,
  CalendarEvents,
  ChangePassword,
  Chart,
  ConnectionStatus,
  ContactPoints,
  DashboardKpis,
  FraudLists,
  FraudModelPanel,
  FraudReviewQueue,
  FraudRulesEditor,
  ImportWizard,
  IntegrationAdmin,
  JobRunNow,
  LiveFeed,
  LiveRefresh,
  MenuButton,
  NewTransactionForm,
  NotificationPolicies,
  ProductEditor,
  PurchaseOrders,
  ReorderSuggestions,
  ReportSubscriptions,
  SalesPerMinute,
  Silences,
  ThemeToggle,
  TokenAdmin,
  TransactionDrawer,
  UserAdmin,
};

/** The site the server serves: read by main.ts and the test app, handed to startApp(). */
export const site: SiteDefinition = {
  routes: pageRoutes,
  islands,
  layout: Layout,
  errorPage: ErrorPage,
  loginPage: login.default,
};
