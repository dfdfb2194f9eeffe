/**
 * The cold-start operating point: where a shop without labels puts its review threshold.
 *
 * The prior maps its validated margin to score 50 for every shop alike, but the share of a shop's sales that
 * lands above it depends on the shop (on generator A, never trained on, the shared threshold flags about
 * twice as many sales as there is fraud: precision 0.41). Without labels, the shop's own unlabeled score
 * distribution still says something: a screen that sends far more sales to review than fraud plausibly
 * exists is mostly flagging the shop's honest customers. So the threshold is raised (never lowered) until the
 * prior flags at most `maxReviewRate` of the shop's recent sales, the highest plausible fraud base rate.
 *
 * Time-ordered: the point in force on a day is computed from the prior scores of sales strictly before that
 * day (UTC), in a window of `windowDays`; a sale never influences its own threshold or any earlier one.
 * Used by the daily job (stored in `fraud_operating_points`), the bench and the prior's build table.
 *
 * Session 8 measured a ceiling that follows the shop (K times its fraud rate estimated from the same unlabeled
 * scores, `estimateFraudRate`) against the fixed 5% and kept the fixed one: on shops the prior never saw, its
 * probabilities do not transfer (docs/fraud.md). The estimator stays as a measuring option (`auto:K`).
 */
import { commonLinkRules, type LinkGroup, linkSharesOf } from "./combine.ts";
import type { FeatureName } from "./feature_names.ts";

/** How the operating point is chosen. */
export interface OperatingPointOptions {
  /** Most of a shop's sales the prior may send to review (a plausible upper fraud base rate). */
  maxReviewRate: number;
  /** Days of sales before the day the point is computed for. */
  windowDays: number;
  /** Fewer sales than this in the window: no point, the shared threshold stays. */
  minSales: number;
  /** Also lower the threshold below 50 to reach the rate (measured, not the default). */
  allowLower?: boolean;
  /**
   * Measuring only (session 8, not shipped): when set, `maxReviewRate` is not used; the ceiling is this factor
   * times the shop's fraud rate as estimated from the window's own prior scores (`automaticCeiling`), which
   * needs `calibration` (what the prior's scores mean as probabilities).
   */
  automaticFactor?: number;
  calibration?: PriorCalibration;
  /** Measuring only: the automatic ceiling's least value (MIN_REVIEW_CEILING unless given). */
  automaticFloor?: number;
  /** Measuring only: the plain mean of the probabilities instead of the prior-shift EM. */
  meanEstimate?: boolean;
  /**
   * Measuring only (session 11): every link rule counts in every shop, as before session 11 (`links:0`); by
   * default a link rule that is the shop's norm in the window (`commonLinkRules`) does not count.
   */
  everyLink?: boolean;
  /**
   * The ceiling never raises the threshold above this prior score (`SURE_PRIOR_SCORE` by default), so a sale
   * the prior is this sure of goes to review however many there are: on a shop with more fraud than its
   * ceiling the ceiling alone cut off fraud the prior ranked at the very top (session 17). 100: no cap.
   */
  maxThreshold?: number;
}

/** What the prior's 0-100 score means as a fraud probability: from its review margin and its training. */
export interface PriorCalibration {
  /** The margin (log-odds) that maps to score 50. */
  reviewMargin: number;
  /** Weight the training gave each fraud example (the square root of the imbalance, `model.ts`). */
  positiveWeight: number;
  /** Share of fraud among the training examples: the base rate the probabilities are calibrated to. */
  trainingFraudRate: number;
}

/** The calibration of a trained model (`FraudModel`'s fields; the training weighted fraud as `boost` does). */
export function priorCalibration(
  model: { reviewMargin: number; training: { rows: number; fraud: number } },
): PriorCalibration {
  const { rows, fraud } = model.training;
  return {
    reviewMargin: model.reviewMargin,
    positiveWeight: fraud > 0 ? Math.max(1, Math.sqrt((rows - fraud) / fraud)) : 1,
    trainingFraudRate: rows > 0 ? fraud / rows : 0,
  };
}

