/**
 * The model in force as the Fraud page shows it: the shop's active version or, without one, the shipped
 * prior; its backtest (validation tail) figures and threshold curve, its most used features, and how many
 * sales were labeled since the last training (labels flowing back).
 */
import type { Sql } from "../../db/mod.ts";
import { featureUse } from "./boosting.ts";
import type { CurvePoint, FraudModel } from "./model.ts";
import { loadPriorModel } from "./prior.ts";
import { operatingPointFor, type StoredOperatingPoint } from "./operating_point_queries.ts";
import { LINK_RULES } from "./combine.ts";
import type { FeatureName } from "./feature_names.ts";

/** The shop's cold-start operating point as the page shows it (the prior only). */
export interface OperatingPointSummary {
  /** The prior's own score at or above which a sale goes to review (50: the shared threshold). */
  priorThreshold: number;
  /** Share of the window's sales sent to review at it, and at the shared threshold. */
  reviewRate: number;
  sharedReviewRate: number;
  /** Expected sales to review per day (the window's rate of sales times the review rate). */
  reviewsPerDay: number;
  sales: number;
  days: number;
  /** The most of the shop's sales the prior may send to review. */
  maxReviewRate: number;
  /** The point followed the shop's labels: its ceiling is their proposal of the day when there was one. */
  fromLabels: boolean;
  /** In force for sales from (ISO time, a UTC day start). */
  effectiveFrom: string;
  /**
   * Each link rule with the share of the window's sales it fired on, and whether it counts in this shop (a
   * rule that is the shop's norm does not: `commonLinkRules`). Empty on a point computed without the shares.
   */
  linkRules: { feature: FeatureName; share: number; counts: boolean }[];
}

export function summariseOperatingPoint(point: StoredOperatingPoint): OperatingPointSummary {
  return {
    priorThreshold: point.priorThreshold,
    reviewRate: point.reviewRate,
    sharedReviewRate: point.sharedReviewRate,
    reviewsPerDay: point.reviewRate * point.sales / Math.max(1, point.days),
    sales: point.sales,
    days: point.days,
    maxReviewRate: point.maxReviewRate,
    fromLabels: point.fromLabels,
    effectiveFrom: point.effectiveFrom.toISOString(),
    linkRules: (point.linkShares ?? []).slice(0, LINK_RULES.length).map((share, i) => ({
      feature: LINK_RULES[i].feature,
      share,
      counts: !(point.mutedLinks ?? []).includes(LINK_RULES[i].feature),
    })),
  };
}

/** A summary of the model that scores sales now. */
export interface ModelInForce {
  /** The active version, or null while the shipped prior scores. */
  version: number | null;
  trainedAt: string;
  source: string;
  rows: number;
  fraud: number;
  validationRows: number;
  validation: { precision: number; recall: number; f1: number };
  curve: CurvePoint[];
  topFeatures: { feature: string; share: number }[];
  /** At cold start: the shop's own operating point, null while too few sales were scored by the prior. */
  operatingPoint: OperatingPointSummary | null;
}

/** Share of the trees' splits each feature takes, largest first. */
export function topFeatures(model: FraudModel, limit = 8): { feature: string; share: number }[] {
  const use = featureUse(model.trees);
  const total = use.reduce((a, b) => a + b, 0) || 1;
  return Array.from(use, (u, i) => ({ feature: model.features[i], share: u / total }))
    .filter((f) => f.share > 0)
    .sort((a, b) => b.share - a.share)
    .slice(0, limit);
}

export function summarise(
  model: FraudModel,
  version: number | null,
  point: StoredOperatingPoint | null = null,
): ModelInForce {
  return {
    version,
    trainedAt: model.trainedAt,
    source: model.training.source,
    rows: model.training.rows,
    fraud: model.training.fraud,
    validationRows: model.training.validationRows,
    validation: model.training.validation,
    curve: model.training.curve ?? [],
    topFeatures: topFeatures(model),
    operatingPoint: point ? summariseOperatingPoint(point) : null,
  };
}

async function activeVersionFresh(sql: Sql): Promise<{ version: number; model: FraudModel } | undefined> {
  const [row] = await sql<[{ version: number; model: FraudModel }?]>`
    select version, model from fraud_models where status = 'active'`;
  return row;
}

/** Reads the active version fresh (not the scoring cache: the page must show an activation at once). */
export async function modelInForce(sql: Sql): Promise<ModelInForce> {
  const row = await activeVersionFresh(sql);
  if (row) return summarise(row.model, row.version);
  return summarise(
    await loadPriorModel(),
    null,
    await operatingPointFor(sql, new Date(), undefined, { fresh: true }),
  );
}

/** Today's cold-start operating point read fresh (computed again under a changed ceiling); null with a model. */
export async function operatingPointNow(sql: Sql): Promise<OperatingPointSummary | null> {
  if (await activeVersionFresh(sql)) return null;
  const point = await operatingPointFor(sql, new Date(), undefined, { fresh: true });
  return point ? summariseOperatingPoint(point) : null;
}

/** Sales labeled since the newest training run (all labeled sales when none ran yet). */
export async function labelsSinceTraining(sql: Sql): Promise<number> {
  const [row] = await sql<[{ count: number }]>`
    select count(*)::int as count from transactions
    where fraud_label is not null
      and labeled_at > coalesce((select max(created_at) from fraud_models), '-infinity'::timestamptz)`;
  return row.count;
}
