import assert from "node:assert/strict";
import { DEFAULT_FRAUD_RULES as RULES } from "../rules.ts";
import { checkHighResaleUnits, highResaleUnits } from "./high_resale.ts";
import { history, input, order, past } from "./_fixtures.ts";

const line = (category: string, quantity: number) => ({
  productId: category,
  category,
  unitPriceCents: 10_000,
  quantity,
});

Deno.test("highResaleUnits() counts only phones, GPUs and gift cards", () => {
  assert.equal(
    highResaleUnits(
      [line("phones", 2), line("graphics_cards", 1), line("gift_cards", 3), line("laptops", 9)],
      RULES,
    ),
    6,
  );
});

Deno.test("checkHighResaleUnits() fires from three units in one order", () => {
  const cases: [ReturnType<typeof line>[], number][] = [
    [[line("phones", 2)], 0],
    [[line("phones", 2), line("gift_cards", 1)], 0.5],
    [[line("graphics_cards", 10)], 1],
    [[line("laptops", 20)], 0],
  ];
  for (const [items, strength] of cases) {
    assert.equal(
      checkHighResaleUnits(input(order({ items })), RULES)?.strength ?? 0,
      strength,
      JSON.stringify(items),
    );
  }
});

Deno.test("checkHighResaleUnits() accepts a customer's established habit but not yesterday's spree", () => {
  const tx = order({ items: [line("phones", 6)] });
  assert.equal(
    checkHighResaleUnits(input(tx, history([past(30 * 24 * 60, { highResaleUnits: 3 })])), RULES),
    null,
  );
  assert.ok(checkHighResaleUnits(input(tx, history([past(24 * 60, { highResaleUnits: 6 })])), RULES));
  assert.ok(checkHighResaleUnits(input(tx, history([past(30 * 24 * 60, { highResaleUnits: 2 })])), RULES));
});
