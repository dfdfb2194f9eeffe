import assert from "node:assert/strict";
import { DEFAULT_FRAUD_RULES as RULES } from "../rules.ts";
import { checkNewPaymentMethod, checkPaymentMethods } from "./payment_methods.ts";
import { history, input, order, past } from "./_fixtures.ts";

Deno.test("checkPaymentMethods() fires at three distinct methods within the hour", () => {
  const cases: [string[], number, number][] = [
    [["card_a"], 5, 0], // two methods counting the current one
    [["card_b", "card_c"], 5, 0.5],
    [["card_b", "card_b", "card_a"], 5, 0], // repeats do not count
    [["card_b", "card_c"], 61, 0], // outside the window
    [["card_b", "card_c", "card_d", "card_e", "card_f"], 5, 1],
  ];
  for (const [methods, minutesAgo, strength] of cases) {
    const h = history(methods.map((paymentMethod, i) => past(minutesAgo + i * 0.1, { paymentMethod })));
    assert.equal(
      checkPaymentMethods(input(order(), h), RULES)?.strength ?? 0,
      strength,
      `${methods} ${minutesAgo}`,
    );
  }
});

Deno.test("checkNewPaymentMethod() fires for an established customer's sizeable order with an unseen method", () => {
  const three = [1, 2, 3].map((d) => past(d * 24 * 60));
  const big = order({ totalCents: 20_000, paymentMethod: "card_new" });
  assert.equal(checkNewPaymentMethod(input(big, history(three)), RULES)?.strength, 1);
  assert.equal(checkNewPaymentMethod(input(big, history(three.slice(0, 2))), RULES), null);
  assert.equal(checkNewPaymentMethod(input({ ...big, totalCents: 19_999 }, history(three)), RULES), null);
  assert.equal(
    checkNewPaymentMethod(input({ ...big, paymentMethod: "card_a" }, history(three)), RULES),
    null,
  );
});
