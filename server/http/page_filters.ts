/**
 * URL query parameters -> procedure inputs, shared by the pages and the CSV export: a page's filters
 * live in its URL, and its "Export CSV" link carries the same parameters, so both read the same rows.
 * Values are passed on as given (numbers converted): the procedure's zod schema judges them, so a bad
 * filter gets the same message on the page, in the export and over REST.
 */
import { addDays, storeDayStart } from "../shared/store_time.ts";

/** The non-empty values of `keys` in `params`. */
function pick<K extends string>(params: URLSearchParams, keys: readonly K[]): Partial<Record<K, string>> {
  const picked: Partial<Record<K, string>> = {};
  for (const key of keys) {
    const value = params.get(key)?.trim();
    if (value) picked[key] = value;
  }
  return picked;
}

/** `params[key]` as a number when it reads as one; as the string otherwise, for zod to refuse by name. */
function numeric(params: URLSearchParams, key: string): number | string | undefined {
  const value = params.get(key)?.trim();
  if (!value) return undefined;
  return /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
}

function withNumbers(params: URLSearchParams, keys: readonly string[]): Record<string, number | string> {
  const numbers: Record<string, number | string> = {};
  for (const key of keys) {
    const value = numeric(params, key);
    if (value !== undefined) numbers[key] = value;
  }
  return numbers;
}

/** Preset lengths of the analytics range picker, in days (rolling windows ending now). */
export const rangePresets = [1, 7, 30, 90] as const;

/** An analytics range as the page shows it and as the procedures take it. */
export interface AnalyticsRange {
  /** the input of `analytics.hourlySales`, `topProducts`, `categoryPerformance` */
  input: { from?: string; to?: string; days: number };
  /** set when the URL names a preset (`?days=7`) */
  days: number | null;
  /** the custom range's first and last store day (YYYY-MM-DD), when the URL names one */
  fromDay: string | null;
  toDay: string | null;
  granularity: "hour" | "day";
}

const dayPattern = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The analytics range a URL names: `?days=7` (the last 7 days up to now; the default), or whole store
 * days `?from=2026-05-01&to=2026-05-07` (both inclusive; an end in the future stops at now).
 * Hourly buckets up to 7 days, daily beyond, unless `?granularity=hour|day` says otherwise.
 * @example analyticsRange(new URLSearchParams("days=30"), "Europe/London", new Date()).granularity // "day"
 */
export function analyticsRange(params: URLSearchParams, timeZone: string, now: Date): AnalyticsRange {
  const fromDay = params.get("from")?.trim() ?? "";
  const toDay = params.get("to")?.trim() ?? "";
  const explicit = params.get("granularity");
  const granularityFor = (spanMs: number) =>
    explicit === "hour" || explicit === "day" ? explicit : spanMs <= 7 * 86_400_000 ? "hour" : "day";
  if (dayPattern.test(fromDay) && dayPattern.test(toDay)) {
    const from = storeDayStart(fromDay, timeZone);
    const endOfLastDay = storeDayStart(addDays(toDay, 1), timeZone);
    const to = endOfLastDay.getTime() > now.getTime() ? now : endOfLastDay;
    return {
      // resolveRange refuses reversed or over-long ranges with a message naming both ends
      input: { from: from.toISOString(), to: to.toISOString(), days: 1 },
      days: null,
      fromDay,
      toDay,
      granularity: granularityFor(to.getTime() - from.getTime()),
    };
  }
  const requested = Number(params.get("days") ?? 7);
  const days = Number.isInteger(requested) && requested >= 1 && requested <= 366 ? requested : 7;
  return {
    input: { days },
    days,
    fromDay: null,
    toDay: null,
    granularity: granularityFor(days * 86_400_000),
  };
}

/** `analytics.topProducts` ranking: `?by=revenue|units` (revenue by default). */
export function topProductsBy(params: URLSearchParams): "revenue" | "units" {
  return params.get("by") === "units" ? "units" : "revenue";
}

/** Filters of `alerts.list`: `severity`, `type`, `status`. */
export function alertFilters(params: URLSearchParams) {
  return pick(params, ["severity", "type", "status"] as const) as {
    severity?: "info" | "low" | "medium" | "high" | "critical";
    type?: string;
    status?: "open" | "acknowledged" | "snoozed" | "resolved";
  };
}

/** Filters of `inventory.lowStock`: `urgency`, `category`. */
export function lowStockFilters(params: URLSearchParams) {
  return pick(params, ["urgency", "category"] as const) as {
    urgency?: "critical" | "high" | "medium";
    category?: string;
  };
}

/** Filters of `inventory.reorderSuggestions`: `status` (open by default), `urgency`, `supplierId`. */
export function suggestionFilters(params: URLSearchParams) {
  return {
    ...pick(params, ["status", "urgency"] as const),
    ...withNumbers(params, ["supplierId"]),
  } as {
    status?: "open" | "snoozed" | "active" | "approved" | "rejected" | "withdrawn";
    urgency?: "critical" | "high" | "medium" | "low";
    supplierId?: number;
  };
}

/** Filters of `purchaseOrders.list`: `status`, `supplierId`. */
export function purchaseOrderFilters(params: URLSearchParams) {
  return { ...pick(params, ["status"] as const), ...withNumbers(params, ["supplierId"]) } as {
    status?: "ordered" | "received" | "cancelled";
    supplierId?: number;
  };
}

/** Filters and sort of `products.list`: `search`, `category`, `status`, `sort`, `order`. */
export function productFilters(params: URLSearchParams) {
  return pick(params, ["search", "category", "status", "sort", "order"] as const) as {
    search?: string;
    category?: string;
    status?: "active" | "inactive" | "all";
    sort?: "name" | "price" | "stock" | "id";
    order?: "asc" | "desc";
  };
}
