import assert from "node:assert/strict";
import { sayRuleCondition, sayWindow } from "./rule_words.ts";
import { describeRuleCondition } from "./scoped_metrics.ts";
import { defaultAlertRules } from "./default_rules.ts";

const shop = { scopeType: "shop", scopeValue: null, compareTo: "absolute" } as const;

Deno.test("sayRuleCondition() reads each default rule as a sentence, not as a metric code and a symbol", () => {
  const said = Object.fromEntries(defaultAlertRules.map((rule) => [rule.name, sayRuleCondition(rule)]));
  assert.deepEqual(said, {
    "Out of stock": "More than 0 products out of stock",
    "Low stock: critical": "More than 0 products critically short",
    "Low stock: many products": "At least 10 products running low",
    "Sales drop against the same hour last week":
      "Revenue in the last hour at least 50% below the same time last week, for 15 minutes in a row",
    "Fraud spike": "At least 5 suspicious sales in the last hour",
    "Job failure": "More than 0 failed background jobs in the last hour",
  });
});

Deno.test("sayRuleCondition() says money, rates, one thing, scopes and changes against a baseline", () => {
  const cases: [Parameters<typeof sayRuleCondition>[0], string][] = [
    [
      { metric: "revenue_cents", comparator: "<", threshold: 50_000, windowMinutes: 120 },
      "Revenue below £500.00 in the last 2 hours",
    ],
    [
      { metric: "orders", comparator: "<=", threshold: 1, windowMinutes: 30 },
      "At most 1 order in the last 30 minutes",
    ],
    [
      {
        metric: "fraud_rate",
        comparator: ">=",
        threshold: 10,
        windowMinutes: 1_440,
        ...shop,
        scopeType: "payment_method",
        scopeValue: "apple_pay",
      },
      "Fraud rate paid by Apple Pay at or above 10% in the last day",
    ],
    [
      {
        metric: "revenue_cents",
        comparator: "<=",
        threshold: -30,
        windowMinutes: 60,
        scopeType: "category",
        scopeValue: "GPU",
        compareTo: "same_window_last_week",
      },
      "Revenue in category GPU in the last hour down by at least 30% against the same time last week",
    ],
    [
      {
        metric: "units",
        comparator: ">",
        threshold: 20,
        windowMinutes: 15,
        scopeType: "product",
        scopeValue: "SKU-1",
        compareTo: "previous_window",
      },
      "Units sold in product SKU-1 in the last 15 minutes up by more than 20% against the 15 minutes before",
    ],
  ];
  for (const [rule, sentence] of cases) assert.equal(sayRuleCondition(rule), sentence);
  assert.deepEqual([60, 45, 180, 2_880].map(sayWindow), [
    "the last hour",
    "the last 45 minutes",
    "the last 3 hours",
    "the last 2 days",
  ]);
});

Deno.test("a rule's alert is titled by the rule's name once; its message says the condition and the value", () => {
  const lowStock = defaultAlertRules.find((rule) => rule.name === "Low stock: many products")!;
  assert.deepEqual(
    describeRuleCondition({ ...lowStock, ...shop }, { value: 14, current: 14, baseline: null }),
    {
      title: "Low stock: many products",
      message: "At least 10 products running low: now 14",
    },
  );
});
