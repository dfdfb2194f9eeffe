import { defineDomain } from "../domain.ts";
import { alertsRouter } from "./router.ts";
import { stockAlertsJob } from "./stock_alerts_job.ts";

/** Alerts, their rules and the one path that raises them. */
export const alertsDomain = defineDomain({
  folder: "alerts",
  routers: { alerts: alertsRouter },
  jobs: [stockAlertsJob],
  events: ["alert.raised", "alert.changed"],
  exports: ["alerts", "alert-rules"],
  pages: [{ path: "/alerts", route: "alerts" }],
});
