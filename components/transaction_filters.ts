import { startOfStoreDay } from "../server/analytics/store_time.ts";
import { TRANSACTION_STATUSES } from "../server/transactions/lifecycle.ts";

/** The transaction list's filters as they sit in the URL (what the filter form shows back). */
export interface TransactionFilterParams {
  status: string;
  /** YYYY-MM-DD, store-local, inclusive */
  from: string;
  /** YYYY-MM-DD, store-local, inclusive */
  to: string;
  /** pounds, as typed */
  min: string;
  max: string;
  category: string;
  suspicious: boolean;
  sort: "created" | "amount";
  order: "asc" | "desc";
}

/** The same filters as `transactions.list` input (dates as instants, amounts in cents). */
export interface TransactionListQuery {
  status?: (typeof TRANSACTION_STATUSES)[number];
  from?: Date;
  to?: Date;
  minAmountCents?: number;
  maxAmountCents?: number;
  category?: string;
  suspicious?: boolean;
  sort: "created" | "amount";
  order: "asc" | "desc";
  cursor?: string;
}

const isoDay = /^\d{4}-\d{2}-\d{2}$/;

function storeDayStart(day: string, timeZone: string, addDays = 0): Date | undefined {
  if (!isoDay.test(day)) return undefined;
  const noon = new Date(`${day}T12:00:00Z`);
  if (Number.isNaN(noon.getTime())) return undefined;
  return startOfStoreDay(new Date(noon.getTime() + addDays * 86_400_000), timeZone);
}

function cents(pounds: string): number | undefined {
  if (pounds.trim() === "") return undefined;
  const value = Number(pounds);
  return Number.isFinite(value) && value >= 0 ? Math.round(value * 100) : undefined;
}

/**
 * Reads the list's URL into the form's values and the API query. Unknown or malformed values are
 * dropped (and reported in `ignored`) rather than failing the page: a hand-edited link still works.
 * @param url the page URL
 * @param timeZone the store's time zone: a day filter means that day in the store
 */
export function parseTransactionFilters(
  url: URL,
  timeZone: string,
): { params: TransactionFilterParams; query: TransactionListQuery; ignored: string[] } {
  const get = (name: string) => url.searchParams.get(name)?.trim() ?? "";
  const ignored: string[] = [];
  const status = get("status");
  const params: TransactionFilterParams = {
    status: (TRANSACTION_STATUSES as readonly string[]).includes(status) ? status : "",
    from: get("from"),
    to: get("to"),
    min: get("min"),
    max: get("max"),
    category: get("category").slice(0, 64),
    suspicious: ["true", "1", "on"].includes(get("suspicious")),
    sort: get("sort") === "amount" ? "amount" : "created",
    order: get("order") === "asc" ? "asc" : "desc",
  };
  if (status && !params.status) ignored.push("status");
  const query: TransactionListQuery = { sort: params.sort, order: params.order };
  if (params.status) query.status = params.status as TransactionListQuery["status"];
  if (params.from) {
    query.from = storeDayStart(params.from, timeZone);
    if (!query.from) ignored.push("from");
  }
  if (params.to) {
    // the form's "to" day is inclusive; the API's bound is exclusive
    query.to = storeDayStart(params.to, timeZone, 1);
    if (!query.to) ignored.push("to");
  }
  if (params.min) {
    query.minAmountCents = cents(params.min);
    if (query.minAmountCents === undefined) ignored.push("min");
  }
  if (params.max) {
    query.maxAmountCents = cents(params.max);
    if (query.maxAmountCents === undefined) ignored.push("max");
  }
  if (params.category) query.category = params.category;
  if (params.suspicious) query.suspicious = true;
  const cursor = get("cursor");
  if (cursor) query.cursor = cursor;
  for (const key of Object.keys(query) as (keyof TransactionListQuery)[]) {
    if (query[key] === undefined) delete query[key];
  }
  return { params, query, ignored };
}

/** True when any filter (not the sort) is set: the page offers "Clear". */
export function hasTransactionFilters(params: TransactionFilterParams): boolean {
  return Boolean(
    params.status || params.from || params.to || params.min || params.max || params.category ||
      params.suspicious,
  );
}