/**
 * The probability of fraud the prior gives a sale of this score, at the training's base rate. The score is
 * `100 sigmoid(margin - reviewMargin)` rounded to one decimal, and a fraud example weighed `positiveWeight`
 * in training, so the unweighted log-odds are the margin less log(positiveWeight).
 */
export function priorFraudProbability(score: number, calibration: PriorCalibration): number {
  const q = Math.min(0.9995, Math.max(0.0005, score / 100)); // a rounded 0 or 100 is not certainty
  const logOdds = Math.log(q / (1 - q)) + calibration.reviewMargin - Math.log(calibration.positiveWeight);
  return 1 / (1 + Math.exp(-logOdds));
}

/**
 * The shop's fraud rate estimated from unlabeled prior scores (a histogram: score, count). The prior's
 * probabilities are calibrated to its training's base rate; a shop with another base rate shifts all of them
 * (prior shift). The EM of Saerens, Latinne and Decaestecker (2002) finds the rate at which the probabilities,
 * re-weighted to that rate, average to it: start at the training rate, re-weight each probability by the
 * ratio of the rates (and of their complements), take the mean as the new rate, repeat until it settles.
 * No label is read. `mean: true` answers the plain mean of the probabilities (measured against the EM).
 * @example estimateFraudRate([{ score: 90, n: 10 }, { score: 2, n: 990 }], calibration)
 */
export function estimateFraudRate(
  groups: readonly { score: number; n: number }[],
  calibration: PriorCalibration,
  options: { mean?: boolean } = {},
): number {
  const probs = groups.filter((g) => g.n > 0).map((g) => ({
    p: priorFraudProbability(g.score, calibration),
    n: g.n,
  }));
  const total = probs.reduce((sum, g) => sum + g.n, 0);
  if (total === 0) return 0;
  if (options.mean) return probs.reduce((sum, g) => sum + g.n * g.p, 0) / total;
  const trained = Math.min(1 - 1e-6, Math.max(1e-6, calibration.trainingFraudRate));
  let rate = trained;
  for (let i = 0; i < 200; i++) {
    const up = rate / trained, down = (1 - rate) / (1 - trained);
    let sum = 0;
    for (const g of probs) sum += g.n * (up * g.p) / (up * g.p + down * (1 - g.p));
    const next = sum / total;
    const settled = Math.abs(next - rate) < 1e-7;
    rate = next;
    if (settled) break;
  }
  return rate;
}

/**
 * An automatic ceiling: `factor` times the estimated fraud rate, inside the range an admin may set. Measured
 * in session 8 against the fixed 5% and not shipped (docs/fraud.md): on generators the prior never saw, the
 * estimate follows how the prior scores the shop's honest sales as much as its fraud.
 */
export function automaticCeiling(estimatedFraudRate: number, factor: number): number {
  return Math.min(MAX_REVIEW_CEILING, Math.max(MIN_REVIEW_CEILING, factor * estimatedFraudRate));
}

/**
 * The prior's score from which a sale goes to review whatever the ceiling (`maxThreshold`). Chosen on the
 * leave-one-generator-out table (`deno task fraud-ceiling --checks --caps=...`, measuring seed 202) and
 * confirmed on a fresh one (1717): 90 raised F1 wherever the ceiling bound (A at 10-15% fraud, C at 15%) and
 * changed no other cell; 85 and below cost A precision at 5%, 95 and above gave back most of the gain.
 */
export const SURE_PRIOR_SCORE = 90;

export const COLD_START_OPERATING: OperatingPointOptions = {
  maxReviewRate: 0.05,
  windowDays: 90,
  minSales: 200,
  maxThreshold: SURE_PRIOR_SCORE,
};

