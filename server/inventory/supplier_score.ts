import { formatCents } from "../shared/format.ts";
import type { PriceBreak } from "./price_breaks.ts";
/**
 * Supplier choice: scores each supplier of a product on price, reliability and delivery time with
 * configurable weights, ranks them and says in a sentence why the winner won. Pure.
 * @module
 */

/** One supplier's offer for a product. */
export interface SupplierCandidate {
  supplierId: string | number;
  name: string;
  unitCostCents: number;
  leadTimeDays: number;
  /** On-time delivery rate 0-1 (from purchase-order history, else the catalog); null when unknown. */
  reliability: number | null | undefined;
  minOrderQty: number;
  /** Pack size: orders are rounded up to a multiple of it (1 or absent = any quantity). */
  orderMultiple?: number;
  /** Lower unit costs from a quantity on (server/inventory/price_breaks.ts). */
  priceBreaks?: readonly PriceBreak[];
}

/** Weight of each criterion; normalized to sum to 1. */
export interface SupplierWeights {
  price: number;
  reliability: number;
  delivery: number;
}

/** The reference's weights: price 40%, reliability 35%, delivery 25%. */
export const DEFAULT_SUPPLIER_WEIGHTS: Readonly<SupplierWeights> = {
  price: 0.4,
  reliability: 0.35,
  delivery: 0.25,
};

/** One supplier's criterion scores (0-1, higher is better), weighted total and rank. */
export interface SupplierScore {
  supplierId: string | number;
  name: string;
  scores: { price: number; reliability: number; delivery: number };
  /** Weighted sum of the scores, 0-1. */
  total: number;
  /** 1 for the winner. */
  rank: number;
  /** False when the reliability score is an assumed value because the supplier has no record. */
  reliabilityKnown: boolean;
  unitCostCents: number;
  leadTimeDays: number;
  minOrderQty: number;
}

/** The ranking and the explanation shown with a suggestion. */
export interface SupplierRanking {
  ranked: SupplierScore[];
  winner: SupplierScore | null;
  /** A sentence saying why the winner won. */
  reason: string;
  /** The weights used, normalized to sum to 1. */
  weights: SupplierWeights;
}

/** Options of `scoreSuppliers`. */
export interface ScoreSuppliersOptions {
  /**
   * Reliability assumed for a supplier without a record. Default: the lowest known reliability among
   * the candidates (an unproven supplier should not out-score a proven one), or 0.5 when none is known.
   */
  missingReliability?: number;
}

/** Totals closer than this are a tie, decided by the tie-breakers. */
const TIE = 1e-9;

/** The sentence is shown to staff: amounts in the shop's currency ("£12.50"). */
function money(cents: number): string {
  return formatCents(cents);
}

function percent(value: number, digits = 0): string {
  return `${(value * 100).toFixed(digits)}%`;
}

function days(value: number): string {
  return `${value} day${value === 1 ? "" : "s"}`;
}

function validate(candidate: SupplierCandidate): void {
  if (!(Number.isFinite(candidate.unitCostCents) && candidate.unitCostCents >= 0)) {
    throw new RangeError(`Invalid unit cost ${candidate.unitCostCents} for supplier "${candidate.name}"`);
  }
  if (!(Number.isFinite(candidate.leadTimeDays) && candidate.leadTimeDays >= 0)) {
    throw new RangeError(`Invalid lead time ${candidate.leadTimeDays} for supplier "${candidate.name}"`);
  }
  const r = candidate.reliability;
  if (r !== null && r !== undefined && !(r >= 0 && r <= 1)) {
    throw new RangeError(
      `Invalid reliability ${r} for supplier "${candidate.name}": must be between 0 and 1`,
    );
  }
}

function normalizeWeights(weights: SupplierWeights): SupplierWeights {
  const values = [weights.price, weights.reliability, weights.delivery];
  if (values.some((value) => !(Number.isFinite(value) && value >= 0))) {
    throw new RangeError("Invalid supplier weights: each must be a number >= 0");
  }
  const sum = values.reduce((a, b) => a + b, 0);
  if (sum <= 0) throw new RangeError("Invalid supplier weights: at least one must be above 0");
  return {
    price: weights.price / sum,
    reliability: weights.reliability / sum,
    delivery: weights.delivery / sum,
  };
}

/**
 * Scores and ranks the suppliers of one product. Price and delivery are scored relative to the best
 * offer (cheapest / best, so 1 is the best and twice the price scores 0.5) rather than min-max,
 * which would turn a one-cent difference into a full point; delivery uses lead time + 1 day so a
 * same-day supplier does not zero everyone else. Reliability is the on-time rate itself. Ties on the
 * total go to the more reliable (known before assumed), then the cheaper, then the faster supplier.
 * @param candidates the product's suppliers
 * @param weights criterion weights, 40/35/25 by default
 */
