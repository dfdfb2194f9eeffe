import type { Hono } from "hono";
import { jsonError, requireCaller } from "./caller.ts";
import type { Services } from "../services.ts";
// for the request id on the Hono context (its ContextVariableMap)
import type {} from "./request_id.ts";
import { dailySalesReportCsv, reportCsvFileName } from "../reports/report_csv.ts";
import { getDailySalesReport } from "../reports/report_queries.ts";
import { reportDate } from "../reports/reports_router.ts";

/**
 * `GET /api/v1/reports/daily/{date}.csv`: a stored daily sales report as a CSV download (analyst
 * and up: downloads are exports). Mounted before the REST handler, which answers JSON only.
 */
export function mountReportDownloads(app: Hono, services: Services): void {
  app.get("/api/v1/reports/daily/:file{[0-9]{4}-[0-9]{2}-[0-9]{2}\\.csv}", async (c) => {
    const caller = await requireCaller(c, services, "analyst");
    if (caller instanceof Response) return caller;
    const date = c.req.param("file").slice(0, 10);
    if (!reportDate.safeParse(date).success) {
      return jsonError(c, 400, "BAD_REQUEST", `"${date}" is not a calendar date`);
    }
    const report = await getDailySalesReport(services.db.sql, date);
    if (!report) return jsonError(c, 404, "NOT_FOUND", `No daily sales report for ${date}`);
    c.header("Content-Type", "text/csv; charset=utf-8");
    c.header("Content-Disposition", `attachment; filename="${reportCsvFileName(date)}"`);
    c.header("Cache-Control", "no-store");
    return c.body(dailySalesReportCsv(report));
  });
}
