import { csvLine } from "../shared/csv.ts";
import type { DailySalesReport, ReportLine } from "./report_queries.ts";

/** The CSV columns of a daily report download: one table, a `section` column tells the lines apart. */
export const reportCsvHeader = [
  "date",
  "section",
  "key",
  "name",
  "orders",
  "units",
  "revenue_cents",
  "customers",
];

/**
 * A daily sales report as CSV: the totals, refunds and cancels, then a line per store-local hour,
 * category, payment method and top product. Money stays in integer cents; cells a spreadsheet would
 * run as formulas are defused (server/http/csv.ts).
 * @example dailySalesReportCsv(report).split("\n")[1] // "2026-01-04,total,,,120,180,1234500,97"
 */
export function dailySalesReportCsv(report: DailySalesReport): string {
  const date = report.reportDate;
  const lines = [
    csvLine(reportCsvHeader),
    csvLine([date, "total", "", "", report.orders, report.units, report.revenueCents, report.customers]),
    csvLine([date, "refunded", "", "", report.refundedOrders, "", report.refundedCents, ""]),
    csvLine([date, "cancelled", "", "", report.cancelledOrders, "", "", ""]),
    csvLine([date, "suspicious", "", "", report.suspiciousOrders, "", "", ""]),
  ];
  const section = (name: string, rows: ReportLine[], label?: (row: ReportLine) => string) => {
    for (const row of rows) {
      lines.push(
        csvLine([date, name, row.key, label?.(row) ?? "", row.orders, row.units, row.revenueCents, ""]),
      );
    }
  };
  section("hour", report.byHour);
  section("category", report.byCategory);
  section("payment", report.byPayment);
  section("product", report.topProducts, (row) => (row as DailySalesReport["topProducts"][number]).name);
  return lines.join("");
}

/** The download's file name. */
export function reportCsvFileName(date: string): string {
  return `techmart-daily-sales-${date}.csv`;
}
