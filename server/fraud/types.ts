import type { FeatureName } from "./model/feature_names.ts";

/**
 * Plain-data inputs and outputs of fraud scoring. Everything here is serializable so the caller can
 * fetch it with one SQL query (or rebuild it in memory during a replay) and hand it to `scoreTransaction`.
 */

/** One line of the order being scored. */
export interface FraudItem {
  productId: string | number;
  category: string;
  unitPriceCents: number;
  quantity: number;
}

/** The transaction being scored, as it is about to be created. */
export interface FraudTransaction {
  customerId: string | number;
  customerCreatedAt: Date;
  createdAt: Date;
  items: FraudItem[];
  totalCents: number;
  paymentMethod: string;
  /** Known only after the payment attempt; scoring never reads it (a decision must not depend on it). */
  status?: string;
}

/** One earlier transaction of the same customer, summarised. */
export interface HistoryTransaction {
  createdAt: Date;
  totalCents: number;
  paymentMethod: string;
  /** `completed`, `declined`, or any other state; only `completed` and `declined` are read. */
  status: string;
  /** Largest quantity of any single line of that order. */
  maxItemQuantity: number;
  /** Units of high-resale categories in that order (per the rules in force when it was summarised). */
  highResaleUnits: number;
  /** The fraud score that transaction got, when it was scored. */
  score?: number;
}

/** Robust statistics of the quantity per order line of one product. */
export interface QuantityStats {
  median: number;
  /** Median absolute deviation from the median. */
  mad: number;
  /** Number of order lines the statistics come from. */
  count: number;
}

/** Everything scoring needs besides the transaction: the customer's past and list memberships. */
export interface FraudHistory {
  /** The customer's transactions before this one, within `rules.historyDays` (any order). */
  transactions: HistoryTransaction[];
  /** Keyed by `String(productId)`; products without enough history may be missing. */
  productQuantityStats: Readonly<Record<string, QuantityStats>>;
  blockListed: boolean;
  allowListed: boolean;
}

/** A reason code: one per rule. */
export type ReasonCode =
  | "velocity_count"
  | "velocity_amount"
  | "amount_above_history"
  | "quantity_above_usual"
  | "new_customer_high_value"
  | "high_resale_units"
  | "payment_methods"
  | "new_payment_method"
  | "declined_attempts"
  | "unusual_hour"
  | "recent_suspicion"
  | "block_list";

/** Every reason code, in the order reasons are reported when their contributions tie. */
export const REASON_CODES: readonly ReasonCode[] = [
  "block_list",
  "recent_suspicion",
  "velocity_count",
  "velocity_amount",
  "declined_attempts",
  "payment_methods",
  "new_payment_method",
  "amount_above_history",
  "quantity_above_usual",
  "new_customer_high_value",
  "high_resale_units",
  "unusual_hour",
];

/** What one rule found: how strongly it fired (0..1, scaled by its weight) and why, in words. */
export interface Finding {
  code: ReasonCode;
  strength: number;
  message: string;
}

/** One reason on a score: the rule (or the model's feature), a sentence for analysts, and the points it added. */
export interface FraudReason {
  code: ReasonCode | FeatureName | LabelLinkCode;
  message: string;
  contribution: number;
}

/** The reason given when the sale's device was on a sale the shop confirmed as fraud (`confirmed_device.ts`). */
export type LabelLinkCode = "confirmed_fraud_device";

export type FraudDecision = "allow" | "review" | "block";

/** The result of scoring one transaction. */
export interface FraudScore {
  score: number;
  decision: FraudDecision;
  reasons: FraudReason[];
}
