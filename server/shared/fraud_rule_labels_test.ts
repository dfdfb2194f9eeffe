import assert from "node:assert/strict";
import { fraudRuleLabel } from "./fraud_rule_labels.ts";

Deno.test("fraudRuleLabel() names each rule code as the rules editor does", () => {
  const cases: [string, string][] = [
    ["block_list", "Block list"],
    ["velocity_count", "Velocity (count)"],
    ["amount_above_history", "Amount above own history"],
    ["new_customer_high_value", "New customer, high value"],
    ["some_future_rule", "some_future_rule"],
  ];
  for (const [code, label] of cases) assert.equal(fraudRuleLabel(code), label, code);
});
