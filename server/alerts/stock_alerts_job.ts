import type { JobDefinition } from "../domain.ts";
import { syncStockAlertsNow } from "./stock_alert_sync.ts";

/**
 * The stock-alerts job: the backstop of the coalesced syncs sales start (stock_alert_sync.ts), bringing
 * every product's alert in line, so a product queued by an instance that died is never missed for long.
 */
export const stockAlertsJob: JobDefinition = {
  name: "stock-alerts",
  schedule: "*/10 * * * *",
  every: "every 10 minutes",
  description:
    "Brings every product's stock alert in line with its plan (sales check their products just after answering)",
  run: async (services) => ({ rows: await syncStockAlertsNow(services) }),
};
