import assert from "node:assert/strict";
import {
  combineScores,
  commonLinkRules,
  firedLinkRules,
  LINK_RULE_SCORE,
  LINK_RULES,
  linkFlagsOf,
  linkSharesOf,
} from "./combine.ts";
import {
  operatingPointOf,
  type OperatingPointOptions,
  operatingPointsInForce,
  parseOperatingOption,
} from "./operating_point.ts";
import { DEFAULT_FRAUD_RULES } from "../rules.ts";
import { FEATURE_NAMES, type FeatureName } from "./feature_names.ts";

const DAY = 86_400_000;
const OPTIONS: OperatingPointOptions = { maxReviewRate: 0.05, windowDays: 30, minSales: 100 };
const CARD = LINK_RULES.findIndex((rule) => rule.feature === "card_accounts");
const DEVICE = LINK_RULES.findIndex((rule) => rule.feature === "device_accounts");
const none = { score: 0, decision: "allow" as const, reasons: [] };

function features(values: Partial<Record<FeatureName, number>>): Float64Array {
  return Float64Array.from(FEATURE_NAMES, (name) => values[name] ?? NaN);
}

Deno.test("linkFlagsOf: one bit per fired rule in LINK_RULES' order (the stored format)", () => {
  // The order is stored with every prior-scored sale: changing it would misread the stored flags.
  assert.deepEqual(LINK_RULES.map((rule) => rule.feature), [
    "card_accounts",
    "device_accounts",
    "linked_declines_24h",
    "account_age_minutes",
  ]);
  assert.equal(linkFlagsOf(features({})), 0);
  assert.equal(linkFlagsOf(features({ card_accounts: 2 })), 0b0001);
  assert.equal(linkFlagsOf(features({ device_accounts: 3, account_age_minutes: 0.05 })), 0b1010);
  assert.equal(linkFlagsOf(features({ device_accounts: 2, linked_declines_24h: 3 })), 0b0100);
  assert.deepEqual(
    linkSharesOf([{ score: 10, flags: 0b0001, n: 4 }, { score: 60, flags: 0b1011, n: 2 }, {
      score: 10,
      flags: 0,
      n: 94,
    }]),
    [0.06, 0.02, 0, 0.02],
  );
});

/** A window of 1,000 sales: `flagged` of them scored 60 by the prior (the rest 10); `fired` fired `bit`, and
 * `firedFlagged` of those are among the prior's flagged ones. */
function window(flagged: number, fired: number, firedFlagged: number, bit = 1 << CARD) {
  return [
    { score: 60, flags: bit, n: firedFlagged },
    { score: 10, flags: bit, n: fired - firedFlagged },
    { score: 60, flags: 0, n: flagged - firedFlagged },
    { score: 10, flags: 0, n: 1000 - flagged - (fired - firedFlagged) },
  ];
}

Deno.test("commonLinkRules: common in the shop and no riskier to the prior than its other sales: muted", () => {
  // a B2B shop: 23% of sales on a shared company card, the prior flags 2% of those and 5% of all sales
  assert.deepEqual(commonLinkRules(window(50, 230, 5), 0.05), ["card_accounts"]);
  // the same share, but the prior flags 90% of them (launch-day bots): a fraud signal, kept
  assert.deepEqual(commonLinkRules(window(250, 230, 207), 0.05), []);
  // flagged exactly as often as the rest (5%): no sign of risk, muted
  assert.deepEqual(commonLinkRules(window(50, 200, 10), 0.05), ["card_accounts"]);
  // rare: 7.1% at a 5% ceiling is the most a rule right 7 times in 10 can fire on; kept however it looks
  assert.deepEqual(commonLinkRules(window(50, 71, 0), 0.05), []);
  assert.deepEqual(commonLinkRules(window(50, 72, 0), 0.05), ["card_accounts"]);
  // a shop whose admin allows 10% to review tolerates a rule on up to 14.3%
  assert.deepEqual(commonLinkRules(window(50, 140, 0), 0.1), []);
  // each rule on its own sales
  const both = [...window(50, 230, 5), { score: 60, flags: 1 << DEVICE, n: 100 }];
  assert.deepEqual(commonLinkRules(both, 0.05), ["card_accounts"]);
  assert.deepEqual(commonLinkRules([], 0.05), []);
});

