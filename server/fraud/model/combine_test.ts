import assert from "node:assert/strict";
import {
  combineScores,
  firedLinkRules,
  LINK_RULE_SCORE,
  linkFlagsOf,
  shopIndependentRulesScore,
} from "./combine.ts";
import { DEFAULT_FRAUD_RULES } from "../rules.ts";
import { FEATURE_NAMES, type FeatureName } from "./feature_names.ts";
import type { FraudScore } from "../types.ts";

const thresholds = DEFAULT_FRAUD_RULES.thresholds;

function verdict(parts: [string, number][]): FraudScore {
  // Noisy-OR of the parts, shared in proportion to -ln(1 - p), as score.ts does.
  const logs = parts.map(([, p]) => -Math.log(1 - p));
  const total = logs.reduce((a, b) => a + b, 0);
  const score = 100 * (1 - Math.exp(-total));
  return {
    score,
    decision: "allow",
    reasons: parts.map(([code], i) => ({
      code: code as FraudScore["reasons"][number]["code"],
      message: code,
      contribution: score * logs[i] / total,
    })),
  };
}

function features(values: Partial<Record<FeatureName, number>>): Float64Array {
  return Float64Array.from(FEATURE_NAMES, (name) => values[name] ?? NaN);
}

Deno.test("cold start counts only the shop-independent part of the rules", () => {
  const both = verdict([["amount_above_history", 0.4], ["new_payment_method", 0.3]]);
  assert.ok(both.score > 55);
  // The subset's own noisy-OR: exactly what amount_above_history alone would have scored.
  assert.ok(Math.abs(shopIndependentRulesScore(both) - 40) < 0.11, String(shopIndependentRulesScore(both)));
  assert.equal(shopIndependentRulesScore(verdict([["new_payment_method", 0.3]])), 0);
  assert.ok(Math.abs(combineScores(both, 10, "prior", thresholds) - 40) < 0.11);
  // A shop's own model decides alone; without a model the whole rules score stands.
  assert.equal(combineScores(both, 10, "shop", thresholds), 10);
  assert.equal(combineScores(both, null, "prior", thresholds), both.score);
});

Deno.test("block-list and velocity blocks still decide first", () => {
  assert.equal(combineScores(verdict([["block_list", 0.2]]), 5, "prior", thresholds), 100);
  const block = verdict([["velocity_count", 0.95], ["new_payment_method", 0.5]]);
  assert.ok(block.score >= thresholds.block);
  assert.equal(combineScores(block, 3, "prior", thresholds), block.score);
});

Deno.test("link rules raise a cold-start score to review; missing identity never fires", () => {
  const none = verdict([]);
  assert.deepEqual(firedLinkRules(features({})), []);
  assert.equal(combineScores(none, 12, "prior", thresholds, features({})), 12);
  for (
    const [values, fired] of [
      [{ card_accounts: 1 }, "card_accounts"],
      [{ device_accounts: 3 }, "device_accounts"],
      [{ linked_declines_24h: 3 }, "linked_declines_24h"],
      [{ account_age_minutes: 0.05 }, "account_age_minutes"],
    ] as const
  ) {
    assert.deepEqual(firedLinkRules(features(values)), [fired]);
    assert.equal(combineScores(none, 12, "prior", thresholds, features(values)), LINK_RULE_SCORE);
    assert.equal(combineScores(none, 12, "shop", thresholds, features(values)), 12);
  }
  assert.deepEqual(
    firedLinkRules(features({ card_accounts: 0, device_accounts: 2, account_age_minutes: 5 })),
    [],
  );
  assert.equal(combineScores(none, 90, "prior", thresholds, features({ card_accounts: 2 })), 90);
});

Deno.test("a stored sale's link flags combine as its features did, muted rules included", () => {
  const none = verdict([]);
  for (
    const values of [{}, { card_accounts: 1 }, { device_accounts: 3, account_age_minutes: 0.05 }, {
      linked_declines_24h: 3,
    }]
  ) {
    const stored = { flags: linkFlagsOf(features(values)) };
    for (
      const muted of [[], ["card_accounts"], ["device_accounts", "linked_declines_24h"]] as FeatureName[][]
    ) {
      assert.equal(
        combineScores(none, 12, "prior", thresholds, stored, muted),
        combineScores(none, 12, "prior", thresholds, features(values), muted),
        `${JSON.stringify(values)} muted ${muted}`,
      );
    }
  }
  assert.equal(combineScores(none, 12, "prior", thresholds, { flags: 1 }), LINK_RULE_SCORE);
  assert.equal(combineScores(none, 12, "prior", thresholds, { flags: 1 }, ["card_accounts"]), 12);
});
