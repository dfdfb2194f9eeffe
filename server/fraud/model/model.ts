/**
 * A shop's fraud model: boosted trees over `FEATURE_NAMES`, the margin at which it flags for review, and
 * how it was trained. Plain JSON, so it is stored in PostgreSQL and shipped as the cold-start prior.
 */
import { type BoostedTrees, contributions, predictMargin, trainBoostedTrees } from "./boosting.ts";
import { FEATURE_NAMES, type FeatureName } from "./features.ts";

/** A trained model with the threshold it was validated at. */
export interface FraudModel {
  kind: "boosted_trees";
  /** Feature names in vector order, checked when a model is loaded. */
  features: readonly string[];
  trees: BoostedTrees;
  /** Margin (log-odds) that maps to a score of 50, the review threshold. */
  reviewMargin: number;
  trainedAt: string;
  /** What the model learned from, and what it scored on its time-ordered validation tail. */
  training: {
    rows: number;
    fraud: number;
    validationRows: number;
    validation: { precision: number; recall: number; f1: number };
    source: string;
    /** The validation tail scored at review thresholds 5-95, for choosing a threshold knowingly. */
    curve?: CurvePoint[];
  };
}

/** What flagging every score at or above `score` would have done on the validation tail. */
export interface CurvePoint {
  score: number;
  precision: number;
  recall: number;
  /** Sales flagged per day of the validation tail: the review load at that threshold. */
  flaggedPerDay: number;
}

/** One labeled example: the features of a sale as they were before it, and its outcome. */
export interface Example {
  features: Float64Array;
  isFraud: boolean;
  atMs: number;
  /** Which shop or stream the example came from; the prior picks one threshold that suits every group. */
  group?: string;
}

