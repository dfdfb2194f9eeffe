import assert from "node:assert/strict";
import { DEFAULT_FRAUD_RULES as RULES } from "../rules.ts";
import { checkNewCustomerHighValue } from "./new_customer.ts";
import { ago, input, order } from "./_fixtures.ts";

Deno.test("checkNewCustomerHighValue() fires on a high-value order from a young account only", () => {
  const day = 24 * 60;
  // [account age in minutes, total cents, expected strength]
  const cases: [number, number, number][] = [
    [10, 79_999, 0],
    [10, 80_000, 0.5],
    [10, 250_000, 1],
    [3 * day, 250_000, 1], // exactly at the age limit
    [3 * day + 1, 250_000, 0],
  ];
  for (const [ageMinutes, total, strength] of cases) {
    const tx = order({ customerCreatedAt: ago(ageMinutes), totalCents: total });
    const finding = checkNewCustomerHighValue(input(tx), RULES);
    assert.equal(finding?.strength ?? 0, strength, `age ${ageMinutes} min, ${total} cents`);
  }
  const message =
    checkNewCustomerHighValue(input(order({ customerCreatedAt: ago(10), totalCents: 90_000 })), RULES)!
      .message;
  assert.equal(message, "£900.00 order from an account created 10 minutes ago (fires at £800.00)");
});
