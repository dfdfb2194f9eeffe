/**
 * The signals the fraud model learns from, as one numeric vector per sale. Pure: the caller gathers the
 * counts (from memory during a replay, from indexed SQL in the sale request) and this turns them into
 * features. A value that cannot be known (no device sent, no earlier order) is NaN, which the model treats as
 * "missing" rather than zero, so a shop that never sends identity fields is scored on what it has.
 */
import { localHour } from "../../shared/store_time.ts";
import type { FraudTransaction } from "../types.ts";
import { median } from "../robust_stats.ts";
import { DISPOSABLE_EMAIL_DOMAINS, emailDomain, type SaleIdentity } from "./identity.ts";
import { FEATURE_NAMES, type FeatureName } from "./feature_names.ts";

/** What is known about one linking entity (device, IP, email, card) from orders before this one. */
export interface EntityStats {
  /** Distinct other customers seen with this entity within the link window. */
  accounts: number;
  /** Orders of any customer with this entity within the last hour. */
  orders1h: number;
  /** Declined attempts of any customer with this entity within the last 24 hours. */
  declines24h: number;
  /** Last order with this entity, any customer; null when never seen. */
  lastSeenMs: number | null;
}

/** One earlier order of the same customer. */
export interface PastOrder {
  atMs: number;
  totalCents: number;
  status: string;
  paymentMethod: string;
}

/** Everything the features read besides the sale itself; only orders before the sale count. */
export interface FeatureStats {
  /** The customer's orders within the last 30 days (any order). */
  customerPast: readonly PastOrder[];
  /** Median of the customer's completed order totals (up to 90 days), undefined without any. */
  customerMedianCents?: number;
  /** Typical line amount per category (geometric mean of earlier completed lines); absent when unknown. */
  categoryNormCents: Readonly<Record<string, number>>;
  device?: EntityStats;
  ip?: EntityStats;
  email?: EntityStats;
  card?: EntityStats;
  /** Whether any earlier customer used the same email domain; undefined without an email. */
  emailDomainSeen?: boolean;
  /**
   * The shop's recent completed order totals as 101 quantiles (0th to 100th percentile, ascending), from
   * its last `SHOP_AMOUNT_WINDOW` completed orders; absent with fewer than `SHOP_AMOUNT_MIN` of them.
   */
  shopAmountQuantiles?: readonly number[];
}

/** How far back the customer's own orders count (velocity, payment methods, first purchase). */
export const CUSTOMER_PAST_MS = 30 * 86_400_000;
/** How far back the customer's completed orders make their median. */
export const CUSTOMER_MEDIAN_MS = 90 * 86_400_000;

/**
 * A stored sale's status as the features read it: a blocked or declined attempt is a decline, anything else
 * a sale. A refund or cancellation came after the sale and is not known at the moment a later sale is
 * scored in a replay (it reads today's status), so neither path counts it; the sale path and the replay
 * both read statuses through this (docs/fraud.md, "Session 7: training/serving parity").
 */
export function featureStatus(status: string): "completed" | "declined" {
  return DECLINED_STATUSES.includes(status) ? "declined" : "completed";
}

/** Stored statuses that are declined attempts (the app writes `blocked`; imports may bring `declined`). */
export const DECLINED_STATUSES: readonly string[] = ["blocked", "declined"];

/**
 * The customer's side of the stats from their earlier orders (any window at least `CUSTOMER_MEDIAN_MS`
 * long, any order): the orders of the last 30 days, and the median of the completed totals of the last 90.
 * One function for the sale path (its rules history) and the replay (its memory), so both cut the same
 * windows; only orders strictly before `now` count.
 */
export function customerStats(
  orders: readonly PastOrder[],
  now: number,
): Pick<FeatureStats, "customerPast" | "customerMedianCents"> {
  const before = orders.filter((o) => o.atMs < now);
  const completed = before.filter((o) => o.status === "completed" && o.atMs >= now - CUSTOMER_MEDIAN_MS)
    .map((o) => o.totalCents);
  return {
    customerPast: before.filter((o) => o.atMs >= now - CUSTOMER_PAST_MS),
    customerMedianCents: completed.length === 0 ? undefined : median(completed),
  };
}

/**
 * How long the shop's slow-moving distributions (category norms, amount quantiles) hold: each is read as
 * of the start of its 10-minute slot, from the sales strictly before it, so the request's cache and the
 * replay's memory give the same values whichever sale happened to fill them.
 */
export const SHOP_SLOT_MS = 10 * 60_000;

/** The start of the slot `now` falls in. */
export function shopSlotStart(now: number): number {
  return Math.floor(now / SHOP_SLOT_MS) * SHOP_SLOT_MS;
}

/** How far back (from the slot's start) completed lines make a category's norm. */
export const CATEGORY_NORM_MS = 90 * 86_400_000;
/** Fewer completed lines than this in the window and a category has no norm. */
export const CATEGORY_NORM_MIN_LINES = 5;

/** How many of the shop's latest completed orders make its amount distribution. */
export const SHOP_AMOUNT_WINDOW = 1000;
/** Fewer completed orders than this and the shop's amount distribution is not known. */
export const SHOP_AMOUNT_MIN = 50;

/**
 * Where `amount` falls in a distribution given as ascending quantiles, 0-1 (interpolated between them), so
 * an order is "above 95% of this shop's orders" whatever the shop's prices and currency.
 */
