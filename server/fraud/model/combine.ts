/**
 * How the rules and the model share a decision. Hard rules decide first: a block-listed customer scores 100
 * and a rules score at the block threshold (velocity blocks) stands. Otherwise a shop's own trained model
 * decides the score. At cold start (the shipped prior, trained on generated shops only) the score is the
 * highest of the prior, the part of the rules that means the same in every shop (velocity, declines, lists,
 * amount against the customer's own history), and the link rules (signals that held in every generator:
 * a card or many devices shared between accounts, a purchase seconds after sign-up, declines on linked
 * entities). The rest of the rules (absolute amounts, new payment method, hours) depend on a shop's prices
 * and customers and only count once the shop's own model or its own tuning says so.
 */
import type { FraudRules } from "../rules.ts";
import type { FraudScore, ReasonCode } from "../types.ts";
import { FEATURE_NAMES, type FeatureName } from "./feature_names.ts";

/** Whose model is scoring: the shop's own (trained on its labels) or the shipped prior. */
export type ModelKind = "shop" | "prior";

/** Rules whose meaning does not depend on a shop's prices, customers or hours; they count at cold start. */
export const SHOP_INDEPENDENT_RULES: ReadonlySet<ReasonCode> = new Set<ReasonCode>([
  "block_list",
  "velocity_count",
  "velocity_amount",
  "declined_attempts",
  "recent_suspicion",
  "amount_above_history",
]);

/**
 * The rules score counting only the shop-independent rules. The rules combine as a noisy-OR and share the
 * score in proportion to -ln(1 - p), so a subset's own noisy-OR follows from its share of the contributions.
 */
export function shopIndependentRulesScore(rules: FraudScore): number {
  if (rules.score <= 0) return 0;
  const all = rules.reasons.reduce((sum, r) => sum + r.contribution, 0);
  const kept = rules.reasons.reduce(
    (sum, r) => sum + (SHOP_INDEPENDENT_RULES.has(r.code as ReasonCode) ? r.contribution : 0),
    0,
  );
  if (kept <= 0 || all <= 0) return 0;
  if (rules.score >= 100) return kept === all ? 100 : 99.9;
  const total = -Math.log(1 - rules.score / 100);
  return Math.round(1000 * (1 - Math.exp(-total * kept / all))) / 10;
}

/** The score a link rule gives: review, never an automatic block. */
export const LINK_RULE_SCORE = 75;

/**
 * Link rules: one feature at or above a level that was fraud nearly every time in every generator where it
 * occurred (docs/fraud.md). Chosen on the training seed of generators A-D; E was never looked at.
 */
export const LINK_RULES: readonly { feature: FeatureName; atLeast?: number; below?: number }[] = [
  { feature: "card_accounts", atLeast: 1 },
  { feature: "device_accounts", atLeast: 3 },
  { feature: "linked_declines_24h", atLeast: 3 },
  { feature: "account_age_minutes", below: 10 / 60 },
];

/** The link rules that fire on a sale's features (missing values never fire). */
export function firedLinkRules(features: ArrayLike<number>): FeatureName[] {
  return LINK_RULES.filter((rule) => {
    const value = features[FEATURE_NAMES.indexOf(rule.feature)];
    if (Number.isNaN(value)) return false;
    return rule.atLeast !== undefined ? value >= rule.atLeast : value < rule.below!;
  }).map((rule) => rule.feature);
}

/** The final score of a sale from the rules' verdict and, when a model is in force, the model's score. */
export function combineScores(
  rules: FraudScore,
  model: number | null,
  kind: ModelKind,
  thresholds: FraudRules["thresholds"],
  features?: ArrayLike<number>,
): number {
  if (rules.reasons.some((reason) => reason.code === "block_list")) return 100;
  if (model === null || rules.score >= thresholds.block) return Math.max(rules.score, model ?? 0);
  if (kind === "shop") return model;
  const linked = features && firedLinkRules(features).length > 0 ? LINK_RULE_SCORE : 0;
  return Math.max(model, shopIndependentRulesScore(rules), linked);
}
