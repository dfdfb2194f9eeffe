import { addDays, storeDayStart } from "../shared/store_time.ts";
import { TRANSACTION_STATUSES } from "./lifecycle.ts";

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
  /** drill-through: a product id */
  product: string;
  /** drill-through: an RFM segment */
  segment: string;
  /** drill-through: an instant (ISO 8601) the span starts at, inclusive; narrows From */
  since: string;
  /** drill-through: an instant (ISO 8601) the span ends at, exclusive; narrows To */
  until: string;
}

/** The same filters as `transactions.list` input (dates as instants, amounts in cents). */
export interface TransactionListQuery {
  status?: (typeof TRANSACTION_STATUSES)[number];
  from?: Date;
  to?: Date;
  minAmountCents?: number;
  maxAmountCents?: number;
  category?: string;
  productId?: number;
  segment?: string;
  suspicious?: boolean;
  sort: "created" | "amount";
  order: "asc" | "desc";
  cursor?: string;
}

const isoDay = /^\d{4}-\d{2}-\d{2}$/;

// A filter day from the URL: undefined unless it is a real calendar day
function dayStartOrUndefined(day: string, timeZone: string, later = 0): Date | undefined {
  if (!isoDay.test(day) || Number.isNaN(new Date(`${day}T12:00:00Z`).getTime())) return undefined;
  return storeDayStart(addDays(day, later), timeZone);
}

// The largest amount the API's filters take (1,000,000,000.00 in the shop's currency)
const MAX_FILTER_CENTS = 100_000_000_000;

function cents(amount: string): number | undefined {
  if (amount.trim() === "") return undefined;
  const value = Number(amount);
  if (!Number.isFinite(value) || value < 0) return undefined;
  const result = Math.round(value * 100);
  return result <= MAX_FILTER_CENTS ? result : undefined;
}

/** A filter the form shows next to its field, in a plain sentence. */
export type TransactionFilterErrors = Partial<
  Record<"status" | "from" | "to" | "min" | "max" | "product" | "since" | "until", string>
>;

// A drill-through instant from the URL: undefined unless it parses
function instantOrUndefined(text: string): Date | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T/.test(text)) return undefined;
  const at = new Date(text);
  return Number.isNaN(at.getTime()) ? undefined : at;
}

const amountError = (label: string) => `${label} must be an amount such as 25 or 19.99, up to 1,000,000,000`;

/**
 * Reads the list's URL into the form's values and the API query. Unknown, malformed or contradictory
 * values are left out of the query and explained per field in `errors` (in the units the user typed),
 * rather than failing the page: a hand-edited link still works.
 * @param url the page URL
 * @param timeZone the store's time zone: a day filter means that day in the store
 */
export function parseTransactionFilters(
  url: URL,
  timeZone: string,
): { params: TransactionFilterParams; query: TransactionListQuery; errors: TransactionFilterErrors } {
  const get = (name: string) => url.searchParams.get(name)?.trim() ?? "";
  const errors: TransactionFilterErrors = {};
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
    product: get("product"),
    segment: get("segment").slice(0, 64),
    since: get("since"),
    until: get("until"),
  };
  if (status && !params.status) errors.status = `Status must be one of: ${TRANSACTION_STATUSES.join(", ")}`;
  const query: TransactionListQuery = { sort: params.sort, order: params.order };
  if (params.status) query.status = params.status as TransactionListQuery["status"];
  if (params.from) {
    query.from = dayStartOrUndefined(params.from, timeZone);
    if (!query.from) errors.from = "From must be a date such as 2024-03-01";
  }
  if (params.to) {
    // the form's "to" day is inclusive; the API's bound is exclusive
    query.to = dayStartOrUndefined(params.to, timeZone, 1);
    if (!query.to) errors.to = "To must be a date such as 2024-03-31";
  }
  if (params.min) {
    query.minAmountCents = cents(params.min);
    if (query.minAmountCents === undefined) errors.min = amountError("Min amount");
  }
  if (params.max) {
    query.maxAmountCents = cents(params.max);
    if (query.maxAmountCents === undefined) errors.max = amountError("Max amount");
  }
  // a chart's minute or hour: the span narrows the day bounds
  if (params.since) {
    const since = instantOrUndefined(params.since);
    if (!since) errors.since = "Since must be an instant such as 2024-03-01T10:00:00Z";
    else if (!query.from || since > query.from) query.from = since;
  }
  if (params.until) {
    const until = instantOrUndefined(params.until);
    if (!until) errors.until = "Until must be an instant such as 2024-03-01T11:00:00Z";
    else if (!query.to || until < query.to) query.to = until;
  }
  // Contradictions name the second field, as the user would fix it there; neither bound is applied
  if (query.from && query.to && query.from >= query.to) {
    errors.to = "To must be on or after the From date";
    delete query.from;
    delete query.to;
  }
  if (
    query.minAmountCents !== undefined && query.maxAmountCents !== undefined &&
    query.minAmountCents > query.maxAmountCents
  ) {
    errors.max = "Max amount must be at least the min amount";
    delete query.minAmountCents;
    delete query.maxAmountCents;
  }
  if (params.category) query.category = params.category;
  if (params.product) {
    const id = Number(params.product);
    if (Number.isSafeInteger(id) && id > 0) query.productId = id;
    else errors.product = "Product must be a product id such as 42";
  }
  if (params.segment) query.segment = params.segment;
  if (params.suspicious) query.suspicious = true;
  const cursor = get("cursor");
  if (cursor) query.cursor = cursor;
  for (const key of Object.keys(query) as (keyof TransactionListQuery)[]) {
    if (query[key] === undefined) delete query[key];
  }
  return { params, query, errors };
}

/** True when any filter (not the sort) is set: the page offers "Clear". */
export function hasTransactionFilters(params: TransactionFilterParams): boolean {
  return Boolean(
    params.status || params.from || params.to || params.min || params.max || params.category ||
      params.suspicious || params.product || params.segment || params.since || params.until,
  );
}
