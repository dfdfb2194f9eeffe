import assert from "node:assert/strict";
import { DEFAULT_FRAUD_RULES, fraudRulesSchema } from "./rules.ts";

Deno.test("fraudRulesSchema accepts the default rules unchanged", () => {
  assert.deepEqual(fraudRulesSchema.parse(DEFAULT_FRAUD_RULES), DEFAULT_FRAUD_RULES);
});

Deno.test("fraudRulesSchema rejects inverted thresholds, weights above 1 and unknown time zones", () => {
  const bad = [
    { ...DEFAULT_FRAUD_RULES, thresholds: { review: 90, block: 80 } },
    { ...DEFAULT_FRAUD_RULES, velocityCount: { weight: 1.5 } },
    { ...DEFAULT_FRAUD_RULES, timeZone: "Mars/Olympus" },
    { ...DEFAULT_FRAUD_RULES, velocityWindows: [] },
  ];
  for (const rules of bad) {
    assert.equal(fraudRulesSchema.safeParse(rules).success, false, JSON.stringify(rules).slice(0, 80));
  }
});
