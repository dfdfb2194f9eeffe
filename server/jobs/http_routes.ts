import type { Hono } from "hono";
import { authenticateRequest } from "../auth/authenticate.ts";
import { roleAtLeast } from "../auth/roles.ts";
import type { Services } from "../services.ts";
// for the request id on the Hono context (its ContextVariableMap)
import type {} from "../http/request_id.ts";
import { dailySalesReportCsv, reportCsvFileName } from "./report_csv.ts";
import { getDailySalesReport } from "./report_queries.ts";
import { reportDate } from "./reports_router.ts";

/**
 * `GET /api/v1/reports/daily/{date}.csv`: a stored daily sales report as a CSV download (analyst
 * and up: downloads are exports). Mounted before the REST handler, which answers JSON only.
 */
export function mountReportDownloads(app: Hono, services: Services): void {
  app.get("/api/v1/reports/daily/:file{[0-9]{4}-[0-9]{2}-[0-9]{2}\\.csv}", async (c) => {
    const requestId = c.get("requestId");
    const error = (status: 400 | 401 | 403 | 404, code: string, message: string) =>
      c.json({ error: { code, message, requestId } }, status);
    const caller = await authenticateRequest(services, c.req.raw.headers);
    if (!caller) return error(401, "UNAUTHORIZED", "Sign in to continue");
    if (!roleAtLeast(caller.role, "analyst")) {
      return error(403, "FORBIDDEN", `This needs the analyst role; you are signed in as ${caller.role}`);
    }
    const date = c.req.param("file").slice(0, 10);
    if (!reportDate.safeParse(date).success) {
      return error(400, "BAD_REQUEST", `"${date}" is not a calendar date`);
    }
    const report = await getDailySalesReport(services.db.sql, date);
    if (!report) return error(404, "NOT_FOUND", `No daily sales report for ${date}`);
    c.header("Content-Type", "text/csv; charset=utf-8");
    c.header("Content-Disposition", `attachment; filename="${reportCsvFileName(date)}"`);
    c.header("Cache-Control", "no-store");
    return c.body(dailySalesReportCsv(report));
  });
}
