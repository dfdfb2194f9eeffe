/**
 * The score a sale gets in the request: the rules first (hard lists), then the active model (or the shipped
 * prior) over the sale's features, with reasons from the features that pushed the score up.
 */
import { decide, scoreTransaction } from "../score.ts";
import type { FraudRules } from "../rules.ts";
import type { FraudHistory, FraudReason, FraudScore, FraudTransaction, ReasonCode } from "../types.ts";
import { isHighResale } from "../checks/high_resale.ts";
import { computeFeatures, customerStats } from "./features.ts";
import { modelScore, topContributions } from "./model.ts";
import type { SaleModelInput } from "./sale_model_input.ts";
import { pastOrders } from "./entity_queries.ts";
import {
  combineScores,
  firedLinkRules,
  LINK_RULE_SCORE,
  linkFlagsOf,
  SHOP_INDEPENDENT_RULES,
} from "./combine.ts";
import { describeFeature, modelReasons } from "./reasons.ts";
import { FEATURE_NAMES } from "./feature_names.ts";
import { calibratedPriorScore } from "./operating_point.ts";
import { confirmedDeviceMessage } from "./confirmed_device.ts";

/**
 * A sale's verdict, and at cold start the prior's own score and the link rules that fired (both stored: the
 * operating point is derived from them).
 */
export interface SaleVerdict extends FraudScore {
  priorScore?: number;
  /** `linkFlagsOf` the sale's features, at cold start (every rule that fired, muted in the shop or not). */
  linkFlags?: number;
  /** The model's inputs as this sale computed them (absent without a model): the parity check compares them. */
  features?: Float64Array;
}

/** Scores a sale with the rules and, when given, a model. Pure. */
export function scoreSale(
  tx: FraudTransaction,
  history: FraudHistory,
  rules: FraudRules,
  now: Date,
  model: SaleModelInput | null,
): SaleVerdict {
  const verdict = scoreTransaction(tx, history, rules, now);
  if (!model) return verdict;
  // the rules' history (at least 30 days, 180 by default) cut to the features' windows, as the replay cuts them
  const stats = {
    ...model.stats,
    ...customerStats(pastOrders(history.transactions), tx.createdAt.getTime()),
  };
  const features = computeFeatures(tx, model.identity, stats, {
    timeZone: rules.timeZone,
    highResale: (category) => isHighResale(category, rules),
  });
  // At cold start the prior's score is read at the shop's operating point (it becomes the review threshold).
  const rawModel = modelScore(model.model, features);
  const fromModel = model.kind === "prior"
    ? calibratedPriorScore(rawModel, model.operatingPoint ?? null, rules.thresholds.review)
    : rawModel;
  // a link rule that is this shop's norm (the operating point's window) does not count
  const muted = model.kind === "prior" ? model.operatingPoint?.mutedLinks ?? [] : [];
  const confirmed = model.confirmedDevice !== undefined;
  const score = combineScores(verdict, fromModel, model.kind, rules.thresholds, features, muted, confirmed);
  const blocked = verdict.score >= rules.thresholds.block;
  // A link rule that set the score explains it in the same words as the model's feature would; the device of
  // a confirmed fraud in its own.
  const setByLink = !blocked && score === LINK_RULE_SCORE && score > fromModel;
  // The rules' own reasons stay when the rules set or share the score (block list, velocity block); at cold
  // start only the rules that counted (the shop-independent ones) are given as reasons, and with the shop's
  // own model none of the others (the model or a link decided the score).
  const ruleReasons = (score === fromModel || setByLink) && model.kind === "shop"
    ? verdict.reasons.filter((reason) => reason.code === "block_list")
    : model.kind === "prior" && !blocked
    ? verdict.reasons.filter((reason) => SHOP_INDEPENDENT_RULES.has(reason.code as ReasonCode))
    : verdict.reasons;
  const linked = model.kind === "prior" && setByLink ? firedLinkRules(features, muted) : [];
  const byConfirmed = setByLink && confirmed;
  const share = Math.round(10 * LINK_RULE_SCORE / (linked.length + (byConfirmed ? 1 : 0))) / 10;
  const linkReasons: FraudReason[] = linked.map((feature) => ({
    code: feature,
    message: describeFeature(feature, features[FEATURE_NAMES.indexOf(feature)], rules.currency),
    contribution: share,
  }));
  if (byConfirmed) {
    linkReasons.push({
      code: "confirmed_fraud_device",
      message: confirmedDeviceMessage(model.confirmedDevice?.orderRef),
      contribution: share,
    });
  }
  const reasons = [
    ...ruleReasons,
    ...linkReasons,
    ...modelReasons(fromModel, topContributions(model.model, features), features, rules.currency)
      .filter((reason) => !linked.includes(reason.code)),
  ].sort((a, b) => b.contribution - a.contribution) as FraudReason[];
  let decision = decide(score, rules);
  if (decision === "block" && history.allowListed) decision = "review";
  return model.kind === "prior"
    ? { score, decision, reasons, priorScore: rawModel, linkFlags: linkFlagsOf(features), features }
    : { score, decision, reasons, features };
}