/**
 * The range an admin may set the shop's review ceiling in (`fraud_settings`, session 7). Below 0.5% the prior
 * would review almost nothing on a shop of a few hundred sales a day; above 25% the "screen" reviews a
 * quarter of the shop, and no generator or public dataset we know has that much fraud.
 */
export const MIN_REVIEW_CEILING = 0.005;
export const MAX_REVIEW_CEILING = 0.25;

/**
 * True when a stored point was computed with this ceiling. The point stores it as `real` (0.05 reads back
 * as 0.0500000007), the setting as `double precision`: equal within a millionth.
 */
export function sameCeiling(stored: number, setting: number): boolean {
  return Math.abs(stored - setting) < 1e-6;
}

const OPERATING_KEYS = "rate, window, min, lower, auto, mean, floor, links, cap";

/**
 * The measuring commands' `--operating=` value (`bench fraud`, `fraud-prior --table`): `off` for the shared
 * threshold (null), else `rate:R,window:W,min:M,lower:1,auto:K,mean:1,floor:F` in any order and subset, the
 * rest from the shipped defaults (rate is a fixed ceiling, a share: 0.05; auto:K the automatic ceiling, K
 * times the estimated fraud rate, which replaces the rate; links:0 every link rule in every shop). Unknown
 * keys and non-numbers are refused. cap:S the sure score (`maxThreshold`; cap:100 measures without it).
 */
export function parseOperatingOption(text: string | undefined): OperatingPointOptions | null {
  if (text === "off") return null;
  const options: OperatingPointOptions = { ...COLD_START_OPERATING };
  for (const pair of (text ?? "").split(",").filter((p) => p !== "")) {
    const [key, raw] = pair.split(":");
    const value = Number(raw);
    if (raw === undefined || raw === "" || !Number.isFinite(value)) {
      throw new Error(`--operating: "${pair}" is not key:number`);
    }
    if (key === "rate") {
      options.maxReviewRate = value;
      delete options.automaticFactor;
    } else if (key === "window") options.windowDays = value;
    else if (key === "min") options.minSales = value;
    else if (key === "lower") options.allowLower = value === 1;
    else if (key === "auto") options.automaticFactor = value;
    else if (key === "mean") options.meanEstimate = value === 1;
    else if (key === "floor") options.automaticFloor = value;
    else if (key === "links") options.everyLink = value === 0;
    else if (key === "cap") options.maxThreshold = value;
    else throw new Error(`--operating: unknown "${key}" (${OPERATING_KEYS})`);
  }
  return options;
}

/** The cold-start options with the shop's own ceiling. */
export function withCeiling(maxReviewRate: number): OperatingPointOptions {
  return { ...COLD_START_OPERATING, maxReviewRate };
}

/** A shop's cold-start operating point, as stored and shown on the Fraud page. */
export interface OperatingPoint {
  /** The prior's own score (before calibration, 0-100) at or above which a sale goes to review. */
  priorThreshold: number;
  /** Share of the window's sales the prior sends to review at that threshold (the expected review load). */
  reviewRate: number;
  /** Share the shared threshold (50) would have sent. */
  sharedReviewRate: number;
  /** Sales in the window, and the window's days. */
  sales: number;
  days: number;
  /** The ceiling the point was computed with (a share of sales). */
  maxReviewRate?: number;
  /** The shop's fraud rate estimated from the window (automatic ceiling only). */
  estimatedFraudRate?: number;
  /**
   * The link rules that do not count in this shop while the point is in force: in the window they fired on too
   * many sales, which the prior did not find risky, to be a fraud signal here (`commonLinkRules`). Absent or
   * empty: every link rule counts.
   */
  mutedLinks?: FeatureName[];
  /** Share of the window's sales each link rule fired on, in `LINK_RULES`' order (when they were counted). */
  linkShares?: number[];
}

export const DAY_MS = 86_400_000;