export function percentileIn(quantiles: readonly number[], amount: number): number {
  const last = quantiles.length - 1;
  if (amount <= quantiles[0]) return 0;
  if (amount >= quantiles[last]) return 1;
  let lo = 0, hi = last;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (quantiles[mid] <= amount) lo = mid;
    else hi = mid;
  }
  const span = quantiles[hi] - quantiles[lo];
  return (lo + (span > 0 ? (amount - quantiles[lo]) / span : 0)) / last;
}

export { FEATURE_NAMES, type FeatureName };

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Whether a category counts as high-resale (electronics, gift cards and the like). */
export type HighResale = (category: string) => boolean;

/** Computes the feature vector of one sale. `now` is the moment of scoring (the sale's time in a replay). */
export function computeFeatures(
  tx: FraudTransaction,
  identity: SaleIdentity,
  stats: FeatureStats,
  options: { timeZone: string; highResale: HighResale },
): Float64Array {
  const now = tx.createdAt.getTime();
  // One pass over the customer's orders before `now` (one filtered copy per window was most of what a
  // sale's scoring allocated; docs/performance.md, session 9)
  let pastOrders = 0;
  let anyCompleted = false;
  let orders1h = 0;
  let orders24h = 0;
  let spend24hCents = tx.totalCents;
  let declines24h = 0;
  const methods = new Set<string>();
  for (const order of stats.customerPast) {
    if (!(order.atMs < now)) continue;
    pastOrders++;
    if (order.status === "completed") anyCompleted = true;
    if (order.atMs >= now - 30 * DAY) methods.add(order.paymentMethod);
    if (order.atMs >= now - DAY) {
      orders24h++;
      if (order.status === "completed") spend24hCents += order.totalCents;
      if (order.status === "declined") declines24h++;
    }
    if (order.atMs >= now - HOUR) orders1h++;
  }
  const knownMethod = methods.has(tx.paymentMethod);
  methods.add(tx.paymentMethod);

  let categoryRatio = NaN;
  for (const item of tx.items) {
    const norm = stats.categoryNormCents[item.category];
    if (norm && norm > 0) {
      const ratio = item.unitPriceCents * item.quantity / norm;
      categoryRatio = Number.isNaN(categoryRatio) ? ratio : Math.max(categoryRatio, ratio);
    }
  }
  const entity = (e: EntityStats | undefined, pick: (s: EntityStats) => number) => e ? pick(e) : NaN;
  const lastSeen = [stats.device?.lastSeenMs, stats.ip?.lastSeenMs].filter((v): v is number =>
    typeof v === "number"
  );
  const anyIdentity = stats.device || stats.ip;
  const billing = identity.billingCountry?.toUpperCase();
  const shipping = identity.shippingCountry?.toUpperCase();
  const domain = emailDomain(identity.email);
  const linkedDeclines = [stats.device, stats.ip, stats.card].reduce(
    (sum, e) => sum + (e?.declines24h ?? 0),
    0,
  );

  const values: Record<FeatureName, number> = {
    account_age_minutes: Math.max(0, (now - tx.customerCreatedAt.getTime()) / 60_000),
    first_purchase: anyCompleted ? 0 : 1,
    customer_orders_1h: orders1h,
    customer_orders_24h: orders24h,
    customer_spend_24h_cents: spend24hCents,
    amount_cents: tx.totalCents,
    amount_vs_own_median: stats.customerMedianCents && stats.customerMedianCents > 0
      ? tx.totalCents / stats.customerMedianCents
      : NaN,
    amount_vs_category_norm: categoryRatio,
    max_quantity: tx.items.reduce((max, item) => Math.max(max, item.quantity), 0),
    high_resale_units: tx.items.reduce(
      (sum, item) => sum + (options.highResale(item.category) ? item.quantity : 0),
      0,
    ),
    device_accounts: entity(stats.device, (s) => s.accounts),
    device_orders_1h: entity(stats.device, (s) => s.orders1h),
    ip_accounts: entity(stats.ip, (s) => s.accounts),
    ip_orders_1h: entity(stats.ip, (s) => s.orders1h),
    email_accounts: entity(stats.email, (s) => s.accounts),
    card_accounts: entity(stats.card, (s) => s.accounts),
    // A device or address never seen before is "infinitely" long ago: a large finite value keeps it
    // ordered after every real gap, and NaN stays for "no identity sent".
    seconds_since_device_or_ip_seen: lastSeen.length > 0
      ? (now - Math.max(...lastSeen)) / 1000
      : anyIdentity
      ? 1e9
      : NaN,
    country_mismatch: billing && shipping ? (billing === shipping ? 0 : 1) : NaN,
    disposable_email: domain ? (DISPOSABLE_EMAIL_DOMAINS.has(domain) ? 1 : 0) : NaN,
    new_email_domain: stats.emailDomainSeen === undefined ? NaN : stats.emailDomainSeen ? 0 : 1,
    local_hour: localHour(tx.createdAt, options.timeZone),
    declines_24h: declines24h,
    linked_declines_24h: stats.device || stats.ip || stats.card ? linkedDeclines : NaN,
    payment_methods_30d: methods.size,
    new_payment_method: pastOrders > 0 && !knownMethod ? 1 : 0,
    amount_shop_percentile: stats.shopAmountQuantiles
      ? percentileIn(stats.shopAmountQuantiles, tx.totalCents)
      : NaN,
  };
  return Float64Array.from(FEATURE_NAMES, (name) => values[name]);
}
