/**
 * RFM scoring and named customer segments. Pure: scores are relative to the other customers, so
 * they are computed over the whole set at once.
 * @module
 */

/** A customer's buying behaviour, as read from completed orders. */
export interface CustomerActivity {
  customerId: number;
  /** Whole days since the last completed order. */
  recencyDays: number;
  /** Completed orders. */
  frequency: number;
  /** Total spent on completed orders, in cents. */
  monetaryCents: number;
}

/** RFM scores 1-5 (5 is best: most recent, most frequent, biggest spender) and the named segment. */
export interface RfmScore {
  r: number;
  f: number;
  m: number;
  segment: Segment;
}

export const segments = [
  "Champions",
  "Loyal",
  "Potential loyalists",
  "New",
  "Need attention",
  "At risk",
  "Cannot lose them",
  "Hibernating",
  "Lost",
] as const;
export type Segment = (typeof segments)[number];

/**
 * Scores each value 1-5 by its mid-rank percentile among all values (the share below it plus half
 * the share equal to it), so tied values share a score and a long tie (most customers ordering
 * once) lands in the middle instead of all in 1 or all in 5.
 * @example quintileScores([1, 1, 1, 2, 9]) // [2, 2, 2, 4, 5]
 */
export function quintileScores(values: readonly number[]): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  return values.map((value) => {
    const below = lowerBound(sorted, value);
    const equal = lowerBound(sorted, value, true) - below;
    const percentile = (below + equal / 2) / n;
    return Math.min(5, Math.max(1, 1 + Math.floor(percentile * 5)));
  });
}

/** Index of the first element >= value (or > value when `after`), in an ascending array. */
function lowerBound(sorted: readonly number[], value: number, after = false): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (sorted[mid] < value || (after && sorted[mid] === value)) low = mid + 1;
    else high = mid;
  }
  return low;
}

/**
 * The named segment of a customer's scores; rules are tried in order, the first that matches wins:
 * - Champions: r >= 4, f >= 4, m >= 4 (bought recently, often, and spend the most)
 * - Loyal: r >= 3, f >= 4 (buy often, fairly recently)
 * - New: one order only, r >= 4
 * - Potential loyalists: r >= 4 (recent, more than one order, not yet frequent)
 * - Cannot lose them: r = 1, f >= 4, m >= 4 (were among the best, gone quiet)
 * - At risk: r <= 2, f >= 3 (used to buy often, not lately)
 * - Lost: r = 1 and one order only
 * - Hibernating: r <= 2 (rare and not recent)
 * - Need attention: the rest (r = 3 with f <= 3: average on both)
 */
export function segmentOf(scores: { r: number; f: number; m: number }, frequency: number): Segment {
  const { r, f, m } = scores;
  if (r >= 4 && f >= 4 && m >= 4) return "Champions";
  if (r >= 3 && f >= 4) return "Loyal";
  if (r >= 4 && frequency <= 1) return "New";
  if (r >= 4) return "Potential loyalists";
  if (r <= 1 && f >= 4 && m >= 4) return "Cannot lose them";
  if (r <= 2 && f >= 3) return "At risk";
  if (r <= 1 && frequency <= 1) return "Lost";
  if (r <= 2) return "Hibernating";
  return "Need attention";
}

/**
 * RFM scores and segments for a set of customers (those with at least one order), in input order.
 * Recency scores inversely: fewer days since the last order is better.
 */
export function scoreCustomers(customers: readonly CustomerActivity[]): RfmScore[] {
  const r = quintileScores(customers.map((c) => -c.recencyDays));
  const f = quintileScores(customers.map((c) => c.frequency));
  const m = quintileScores(customers.map((c) => c.monetaryCents));
  return customers.map((customer, i) => {
    const scores = { r: r[i], f: f[i], m: m[i] };
    return { ...scores, segment: segmentOf(scores, customer.frequency) };
  });
}