/** Whole days from the window's first sale's day to the day the point is for (at least 1). */
export function windowDaysOf(dayMs: number, firstDayMs: number): number {
  return Math.max(1, Math.round((dayMs - firstDayMs) / DAY_MS));
}

/** The review score every threshold is mapped to. */
const REVIEW_SCORE = 50;

/**
 * The operating point of a window of prior scores (unlabeled), or null when the window is too small.
 * The threshold is the lowest score s >= 50 such that at most `maxReviewRate` of the scores are >= s.
 */
export function operatingPointOf(
  priorScores: readonly number[],
  days: number,
  options: OperatingPointOptions = COLD_START_OPERATING,
  linkFlags?: readonly number[],
): OperatingPoint | null {
  // one group per score, or per (score, flags) when the sales' fired link rules are known
  const counts = new Map<string, { score: number; n: number; flags?: number }>();
  priorScores.forEach((score, i) => {
    const flags = linkFlags?.[i];
    const key = `${score}:${flags}`;
    const group = counts.get(key);
    if (group) group.n++;
    else counts.set(key, flags === undefined ? { score, n: 1 } : { score, flags, n: 1 });
  });
  return operatingPointOfCounts([...counts.values()], days, options);
}

/**
 * The same from a histogram of the window's scores (what the database sends: one row per distinct score, or
 * per score and fired link rules). When every group carries its `flags`, the point also says which link
 * rules the shop mutes (`commonLinkRules`) and how often each fired.
 */
export function operatingPointOfCounts(
  groups: readonly { score: number; n: number; flags?: number }[],
  days: number,
  options: OperatingPointOptions = COLD_START_OPERATING,
): OperatingPoint | null {
  // one group per score (groups split by link flags share theirs), so a tie at the cut is seen whole
  const byScore = new Map<number, number>();
  for (const g of groups) if (g.n > 0) byScore.set(g.score, (byScore.get(g.score) ?? 0) + g.n);
  const descending = Array.from(byScore, ([score, n]) => ({ score, n })).sort((a, b) => b.score - a.score);
  const n = descending.reduce((sum, g) => sum + g.n, 0);
  if (n < options.minSales || descending.length === 0) return null;
  const linkGroups = groups.every((g) => g.flags !== undefined) ? groups as readonly LinkGroup[] : undefined;
  const factor = options.automaticFactor;
  const estimatedFraudRate = factor === undefined ? undefined : estimateFraudRate(
    descending,
    options.calibration ?? missingCalibration(),
    { mean: options.meanEstimate },
  );
  const maxReviewRate = factor === undefined || estimatedFraudRate === undefined
    ? options.maxReviewRate
    : Math.max(options.automaticFloor ?? 0, automaticCeiling(estimatedFraudRate, factor));
  const allowed = Math.floor(maxReviewRate * n);
  const atLeast = (threshold: number) =>
    descending.reduce((sum, g) => sum + (g.score >= threshold ? g.n : 0), 0);
  const atShared = atLeast(REVIEW_SCORE);
  let threshold = REVIEW_SCORE;
  if (atShared > allowed || (options.allowLower && allowed > 0)) {
    // The lowest score that flags at most `allowed` sales; above the highest when even it flags more.
    threshold = Math.round(10 * descending[0].score + 1) / 10;
    let flagged = 0;
    for (const g of descending) {
      flagged += g.n;
      if (flagged > allowed) break;
      threshold = g.score;
    }
    threshold = Math.min(100, Math.max(options.allowLower ? 0.1 : REVIEW_SCORE, threshold));
    if (options.maxThreshold !== undefined) {
      threshold = Math.max(REVIEW_SCORE, Math.min(options.maxThreshold, threshold));
    }
  }
  return {
    priorThreshold: threshold,
    reviewRate: atLeast(threshold) / n,
    sharedReviewRate: atShared / n,
    sales: n,
    days,
    maxReviewRate,
    ...(estimatedFraudRate === undefined ? {} : { estimatedFraudRate }),
    ...(linkGroups === undefined ? {} : {
      mutedLinks: options.everyLink ? [] : commonLinkRules(linkGroups, maxReviewRate),
      linkShares: linkSharesOf(linkGroups),
    }),
  };
}

