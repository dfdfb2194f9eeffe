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

/**
 * A sale's fired link rules as bits in `LINK_RULES`' order (bit i = rule i), stored with each prior-scored sale
 * (`transactions.fraud_link_flags`) so the operating point can count them. The order is part of that stored
 * format: a new rule goes at the end.
 */
export function linkFlagsOf(features: ArrayLike<number>): number {
  let flags = 0;
  LINK_RULES.forEach((rule, i) => {
    if (ruleFires(rule, features)) flags |= 1 << i;
  });
  return flags;
}

/**
 * The precision a link rule must be able to reach in a shop to count there: the screen's own aim (issue #15:
 * recall 0.8 at precision 0.7). A rule firing on a share s of a shop's sales, where at most a share c can
 * plausibly be fraud (the review ceiling), has precision at most c / s.
 */
export const LINK_PRECISION_AIM = 0.7;

/** Sales of a shop's window grouped by the prior's own score and the link rules they fired (`linkFlagsOf`). */
export interface LinkGroup {
  score: number;
  flags: number;
  n: number;
}

/** The prior's own score from which it flags a sale by itself (its shared review threshold). */
const PRIOR_FLAGS_AT = 50;

/**
 * The link rules that are this shop's habit rather than a fraud signal (session 11). A rule is muted when both
 * hold in the window, and no label is read:
 * - it fires on more than `maxReviewRate / LINK_PRECISION_AIM` of the sales (7.1% at the default 5% ceiling):
 *   even if all of the shop's plausible fraud were among them, it would be right less than 7 times in 10;
 * - the prior, which reads every other signal too, flags the sales it fires on no more often than the shop's
 *   sales at large: they look like the shop's ordinary sales. A B2B shop's colleagues sharing a company card
 *   pass both; launch-day bots sharing a device are as common on their days, but the prior flags nearly all of
 *   them (session 11's first measurement muted on share alone and lost those shops' recall).
 */
export function commonLinkRules(groups: readonly LinkGroup[], maxReviewRate: number): FeatureName[] {
  const total = groups.reduce((sum, g) => sum + g.n, 0);
  if (total <= 0) return [];
  const flaggedShare = groups.reduce((sum, g) => sum + (g.score >= PRIOR_FLAGS_AT ? g.n : 0), 0) / total;
  const most = maxReviewRate / LINK_PRECISION_AIM;
  return LINK_RULES.filter((_, i) => {
    let fired = 0, firedFlagged = 0;
    for (const g of groups) {
      if (!(g.flags & (1 << i))) continue;
      fired += g.n;
      if (g.score >= PRIOR_FLAGS_AT) firedFlagged += g.n;
    }
    return fired / total > most && firedFlagged / fired <= flaggedShare;
  }).map((rule) => rule.feature);
}

/** Share of the window's sales that fired each link rule, in `LINK_RULES`' order. */
export function linkSharesOf(groups: readonly LinkGroup[]): number[] {
  const total = groups.reduce((sum, g) => sum + g.n, 0);
  return LINK_RULES.map((_, i) =>
    total > 0 ? groups.reduce((sum, g) => sum + (g.flags & (1 << i) ? g.n : 0), 0) / total : 0
  );
}

/** The link rules that fire on a sale's features (missing values never fire), less those `muted` in the shop. */
export function firedLinkRules(
  features: ArrayLike<number>,
  muted: readonly FeatureName[] = [],
): FeatureName[] {
  return LINK_RULES.filter((rule) => ruleFires(rule, features) && !muted.includes(rule.feature))
    .map((rule) => rule.feature);
}

// each link rule's place in the feature vector, looked up once (the sale path asks for every sale)
const LINK_RULE_INDEX = new Map(LINK_RULES.map((rule) => [rule, FEATURE_NAMES.indexOf(rule.feature)]));

function ruleFires(rule: (typeof LINK_RULES)[number], features: ArrayLike<number>): boolean {
  const value = features[LINK_RULE_INDEX.get(rule)!];
  if (Number.isNaN(value)) return false;
  return rule.atLeast !== undefined ? value >= rule.atLeast : value < rule.below!;
}

/** A stored sale's fired link rules (`transactions.fraud_link_flags`, `linkFlagsOf`), when its features are gone. */
export interface StoredLinkFlags {
  flags: number;
}

/**
 * The final score of a sale from the rules' verdict and, when a model is in force, the model's score. The
 * link rules are read from the sale's features, or from a stored sale's flags (the rules' backtest).
 * `confirmedDevice`: the sale's device was on a sale the shop confirmed as fraud and that rule counts in the
 * shop (`confirmed_device.ts`): at least review, whichever model scores it.
 */
export function combineScores(
  rules: FraudScore,
  model: number | null,
  kind: ModelKind,
  thresholds: FraudRules["thresholds"],
  links?: ArrayLike<number> | StoredLinkFlags,
  mutedLinks: readonly FeatureName[] = [],
  confirmedDevice = false,
): number {
  if (rules.reasons.some((reason) => reason.code === "block_list")) return 100;
  if (model === null || rules.score >= thresholds.block) return Math.max(rules.score, model ?? 0);
  const confirmed = confirmedDevice ? LINK_RULE_SCORE : 0;
  if (kind === "shop") return Math.max(model, confirmed);
  const fired = links === undefined
    ? false
    : "flags" in links
    ? LINK_RULES.some((rule, i) => (links.flags & (1 << i)) !== 0 && !mutedLinks.includes(rule.feature))
    : firedLinkRules(links, mutedLinks).length > 0;
  const linked = fired ? LINK_RULE_SCORE : 0;
  return Math.max(model, shopIndependentRulesScore(rules), linked, confirmed);
}
