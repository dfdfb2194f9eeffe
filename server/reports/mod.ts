import { defineDomain } from "../domain.ts";
import { reportsRouter } from "./reports_router.ts";
import { dailySalesReportJob } from "./daily_sales_report_job.ts";

/** Stored sales reports and their downloads. */
export const reportsDomain = defineDomain({
  folder: "reports",
  routers: { reports: reportsRouter },
  jobs: [dailySalesReportJob],
  pages: [{ path: "/reports", route: "reports" }],
});
