/** Formatting at the edge: cents to money, counts with separators, changes as signed percentages. */

const money = new Intl.NumberFormat("en-GB", { style: "currency", currency: "GBP" });
const count = new Intl.NumberFormat("en-GB");

/** `formatCents(123456)` -> "£1,234.56" */
export function formatCents(cents: number): string {
  return money.format(cents / 100);
}

/** `formatCount(5012)` -> "5,012" */
export function formatCount(value: number): string {
  return count.format(value);
}

/** Change from `previous` to `current` as "+12.5%", "-3.0%", or "new" when there was nothing before. */
export function formatChange(current: number, previous: number): string {
  if (previous === 0) return current === 0 ? "0.0%" : "new";
  const change = ((current - previous) / previous) * 100;
  return `${change >= 0 ? "+" : ""}${change.toFixed(1)}%`;
}

const percent = new Intl.NumberFormat("en-GB", {
  style: "percent",
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
});

/** A relative change as the API sends it (0.25 = +25%): "+25.0%", "-3.0%", or "—" when there was no base. */
export function formatRate(rate: number | null): string {
  if (rate === null || !Number.isFinite(rate)) return "—";
  return `${rate >= 0 ? "+" : ""}${(rate * 100).toFixed(1)}%`;
}

/** A share 0..1 as a percentage: `formatPercent(0.423)` -> "42.3%". */
export function formatPercent(share: number): string {
  return percent.format(share);
}

// A fixed time zone, so the server's render and the browser's hydration print the same text
function dateTimeFormat(options: Intl.DateTimeFormatOptions, timeZone: string) {
  return new Intl.DateTimeFormat("en-GB", { ...options, timeZone });
}

/** `formatDateTime("2024-03-05T14:07:00Z")` -> "5 Mar 2024, 14:07" (in `timeZone`, UTC by default). */
export function formatDateTime(value: Date | string, timeZone = "UTC"): string {
  return dateTimeFormat({ dateStyle: "medium", timeStyle: "short" }, timeZone).format(new Date(value));
}

/** `formatDate("2024-03-05T14:07:00Z")` -> "5 Mar 2024". */
export function formatDate(value: Date | string, timeZone = "UTC"): string {
  return dateTimeFormat({ dateStyle: "medium" }, timeZone).format(new Date(value));
}

/** `formatTime("2024-03-05T14:07:09Z")` -> "14:07:09". */
export function formatTime(value: Date | string, timeZone = "UTC"): string {
  return dateTimeFormat({ hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" }, timeZone)
    .format(new Date(value));
}