function missingCalibration(): never {
  throw new Error("The automatic review ceiling needs the prior's calibration");
}

/**
 * The prior's score as the shop's operating point reads it: monotone, 0 stays 0, 100 stays 100, and the
 * operating threshold becomes the shop's review threshold (`review`, the rules' `thresholds.review`), so
 * "score >= review means review" holds and the ranking is the prior's own. The point is computed against
 * the shared 50; for a review threshold of its own the operating threshold is the higher of the two (a point
 * at or above 50 still bounds the review share; below 50, a point of exactly 50 keeps 50, never more sales
 * than the cap). Scores keep one decimal.
 */
export function calibratedPriorScore(
  score: number,
  point: OperatingPoint | null,
  review: number = REVIEW_SCORE,
): number {
  const t = Math.max(review, point?.priorThreshold ?? review);
  if (t === review) return score;
  const mapped = score >= t
    ? review + (score - t) * (100 - review) / Math.max(1e-9, 100 - t)
    : score * review / t;
  // Rounding must not cross the threshold either way.
  const rounded = Math.round(10 * mapped) / 10;
  if (score >= t) return Math.max(review, rounded);
  return Math.min(review - 0.1, rounded);
}

/** The UTC day start of a time. */
export function dayStartMs(atMs: number): number {
  return Math.floor(atMs / DAY_MS) * DAY_MS;
}

/** A prior-scored sale as the operating point reads it. */
export interface PriorScoredSale {
  atMs: number;
  priorScore: number;
  /** `linkFlagsOf` its features, when known */
  linkFlags?: number;
}

/**
 * The operating point in force for each sale of a time-ordered replay: for a sale on day D, the point of the
 * prior scores of the sales in [D - windowDays, D) and, when every sale carries them, their fired link rules
 * (`linkFlagsOf`). A later sale never changes an earlier point.
 */
export function operatingPointsInForce(
  sales: readonly PriorScoredSale[],
  options: OperatingPointOptions = COLD_START_OPERATING,
): (OperatingPoint | null)[] {
  const tracker = operatingPointTracker(options);
  return sales.map((sale) => {
    const point = tracker.pointAt(sale.atMs);
    tracker.add(sale);
    return point;
  });
}

/**
 * The same, one sale at a time, for a replay too long to hold (the rules' backtest over a shop's history):
 * `pointAt(ms)` before each sale, then `add(sale)`. Only the window's sales are kept.
 */
export function operatingPointTracker(options: OperatingPointOptions = COLD_START_OPERATING): {
  pointAt(atMs: number): OperatingPoint | null;
  add(sale: PriorScoredSale): void;
} {
  let sales: PriorScoredSale[] = [];
  let day = NaN;
  let point: OperatingPoint | null = null;
  let from = 0; // first sale inside the window
  return {
    pointAt(atMs) {
      const d = dayStartMs(atMs);
      if (d === day) return point;
      // every sale added so far came before this one, in time order: all of them are before day d
      day = d;
      const windowStart = d - options.windowDays * DAY_MS;
      while (from < sales.length && sales[from].atMs < windowStart) from++;
      if (from > 4096) {
        sales = sales.slice(from);
        from = 0;
      }
      const window = sales.slice(from);
      const firstDay = window.length > 0 ? dayStartMs(window[0].atMs) : d;
      const flagged = window.length > 0 && window.every((s) => s.linkFlags !== undefined);
      point = operatingPointOf(
        window.map((s) => s.priorScore),
        windowDaysOf(d, firstDay),
        options,
        flagged ? window.map((s) => s.linkFlags!) : undefined,
      );
      return point;
    },
    add(sale) {
      sales.push(sale);
    },
  };
}
