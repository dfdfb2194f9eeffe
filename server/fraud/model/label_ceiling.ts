/**
 * A cold-start review ceiling proposed from a shop's first labels (docs/fraud.md, "Session 8: a ceiling from
 * the first labels").
 *
 * The labels a shop gets at cold start: analysts mark the sales that went to review fraud or not (within a day
 * or so), and chargebacks or refunds marked as fraud arrive weeks later for fraud nobody reviewed, some never.
 * So the share of the window's sales confirmed as fraud is a lower bound of the shop's fraud rate: the fraud of
 * the last weeks has not come back yet, some never will, and what the screen missed is known only that way.
 * The proposal is that lower bound times a factor, inside the range an admin may set.
 *
 * Pure: the counts are the labels known before the day the proposal is made for, never later.
 */
import { MAX_REVIEW_CEILING, MIN_REVIEW_CEILING } from "./operating_point.ts";

/**
 * What the Fraud page proposes (docs/fraud.md: chosen on the training generators' cells, N 10 and N 30 tie,
 * K 1; a higher factor floods review on shops whose honest newcomers the prior scores high).
 */
export const LABEL_CEILING: LabelCeilingOptions = { minFraudLabels: 10, factor: 1, windowDays: 90 };

/** How a ceiling is proposed from labels. */
export interface LabelCeilingOptions {
  /** Fewer confirmed fraud sales than this in the window: no proposal. */
  minFraudLabels: number;
  /** The proposal is this factor times the confirmed share (it is a lower bound of the rate). */
  factor: number;
  /** Days of sales before the day the proposal is made for. */
  windowDays: number;
}

/** What a window's labels say, as counted before the proposal's day. */
export interface LabelCounts {
  /** Sales in the window. */
  sales: number;
  /** Of them, those confirmed as fraud (an analyst's label or a chargeback marked as fraud) before the day. */
  confirmedFraud: number;
}

/** A proposed ceiling and what it was read from. */
export interface CeilingProposal {
  /** Share of the window's sales confirmed as fraud (a lower bound of the shop's fraud rate). */
  confirmedFraudRate: number;
  /** The proposed ceiling: `factor` times that share, inside the admin range, to a tenth of a percent. */
  ceiling: number;
  confirmedFraud: number;
  sales: number;
}

/**
 * The ceiling the window's labels suggest, or null with fewer than `minFraudLabels` confirmed fraud sales.
 * @example proposeCeilingFromLabels({ sales: 1000, confirmedFraud: 40 }, { minFraudLabels: 20, factor: 1.5, windowDays: 90 })
 * // { confirmedFraudRate: 0.04, ceiling: 0.06, ... }
 */
export function proposeCeilingFromLabels(
  counts: LabelCounts,
  options: LabelCeilingOptions,
): CeilingProposal | null {
  const { sales, confirmedFraud } = counts;
  if (sales <= 0 || confirmedFraud < Math.max(1, options.minFraudLabels)) return null;
  const confirmedFraudRate = Math.min(1, confirmedFraud / sales);
  const raw = Math.min(MAX_REVIEW_CEILING, Math.max(MIN_REVIEW_CEILING, options.factor * confirmedFraudRate));
  // a share an admin can type: a tenth of a percent
  const ceiling = Math.round(raw * 1000) / 1000;
  return { confirmedFraudRate, ceiling, confirmedFraud, sales };
}
