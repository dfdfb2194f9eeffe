/**
 * The labels a real shop gets at cold start, simulated in time order, and the review ceiling proposed from
 * them (docs/fraud.md, "Session 8: a ceiling from the first labels").
 *
 * - A sale that went to review (its final score at or above the review threshold) is labeled by an analyst,
 *   fraud or not, `reviewDelayDays` after the sale.
 * - A fraud sale that was not reviewed comes back as a chargeback or a refund marked as fraud 30-60 days after
 *   the sale (`chargebackDelayDays`), except a share that is never reported (`unreportedShare`). Which ones,
 *   and when, is fixed by a hash of the transaction id and the seed.
 * - An honest sale nobody reviewed gets no label.
 *
 * The replay goes day by day (UTC): the ceiling in force on day D is proposed from the labels known before D
 * only (`knownAtMs < D`), and the review of day D's sales depends on it, so the labels of later days depend
 * on the ceilings proposed earlier, as in a shop.
 */
import {
  COLD_START_OPERATING,
  DAY_MS,
  dayStartMs,
  type OperatingPoint,
  operatingPointOf,
  type OperatingPointOptions,
  windowDaysOf,
} from "../server/fraud/model/operating_point.ts";
import {
  type CeilingProposal,
  type LabelCeilingOptions,
  proposeCeilingFromLabels,
} from "../server/fraud/model/label_ceiling.ts";
import { hash } from "./fraud_generators/resample.ts";

/** When labels arrive. */
export interface LabelArrival {
  /** Days from a reviewed sale to its analyst label. */
  reviewDelayDays: number;
  /** Least and most days from an unreviewed fraud sale to its chargeback. */
  chargebackDelayDays: readonly [number, number];
  /** Share of unreviewed fraud never reported. */
  unreportedShare: number;
  seed: number;
}

export const LABEL_ARRIVAL: LabelArrival = {
  reviewDelayDays: 1,
  chargebackDelayDays: [30, 60],
  unreportedShare: 0.3,
  seed: 1,
};

/** One label: which sale, when the shop learns it, and what it says. */
export interface LabelEvent {
  saleAtMs: number;
  knownAtMs: number;
  isFraud: boolean;
  source: "review" | "chargeback";
}

/** A sale as the simulation reads it. */
export interface SimulatedSale {
  transactionId: string;
  atMs: number;
  isFraud: boolean;
}

/** The label a sale will get, given whether it went to review, or null when the shop never learns it. */
export function labelOf(sale: SimulatedSale, reviewed: boolean, arrival: LabelArrival = LABEL_ARRIVAL) {
  if (reviewed) {
    return {
      saleAtMs: sale.atMs,
      knownAtMs: sale.atMs + arrival.reviewDelayDays * DAY_MS,
      isFraud: sale.isFraud,
      source: "review",
    } satisfies LabelEvent;
  }
  if (!sale.isFraud) return null;
  if (hash(sale.transactionId, arrival.seed) / 2 ** 32 < arrival.unreportedShare) return null;
  const [least, most] = arrival.chargebackDelayDays;
  const delayDays = least + (most - least) * (hash(sale.transactionId, arrival.seed + 1) / 2 ** 32);
  return {
    saleAtMs: sale.atMs,
    knownAtMs: sale.atMs + delayDays * DAY_MS,
    isFraud: true,
    source: "chargeback",
  } satisfies LabelEvent;
}

/** Fraud labels known before `dayMs` of sales in the `windowDays` before it. */
export function confirmedFraudBefore(
  labels: readonly LabelEvent[],
  dayMs: number,
  windowDays: number,
): number {
  const from = dayMs - windowDays * DAY_MS;
  let n = 0;
  for (const l of labels) {
    if (l.isFraud && l.knownAtMs < dayMs && l.saleAtMs >= from && l.saleAtMs < dayMs) n++;
  }
  return n;
}

/** How the simulated shop follows the proposal. */
export interface LabelCeilingReplayOptions {
  ceiling: LabelCeilingOptions;
  arrival?: LabelArrival;
  /** The operating point's window and minimum (its ceiling is the fixed one until a proposal is in force). */
  operating?: OperatingPointOptions;
  /** `once`: an admin applies the first proposal and keeps it; `daily`: the latest proposal each day. */
  follow: "once" | "daily";
  /** The review threshold of the final score. */
  review: number;
}

/** What the replay did: each sale's final score and the ceiling it was scored under. */
export interface LabelCeilingReplay {
  scores: number[];
  ceilings: number[];
  /** The first day a proposal was in force (null: never enough labels). */
  inForceFromMs: number | null;
  /** The first proposal and the last one. */
  first: CeilingProposal | null;
  last: CeilingProposal | null;
  labels: LabelEvent[];
}

/**
 * Replays time-ordered sales: each day, the ceiling from the labels known before it (the fixed ceiling until
 * enough are), the operating point from the prior scores before it under that ceiling, then the day's scores
 * (`scoreOf`) and the labels they lead to.
 */
export function replayWithLabelCeiling(
  sales: readonly (SimulatedSale & { priorScore: number })[],
  scoreOf: (index: number, point: OperatingPoint | null) => number,
  options: LabelCeilingReplayOptions,
): LabelCeilingReplay {
  const arrival = options.arrival ?? LABEL_ARRIVAL;
  const operating = options.operating ?? COLD_START_OPERATING;
  const labels: LabelEvent[] = [];
  const scores: number[] = [], ceilings: number[] = [];
  let inForceFromMs: number | null = null;
  let first: CeilingProposal | null = null, last: CeilingProposal | null = null;
  let ceiling = operating.maxReviewRate;
  let from = 0, labelFrom = 0;
  for (let i = 0; i < sales.length;) {
    const day = dayStartMs(sales[i].atMs);
    if (inForceFromMs === null || options.follow === "daily") {
      const windowStart = day - options.ceiling.windowDays * DAY_MS;
      while (labelFrom < i && sales[labelFrom].atMs < windowStart) labelFrom++;
      const proposal = proposeCeilingFromLabels({
        sales: i - labelFrom,
        confirmedFraud: confirmedFraudBefore(labels, day, options.ceiling.windowDays),
      }, options.ceiling);
      if (proposal) {
        ceiling = proposal.ceiling;
        inForceFromMs ??= day;
        first ??= proposal;
        last = proposal;
      }
    }
    const windowStart = day - operating.windowDays * DAY_MS;
    while (from < i && sales[from].atMs < windowStart) from++;
    const point = operatingPointOf(
      sales.slice(from, i).map((s) => s.priorScore),
      windowDaysOf(day, from < i ? dayStartMs(sales[from].atMs) : day),
      { ...operating, maxReviewRate: ceiling },
    );
    for (; i < sales.length && dayStartMs(sales[i].atMs) === day; i++) {
      const score = scoreOf(i, point);
      scores.push(score);
      ceilings.push(ceiling);
      const label = labelOf(sales[i], score >= options.review, arrival);
      if (label) labels.push(label);
    }
  }
  return { scores, ceilings, inForceFromMs, first, last, labels };
}
