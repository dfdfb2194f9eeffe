import { defineDomain } from "../domain.ts";
import { pageLiveRouter } from "./page_changes.ts";
import {
  alertsLiveRouter,
  dashboardLiveRouter,
  inventoryLiveRouter,
  jobsLiveRouter,
  transactionsLiveRouter,
} from "./subscriptions.ts";

/**
 * The live hub: the pages' change feed (`live.*`) and each domain's subscriptions, which sit in that
 * domain's namespace (`dashboard.onMetrics`, `transactions.onCreated`, ...). They are added here rather
 * than in each domain's mod.ts because the hub reads those domains, which never import the hub.
 */
export const liveDomain = defineDomain({
  folder: "live",
  routers: { live: pageLiveRouter },
  adds: {
    dashboard: dashboardLiveRouter,
    alerts: alertsLiveRouter,
    inventory: inventoryLiveRouter,
    transactions: transactionsLiveRouter,
    jobs: jobsLiveRouter,
  },
});