/** Options of `trainFraudModel`. */
export interface TrainOptions {
  /** Share of the (time-ordered) examples held back at the end to pick the review threshold. */
  validationFraction?: number;
  /** Where the labels came from, e.g. "shop labels" or "generated streams". */
  source?: string;
  rounds?: number;
  depth?: number;
  /** L2 penalty on leaf values and the least total hessian weight of a leaf (regularisation). */
  lambda?: number;
  minChildWeight?: number;
  /** Threshold choice on the validation tail: the best F1, or the highest recall keeping this precision. */
  minPrecision?: number;
  /** Features whose larger values may only raise (1) or only lower (-1) the score. */
  monotone?: Partial<Record<FeatureName, 1 | -1>>;
  /** Features the model must not use (the prior leaves out what differs from shop to shop). */
  skipFeatures?: readonly FeatureName[];
  /** Seed of the row subsampling (1 unless given), so a build can be repeated or varied on purpose. */
  seed?: number;
  now?: Date;
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** Precision, recall and F1 of flagging every margin at or above `threshold`. */
function measure(margins: readonly number[], labels: readonly boolean[], threshold: number) {
  let tp = 0, fp = 0, fn = 0;
  margins.forEach((m, i) => {
    if (m >= threshold) labels[i] ? tp++ : fp++;
    else if (labels[i]) fn++;
  });
  const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
  return {
    precision,
    recall,
    f1: precision + recall === 0 ? 0 : 2 * precision * recall / (precision + recall),
  };
}

/**
 * The margin threshold that does best on held-out examples: with `minPrecision`, the lowest threshold
 * keeping that precision (most recall); otherwise the best F1.
 */
export function pickThreshold(
  margins: readonly number[],
  labels: readonly boolean[],
  minPrecision?: number,
): { margin: number; precision: number; recall: number; f1: number } {
  const candidates = [...new Set(margins)].sort((a, b) => a - b);
  // Scanning every distinct margin is O(n^2); 400 quantiles of the margins are plenty.
  const step = Math.max(1, Math.floor(candidates.length / 400));
  let best = { margin: 0, precision: 0, recall: 0, f1: -1 };
  for (let i = 0; i < candidates.length; i += step) {
    const threshold = candidates[i];
    const m = measure(margins, labels, threshold);
    const better = minPrecision === undefined
      ? m.f1 > best.f1
      : m.precision >= minPrecision && (best.f1 < 0 || m.recall > best.recall);
    if (better) best = { margin: threshold, ...m };
  }
  if (best.f1 < 0) {
    best = { margin: candidates.at(-1) ?? 0, ...measure(margins, labels, candidates.at(-1) ?? 0) };
  }
  return best;
}

/**
 * The margin with the best mean F1 over groups (shops): one review threshold that means the same in each,
 * rather than the one that suits the largest group of the pooled tail.
 */
export function pickThresholdAcrossGroups(
  margins: readonly number[],
  labels: readonly boolean[],
  groups: readonly string[],
): { margin: number; precision: number; recall: number; f1: number } {
  const names = [...new Set(groups)];
  const byGroup = names.map((name) => {
    const idx = groups.flatMap((g, i) => g === name ? [i] : []);
    return { margins: idx.map((i) => margins[i]), labels: idx.map((i) => labels[i]) };
  });
  const candidates = [...new Set(margins)].sort((a, b) => a - b);
  const step = Math.max(1, Math.floor(candidates.length / 400));
  let best = { margin: 0, meanF1: -1 };
  for (let i = 0; i < candidates.length; i += step) {
    const meanF1 = byGroup.reduce((sum, g) => sum + measure(g.margins, g.labels, candidates[i]).f1, 0) /
      byGroup.length;
    if (meanF1 > best.meanF1) best = { margin: candidates[i], meanF1 };
  }
  return { margin: best.margin, ...measure(margins, labels, best.margin) };
}

function boost(examples: readonly Example[], options: TrainOptions): BoostedTrees {
  const fraud = examples.filter((e) => e.isFraud).length;
  const legit = examples.length - fraud;
  return trainBoostedTrees(examples.map((e) => e.features), examples.map((e) => e.isFraud ? 1 : 0), {
    rounds: options.rounds ?? 150,
    depth: options.depth ?? 4,
    // Rare fraud would otherwise barely move the trees; the square root of the imbalance keeps the
    // probabilities usable while the threshold (picked afterwards) does the rest.
    positiveWeight: fraud > 0 ? Math.max(1, Math.sqrt(legit / fraud)) : 1,
    minChildWeight: options.minChildWeight ?? Math.max(1, examples.length / 5000),
    lambda: options.lambda,
    skip: (options.skipFeatures ?? []).map((name) => FEATURE_NAMES.indexOf(name)),
    monotone: FEATURE_NAMES.map((name) => options.monotone?.[name] ?? 0),
    seed: options.seed,
  });
}

/**
 * Trains in time order: the last `validationFraction` of examples (by time) picks the review threshold for a
 * model fitted on the rest, then the model is refitted on everything with that threshold. Nothing later than
 * an example is ever used to build the features of that example (see `memory.ts`).
 */
export function trainFraudModel(examples: readonly Example[], options: TrainOptions = {}): FraudModel {
  const ordered = examples.slice().sort((a, b) => a.atMs - b.atMs);
  // Each group (shop, stream) keeps its own time line, so every group has its own latest part in the tail.
  const fit: Example[] = [], tail: Example[] = [];
  for (const group of new Set(ordered.map((e) => e.group ?? ""))) {
    const own = ordered.filter((e) => (e.group ?? "") === group);
    const cut = Math.floor(own.length * (1 - (options.validationFraction ?? 0.2)));
    fit.push(...own.slice(0, cut));
    tail.push(...own.slice(cut));
  }
  const first = boost(fit, options);
  const tailMargins = tail.map((e) => predictMargin(first, e.features));
  const groups = tail.map((e) => e.group ?? "");
  const picked = new Set(groups).size > 1
    ? pickThresholdAcrossGroups(tailMargins, tail.map((e) => e.isFraud), groups)
    : pickThreshold(tailMargins, tail.map((e) => e.isFraud), options.minPrecision);
  const curve = thresholdCurve(tail, tailMargins.map((m) => m - picked.margin));
  const trees = boost(ordered, options);
  return {
    kind: "boosted_trees",
    features: [...FEATURE_NAMES],
    trees,
    reviewMargin: sameFlagCount(
      tailMargins,
      picked.margin,
      tail.map((e) => predictMargin(trees, e.features)),
    ),
    trainedAt: (options.now ?? new Date()).toISOString(),
    training: {
      rows: ordered.length,
      fraud: ordered.filter((e) => e.isFraud).length,
      validationRows: tail.length,
      validation: { precision: picked.precision, recall: picked.recall, f1: picked.f1 },
      source: options.source ?? "shop labels",
      curve,
    },
  };
}

/**
 * The refitted model's margins are on another scale than the first fit's (more data, the tail now seen), so
 * its review margin is the one that flags as many of the tail's sales as the picked margin did.
 */
function sameFlagCount(
  firstMargins: readonly number[],
  picked: number,
  refitMargins: readonly number[],
): number {
  const flagged = firstMargins.filter((m) => m >= picked).length;
  if (flagged === 0) return Math.max(...refitMargins) + 1e-9;
  return refitMargins.slice().sort((a, b) => b - a)[flagged - 1];
}

const DAY_MS = 86_400_000;

/** Precision, recall and load per day at score thresholds 5, 10, ... 95 (margins relative to the review). */
export function thresholdCurve(tail: readonly Example[], relativeMargins: readonly number[]): CurvePoint[] {
  const labels = tail.map((e) => e.isFraud);
  const times = tail.map((e) => e.atMs);
  const days = Math.max(1, (Math.max(...times) - Math.min(...times)) / DAY_MS);
  const points: CurvePoint[] = [];
  for (let score = 5; score <= 95; score += 5) {
    const threshold = Math.log(score / (100 - score));
    const flagged = relativeMargins.filter((m) => m >= threshold).length;
    const m = measure(relativeMargins, labels, threshold);
    points.push({
      score,
      precision: m.precision,
      recall: m.recall,
      flaggedPerDay: Math.round(flagged / days * 10) / 10,
    });
  }
  return points;
}

/** The 0-100 score: 50 exactly at the validated review margin, 85 about 1.7 log-odds above it. */
export function modelScore(model: FraudModel, features: ArrayLike<number>): number {
  return Math.round(1000 * sigmoid(predictMargin(model.trees, features) - model.reviewMargin)) / 10;
}

/** Features that pushed this score up, largest first, with their share of the margin. */
export function topContributions(
  model: FraudModel,
  features: ArrayLike<number>,
  limit = 3,
): { feature: FeatureName; logOdds: number }[] {
  const parts = contributions(model.trees, features);
  return Array.from(parts, (logOdds, i) => ({ feature: model.features[i] as FeatureName, logOdds }))
    .filter((c) => c.logOdds > 0.05)
    .sort((a, b) => b.logOdds - a.logOdds)
    .slice(0, limit);
}

/** Throws when a stored model does not match this build's features (then the rules score alone). */
export function assertModelFits(model: FraudModel): void {
  if (model.kind !== "boosted_trees" || model.features.join(",") !== FEATURE_NAMES.join(",")) {
    throw new Error("The fraud model was trained on other features; retrain it.");
  }
}
