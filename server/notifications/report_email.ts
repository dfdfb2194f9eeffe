// Report emails: which report is due, and what the email says. Pure.
import { csvLine } from "../shared/csv.ts";
import { dailySalesReportCsv, reportCsvHeader } from "../reports/report_csv.ts";
import type { DailySalesReport } from "../reports/report_queries.ts";
import { addDays, storeDay } from "../shared/store_time.ts";
import { localDayHour } from "./routing.ts";

export type ReportPeriod = "daily" | "weekly";

/**
 * The report a subscription should have received by `now`: yesterday's (daily) once the store's
 * clock passes the send hour, last week's (weekly, Monday to Sunday) from the send hour on Monday.
 * Null when nothing is due yet.
 */
export function dueReportKey(
  period: ReportPeriod,
  sendHour: number,
  now: Date,
  timeZone: string,
): string | null {
  const { day, hour } = localDayHour(now, timeZone);
  if (hour < sendHour) return null;
  const today = storeDay(now, timeZone);
  if (period === "daily") return addDays(today, -1);
  return day === 1 ? addDays(today, -7) : null;
}

/** The seven dates of the week starting `monday`. */
export function weekDates(monday: string): string[] {
  return Array.from({ length: 7 }, (_, i) => addDays(monday, i));
}

function escapeHtml(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll(
    '"',
    "&quot;",
  );
}

export interface ReportEmailOptions {
  period: ReportPeriod;
  periodKey: string;
  timeZone: string;
  currency: string;
  locale: string;
  unsubscribeUrl: string;
}

/**
 * The email of one report: subject, HTML and text with the headline figures in the shop's currency,
 * and the CSV (every day's lines, one header) attached.
 */
export function reportEmail(reports: DailySalesReport[], options: ReportEmailOptions) {
  const money = new Intl.NumberFormat(options.locale, { style: "currency", currency: options.currency });
  const total = (pick: (r: DailySalesReport) => number) => reports.reduce((sum, r) => sum + pick(r), 0);
  const orders = total((r) => r.orders);
  const revenue = total((r) => r.revenueCents);
  const figures: [string, string][] = [
    ["Revenue", money.format(revenue / 100)],
    ["Orders", String(orders)],
    ["Units", String(total((r) => r.units))],
    ["Average order", money.format(orders ? revenue / orders / 100 : 0)],
    ["Refunded", `${total((r) => r.refundedOrders)} (${money.format(total((r) => r.refundedCents) / 100)})`],
    ["Suspicious orders", String(total((r) => r.suspiciousOrders))],
  ];
  const span = options.period === "daily"
    ? options.periodKey
    : `${options.periodKey} to ${addDays(options.periodKey, 6)}`;
  const subject = `TechMart ${options.period} sales report: ${span}`;
  const html = `<h2>${escapeHtml(subject)}</h2>` +
    `<p>Store days in ${escapeHtml(options.timeZone)}.</p><table>` +
    figures.map(([k, v]) => `<tr><th align="left">${k}</th><td>${escapeHtml(v)}</td></tr>`).join("") +
    `</table><p>The full breakdown is attached as CSV.</p>` +
    `<p style="font-size:small"><a href="${escapeHtml(options.unsubscribeUrl)}">Unsubscribe</a></p>`;
  const text = [
    subject,
    "",
    ...figures.map(([k, v]) => `${k}: ${v}`),
    "",
    `Unsubscribe: ${options.unsubscribeUrl}`,
  ]
    .join("\n");
  const csv = reports.map((r, i) => {
    const body = dailySalesReportCsv(r);
    // one header line for the whole file
    return i === 0 ? body : body.slice(body.indexOf("\n") + 1);
  }).join("");
  return {
    subject,
    html,
    text,
    attachments: [{
      filename: `techmart-${options.period}-sales-${options.periodKey}.csv`,
      content: csv || csvLine(reportCsvHeader),
      contentType: "text/csv",
    }],
  };
}
