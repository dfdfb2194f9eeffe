import assert from "node:assert/strict";
import { DEFAULT_FRAUD_RULES as RULES } from "../rules.ts";
import { checkAmountAboveHistory } from "./amount_history.ts";
import { history, input, order, past } from "./_fixtures.ts";

// Median $100, MAD $10: the scale is max(1.4826 x $10, $50, 0.25 x $100) = $50, so z = (total - $100) / $50.
const usual = [9_000, 10_000, 10_000, 11_000, 12_000].map((cents, i) =>
  past(1_000 * (i + 1), { totalCents: cents })
);

Deno.test("checkAmountAboveHistory() fires at the z threshold of the customer's own history", () => {
  const cases: [number, number][] = [
    [34_999, 0], // z just under 5
    [35_000, 0.5], // z = 5: the edge
    [85_000, 1], // z = 15: saturated
  ];
  for (const [total, strength] of cases) {
    const finding = checkAmountAboveHistory(input(order({ totalCents: total }), history(usual)), RULES);
    assert.equal(finding?.strength ?? 0, strength, `total ${total}`);
  }
});

Deno.test("checkAmountAboveHistory() needs enough completed history and a sizeable amount", () => {
  const tooShort = usual.slice(0, 2);
  assert.equal(checkAmountAboveHistory(input(order({ totalCents: 85_000 }), history(tooShort)), RULES), null);
  const declined = usual.map((entry) => ({ ...entry, status: "declined" }));
  assert.equal(checkAmountAboveHistory(input(order({ totalCents: 85_000 }), history(declined)), RULES), null);
  const small = usual.map((entry) => ({ ...entry, totalCents: 500 }));
  assert.equal(checkAmountAboveHistory(input(order({ totalCents: 29_999 }), history(small)), RULES), null);
  assert.equal(
    checkAmountAboveHistory(input(order({ totalCents: 30_000 }), history(small)), RULES)?.code,
    "amount_above_history",
  );
});

Deno.test("checkAmountAboveHistory() says the amount as a multiple of the usual, in the shop's money", () => {
  const finding = checkAmountAboveHistory(input(order({ totalCents: 85_000 }), history(usual)), RULES);
  assert.match(
    finding?.message ?? "",
    /^£850\.00 is 8\.5× this customer's usual £100\.00 \(from 5 earlier orders\)$/,
  );
  assert.doesNotMatch(finding?.message ?? "", /robust|z /);
});
