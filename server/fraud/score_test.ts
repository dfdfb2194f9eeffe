import assert from "node:assert/strict";
import { DEFAULT_FRAUD_RULES, type FraudRules } from "./rules.ts";
import { decide, scoreTransaction } from "./score.ts";
import { ago, history, NOW, order, past, series } from "./checks/_fixtures.ts";

const RULES = DEFAULT_FRAUD_RULES;

Deno.test("decide() applies the review and block thresholds inclusively", () => {
  const cases: [number, string][] = [[0, "allow"], [49.9, "allow"], [50, "review"], [84.9, "review"], [
    85,
    "block",
  ], [
    100,
    "block",
  ]];
  for (const [score, decision] of cases) assert.equal(decide(score, RULES), decision, `score ${score}`);
});

Deno.test("scoreTransaction() gives an ordinary order 0 and no reasons", () => {
  assert.deepEqual(scoreTransaction(order(), history([past(5 * 24 * 60)]), RULES, NOW), {
    score: 0,
    decision: "allow",
    reasons: [],
  });
});

Deno.test("scoreTransaction() combines rules as a noisy-OR and splits the score among the reasons", () => {
  // Card testing: 4 attempts in 2 minutes (velocity 0.6 x 0.75), 3 declines (0.55 x 2/3), 5 methods (0.5 x 5/6).
  const attempts = series(
    3,
    0.3,
    0.3,
    (i) => ({ status: "declined", paymentMethod: `card_${i}`, totalCents: 900 }),
  );
  const tx = order({ paymentMethod: "card_x", customerCreatedAt: ago(20) });
  const result = scoreTransaction(
    tx,
    history([...attempts, past(30, { paymentMethod: "card_y" })]),
    RULES,
    NOW,
  );
  const p = [0.6 * 0.75, 0.55 * (0.5 + 0.5 * 1 / 3), 0.5 * (0.5 + 0.5 * 2 / 3)];
  const expected = 100 * (1 - p.reduce((acc, x) => acc * (1 - x), 1));
  assert.equal(result.score, Math.round(expected * 10) / 10);
  assert.equal(result.decision, "review");
  assert.deepEqual(result.reasons.map((r) => r.code).sort(), [
    "declined_attempts",
    "payment_methods",
    "velocity_count",
  ]);
  const sum = result.reasons.reduce((acc, r) => acc + r.contribution, 0);
  assert.ok(Math.abs(sum - result.score) < 0.2, `contributions ${sum} vs score ${result.score}`);
  assert.ok(result.reasons[0].contribution >= result.reasons.at(-1)!.contribution, "largest first");
  for (const reason of result.reasons) assert.match(reason.message, /^[A-Z0-9$].+\)$/);
});

Deno.test("scoreTransaction() blocks a block-listed customer and the allow list caps the decision at review", () => {
  const blocked = scoreTransaction(order(), history([], { blockListed: true }), RULES, NOW);
  assert.equal(blocked.score, 100);
  assert.equal(blocked.decision, "block");
  assert.equal(blocked.reasons[0].code, "block_list");
  // A blatant reseller order on an allow-listed account is reviewed, never blocked outright.
  const phones = { productId: "P9", category: "phones", unitPriceCents: 90_000, quantity: 12 };
  const tx = order({ items: [phones], totalCents: 1_080_000, customerCreatedAt: ago(30) });
  const stats = { productQuantityStats: { P9: { median: 1, mad: 0, count: 100 } } };
  assert.equal(scoreTransaction(tx, history([], stats), RULES, NOW).decision, "block");
  const allowed = scoreTransaction(tx, history([], { ...stats, allowListed: true }), RULES, NOW);
  assert.equal(allowed.decision, "review");
});

Deno.test("scoreTransaction() ignores a rule whose weight is 0", () => {
  const rules: FraudRules = structuredClone(RULES);
  rules.blockList.weight = 0;
  assert.equal(scoreTransaction(order(), history([], { blockListed: true }), rules, NOW).score, 0);
});

Deno.test("scoreTransaction() never reads the transaction's own status or history after now", () => {
  const future = series(6, -10, 0.2, () => ({ status: "declined" }));
  const a = scoreTransaction(order({ status: "declined" }), history(future), RULES, NOW);
  assert.deepEqual(a, { score: 0, decision: "allow", reasons: [] });
});
