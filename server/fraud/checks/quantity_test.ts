import assert from "node:assert/strict";
import { DEFAULT_FRAUD_RULES as RULES } from "../rules.ts";
import { checkQuantityAboveUsual } from "./quantity.ts";
import { history, input, order, past } from "./_fixtures.ts";

const phone = (quantity: number) => ({
  productId: "P9",
  category: "phones",
  unitPriceCents: 50_000,
  quantity,
});
const stats = { P9: { median: 1, mad: 0, count: 50 } };

Deno.test("checkQuantityAboveUsual() fires when a line is far above the product's usual quantity", () => {
  // With median 1 and MAD 0 the scale floor is one unit: z = quantity - 1.
  const cases: [number, number][] = [[4, 0], [5, 0.5], [16, 1]];
  for (const [quantity, strength] of cases) {
    const tx = order({ items: [phone(quantity)] });
    const finding = checkQuantityAboveUsual(input(tx, history([], { productQuantityStats: stats })), RULES);
    assert.equal(finding?.strength ?? 0, strength, `quantity ${quantity}`);
  }
});

Deno.test("checkQuantityAboveUsual() stays quiet without enough product history or with an old precedent", () => {
  const tx = order({ items: [phone(10)] });
  const thin = { P9: { median: 1, mad: 0, count: 19 } };
  assert.equal(checkQuantityAboveUsual(input(tx, history([], { productQuantityStats: thin })), RULES), null);
  const oldBulk = past(8 * 24 * 60, { maxItemQuantity: 5 });
  assert.equal(
    checkQuantityAboveUsual(input(tx, history([oldBulk], { productQuantityStats: stats })), RULES),
    null,
  );
  // Yesterday's spree is no precedent, and neither is a smaller old order.
  const recentBulk = past(24 * 60, { maxItemQuantity: 10 });
  const smallOld = past(30 * 24 * 60, { maxItemQuantity: 4 });
  for (const entry of [recentBulk, smallOld]) {
    const finding = checkQuantityAboveUsual(
      input(tx, history([entry], { productQuantityStats: stats })),
      RULES,
    );
    assert.equal(finding?.code, "quantity_above_usual");
  }
});

Deno.test("checkQuantityAboveUsual() speaks in units, without the product's id or a z-score", () => {
  const tx = order({ items: [phone(16)] });
  const finding = checkQuantityAboveUsual(input(tx, history([], { productQuantityStats: stats })), RULES);
  assert.equal(finding?.message, "16 units of one product, which usually sells 1 unit per order");
});
