// Drill-through: the Transactions list filtered the way a chart's bar or a table's row is (#20).
import type { AnalyticsRange } from "../server/http/page_filters.ts";
import { addDays, storeDay } from "../server/shared/store_time.ts";

/** The store days (inclusive) an Analytics range covers, as the Transactions filters take them. */
export function rangeStoreDays(
  range: AnalyticsRange,
  timeZone: string,
  now: Date,
): { from: string; to: string } {
  if (range.fromDay && range.toDay) return { from: range.fromDay, to: range.toDay };
  const today = storeDay(now, timeZone);
  // "last 24 hours" spans yesterday and today in store days
  return { from: addDays(today, -Math.max(1, range.days ?? range.input.days)), to: today };
}

/** What a drill-through link filters Transactions by (the page's URL filters). */
export interface DrillFilters {
  category?: string;
  /** store days, inclusive */
  from?: string;
  to?: string;
  /** a product id */
  product?: number;
  /** an RFM segment */
  segment?: string;
  /** an instant span [since, until): a chart's minute or hour */
  since?: Date;
  until?: Date;
}

/**
 * `/transactions?...` with the given filters (empty ones left out).
 * @example transactionsHref({ category: "GPU", from: "2026-11-01", to: "2026-11-30" })
 */
export function transactionsHref(filters: DrillFilters): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) {
    if (value instanceof Date) params.set(key, value.toISOString());
    else if (value) params.set(key, String(value));
  }
  return `/transactions?${params}`;
}
