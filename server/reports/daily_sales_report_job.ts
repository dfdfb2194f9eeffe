import { buildDailySalesReport, pendingReportDates } from "./report_queries.ts";
import type { JobDefinition, JobResult, JobServices } from "../domain.ts";

/**
 * The daily sales report job. Deno.cron reads schedules in UTC and the store's midnight moves with
 * its time zone and DST, so it runs hourly and reports every store day that has ended since the
 * last report (catching up after downtime, at most a week).
 */
export async function runDailySalesReport(
  services: Pick<JobServices, "db" | "config" | "log">,
  options: { now?: Date } = {},
): Promise<JobResult> {
  const timeZone = services.config.STORE_TZ;
  const dates = await pendingReportDates(services.db.sql, { now: options.now ?? new Date(), timeZone });
  const reports = [];
  for (const date of dates) {
    const report = await buildDailySalesReport(services.db.sql, { date, timeZone });
    reports.push({ date, orders: report.orders, revenueCents: report.revenueCents });
  }
  if (reports.length) services.log.info("daily sales reports stored", { reports });
  return { rows: reports.length, details: { dates } };
}

/** The daily sales report job's schedule, declared in this domain's mod.ts (hourly: see above). */
export const dailySalesReportJob: JobDefinition = {
  name: "daily-sales-report",
  schedule: "5 * * * *",
  every: "daily at the store's midnight (checked hourly)",
  description: "Stores the sales report of each store day that ended since the last one",
  run: (services) => runDailySalesReport(services),
};