Deno.test("a muted link rule neither sets the cold-start score nor is given as its reason", () => {
  const thresholds = DEFAULT_FRAUD_RULES.thresholds;
  const shared = features({ card_accounts: 1, device_accounts: 4 });
  assert.equal(combineScores(none, 12, "prior", thresholds, shared), LINK_RULE_SCORE);
  assert.equal(combineScores(none, 12, "prior", thresholds, shared, ["card_accounts"]), LINK_RULE_SCORE);
  assert.deepEqual(firedLinkRules(shared, ["card_accounts"]), ["device_accounts"]);
  assert.equal(
    combineScores(none, 12, "prior", thresholds, shared, ["card_accounts", "device_accounts"]),
    12,
  );
  // the prior's own score and the rules still count in full
  assert.equal(
    combineScores(none, 64, "prior", thresholds, shared, ["card_accounts", "device_accounts"]),
    64,
  );
});

Deno.test("operatingPointOf: the window's link flags decide which rules the shop mutes, with the shares", () => {
  // 1,000 sales: 23% on a shared card, all scored 10 by the prior; 50 others at 60
  const scores = Array.from({ length: 1000 }, (_, i) => i < 50 ? 60 : 10);
  const flags = Array.from({ length: 1000 }, (_, i) => i >= 50 && i < 280 ? 1 << CARD : 0);
  const point = operatingPointOf(scores, 30, OPTIONS, flags)!;
  assert.deepEqual(point.mutedLinks, ["card_accounts"]);
  assert.deepEqual(point.linkShares, [0.23, 0, 0, 0]);
  assert.equal(point.reviewRate, 0.05, "the threshold reads every score once, whatever its flags");
  // the measuring option of every link everywhere (the behaviour before session 11)
  assert.deepEqual(operatingPointOf(scores, 30, { ...OPTIONS, everyLink: true }, flags)!.mutedLinks, []);
  assert.equal(parseOperatingOption("links:0")?.everyLink, true);
  // without flags (a replay that did not carry them) the point says nothing about link rules
  assert.equal(operatingPointOf(scores, 30, OPTIONS)!.mutedLinks, undefined);
  // too few sales: no point, every link rule counts
  assert.equal(operatingPointOf(scores.slice(0, 99), 30, OPTIONS, flags.slice(0, 99)), null);
});

Deno.test("operatingPointOf: a tie at the cut split by link flags is still seen whole", () => {
  // 100 sales: 5 at 90, then 4 + 4 at 80 (split by flags), the rest at 10; a 9% cap allows 9: the first
  // half of the tie would fit, the whole tie does not
  const scores = [...Array(5).fill(90), ...Array(8).fill(80), ...Array(87).fill(10)];
  const flags = scores.map((_, i) => i >= 5 && i < 9 ? 1 << DEVICE : 0);
  const point = operatingPointOf(scores, 3, { ...OPTIONS, maxReviewRate: 0.09 }, flags)!;
  assert.equal(point.priorThreshold, 90);
  assert.equal(point.reviewRate, 0.05);
});

Deno.test("operatingPointsInForce: a day's muted rules come from the days before it only", () => {
  const start = Date.UTC(2026, 0, 1);
  // days 0-1: 150 sales a day, 2% share a card; day 2: every sale shares a card; day 3: one sale
  const sales = [0, 1, 2].flatMap((day) =>
    Array.from({ length: 150 }, (_, i) => ({
      atMs: start + day * DAY + i * 1000,
      priorScore: 20,
      linkFlags: day === 2 || i < 3 ? 1 << CARD : 0,
    }))
  );
  sales.push({ atMs: start + 3 * DAY, priorScore: 20, linkFlags: 1 << DEVICE });
  const points = operatingPointsInForce(sales, OPTIONS);
  assert.equal(points[0], null, "no earlier day");
  assert.deepEqual(points[150]!.mutedLinks, [], "day 1: 2% of day 0's sales");
  assert.deepEqual(points[300]!.mutedLinks, [], "day 2's own sales do not count for day 2");
  assert.deepEqual(points[449]!.mutedLinks, [], "nor a later sale of day 2");
  assert.deepEqual(points[450]!.mutedLinks, ["card_accounts"], "day 3: 156 of 450 shared a card");
  assert.ok(Math.abs(points[450]!.linkShares![CARD] - 156 / 450) < 1e-12);
  // a replay without flags on every sale gives no link verdict
  const unflagged = operatingPointsInForce(
    sales.map(({ atMs, priorScore }) => ({ atMs, priorScore })),
    OPTIONS,
  );
  assert.equal(unflagged[450]!.mutedLinks, undefined);
});