export function scoreSuppliers(
  candidates: readonly SupplierCandidate[],
  weights: SupplierWeights = DEFAULT_SUPPLIER_WEIGHTS,
  options: ScoreSuppliersOptions = {},
): SupplierRanking {
  const w = normalizeWeights(weights);
  candidates.forEach(validate);
  if (candidates.length === 0) {
    return { ranked: [], winner: null, reason: "No supplier offers this product", weights: w };
  }
  const known = candidates.map((c) => c.reliability).filter((r): r is number => typeof r === "number");
  const assumed = options.missingReliability ?? (known.length ? Math.min(...known) : 0.5);
  const cheapest = Math.min(...candidates.map((c) => c.unitCostCents));
  const fastest = Math.min(...candidates.map((c) => c.leadTimeDays));

  const scored = candidates.map((c) => {
    const reliabilityKnown = typeof c.reliability === "number";
    const scores = {
      price: c.unitCostCents === 0 ? 1 : cheapest / c.unitCostCents,
      reliability: reliabilityKnown ? (c.reliability as number) : assumed,
      delivery: (fastest + 1) / (c.leadTimeDays + 1),
    };
    const total = w.price * scores.price + w.reliability * scores.reliability + w.delivery * scores.delivery;
    return {
      supplierId: c.supplierId,
      name: c.name,
      scores,
      total,
      rank: 0,
      reliabilityKnown,
      unitCostCents: c.unitCostCents,
      leadTimeDays: c.leadTimeDays,
      minOrderQty: c.minOrderQty,
    };
  });
  scored.sort((a, b) =>
    Math.abs(a.total - b.total) > TIE
      ? b.total - a.total
      : Number(b.reliabilityKnown) - Number(a.reliabilityKnown) ||
        b.scores.reliability - a.scores.reliability ||
        a.unitCostCents - b.unitCostCents ||
        a.leadTimeDays - b.leadTimeDays ||
        String(a.supplierId).localeCompare(String(b.supplierId))
  );
  scored.forEach((s, i) => (s.rank = i + 1));
  // The sentence is worded when first read: the stock-alert sync after every window of sales plans
  // each product sold and reads only the plan's numbers (the wording was a tenth of that sync's time)
  let reason: string | undefined;
  return {
    ranked: scored,
    winner: scored[0],
    get reason() {
      return reason ??= explain(scored, w);
    },
    weights: w,
  };
}

/** The sentence shown with a suggestion: what the winner scored and where it beat the runner-up. */
function explain(ranked: readonly SupplierScore[], w: SupplierWeights): string {
  const winner = ranked[0];
  const facts = `${money(winner.unitCostCents)} a unit, ${
    winner.reliabilityKnown ? `${percent(winner.scores.reliability)} on time` : "no delivery record"
  }, ${days(winner.leadTimeDays)} lead time`;
  if (ranked.length === 1) return `${winner.name} is the only supplier (${facts})`;
  const runnerUp = ranked[1];
  if (Math.abs(winner.total - runnerUp.total) <= TIE) {
    return `${winner.name} ties with ${runnerUp.name} at ${winner.total.toFixed(2)} and is chosen for ` +
      `${tieBreaker(winner, runnerUp)} (${facts})`;
  }
  // Rank the criteria by the weighted points the winner gained over the runner-up.
  const criteria = [
    {
      gain: w.price * (winner.scores.price - runnerUp.scores.price),
      better: `cheaper at ${money(winner.unitCostCents)} against ${money(runnerUp.unitCostCents)}`,
      worse: `costs ${money(winner.unitCostCents)} against ${money(runnerUp.unitCostCents)}`,
    },
    reliabilityCriterion(winner, runnerUp, w.reliability),
    {
      gain: w.delivery * (winner.scores.delivery - runnerUp.scores.delivery),
      better: `faster (${days(winner.leadTimeDays)} against ${days(runnerUp.leadTimeDays)})`,
      worse: `is slower (${days(winner.leadTimeDays)} against ${days(runnerUp.leadTimeDays)})`,
    },
  ].sort((a, b) => b.gain - a.gain);
  // A criterion whose figures read the same for both is no reason either way
  const shown = criteria.filter((c): c is { gain: number; better: string; worse: string } =>
    c.better !== null
  );
  const strengths = shown.filter((c) => c.gain > TIE).map((c) => c.better);
  const weaknesses = shown.filter((c) => c.gain < -TIE).map((c) => c.worse);
  if (strengths.length === 0) strengths.push("the better balance of price, reliability and delivery");
  // one more digit where two read the same ("0.92 against 0.92" says nothing about the choice)
  const digits = winner.total.toFixed(2) === runnerUp.total.toFixed(2) ? 3 : 2;
  let sentence = `${winner.name} scores ${winner.total.toFixed(digits)} against ${runnerUp.name}'s ${
    runnerUp.total.toFixed(digits)
  }: ${strengths.join(" and ")}`;
  if (weaknesses.length) sentence += `, which outweighs that it ${weaknesses.join(" and ")}`;
  return sentence;
}

function reliabilityText(s: SupplierScore, digits: number): string {
  return s.reliabilityKnown ? `${percent(s.scores.reliability, digits)} on time` : "no record";
}

/**
 * The reliability comparison, written with enough digits to show the difference (80% against 79.6%
 * would contradict itself as "80% against 80%"); no comparison when the figures read the same.
 */
function reliabilityCriterion(winner: SupplierScore, runnerUp: SupplierScore, weight: number) {
  const gain = weight * (winner.scores.reliability - runnerUp.scores.reliability);
  for (const digits of [0, 1]) {
    const ours = reliabilityText(winner, digits);
    const theirs = reliabilityText(runnerUp, digits);
    if (ours !== theirs) {
      return {
        gain,
        better: `more reliable (${ours} against ${theirs})`,
        worse: `is less reliable (${ours} against ${theirs})`,
      };
    }
  }
  return { gain, better: null, worse: null };
}

function tieBreaker(winner: SupplierScore, runnerUp: SupplierScore): string {
  if (winner.reliabilityKnown !== runnerUp.reliabilityKnown) return "its known delivery record";
  if (winner.scores.reliability !== runnerUp.scores.reliability) return "higher reliability";
  if (winner.unitCostCents !== runnerUp.unitCostCents) return "the lower price";
  if (winner.leadTimeDays !== runnerUp.leadTimeDays) return "the shorter lead time";
  return "coming first by supplier id";
}
