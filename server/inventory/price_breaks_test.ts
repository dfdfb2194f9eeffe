import assert from "node:assert/strict";
import { breakAt, priceOrder, pricingSentence, roundUpToMultiple } from "./price_breaks.ts";

const breaks = [{ minQty: 50, unitCostCents: 800 }, { minQty: 10, unitCostCents: 900 }];

Deno.test("roundUpToMultiple() rounds up to whole packs; 0 stays 0", () => {
  assert.equal(roundUpToMultiple(13, 6), 18);
  assert.equal(roundUpToMultiple(18, 6), 18);
  assert.equal(roundUpToMultiple(0, 6), 0);
  assert.equal(roundUpToMultiple(7, 1), 7);
});

Deno.test("breakAt() picks the largest minimum not above the quantity, in any order", () => {
  assert.equal(breakAt(breaks, 9), null);
  assert.deepEqual(breakAt(breaks, 10), { minQty: 10, unitCostCents: 900 });
  assert.deepEqual(breakAt(breaks, 49), { minQty: 10, unitCostCents: 900 });
  assert.deepEqual(breakAt(breaks, 50), { minQty: 50, unitCostCents: 800 });
});

Deno.test("priceOrder() raises to the minimum, rounds to the pack, then prices at the final quantity", () => {
  // 45 needed, packs of 12 -> 48: still under the 50 break
  assert.deepEqual(
    priceOrder(45, { unitCostCents: 1000, minOrderQty: 1, orderMultiple: 12, priceBreaks: breaks }),
    {
      quantity: 48,
      unitCostCents: 900,
      roundedToMultiple: true,
      priceBreak: { minQty: 10, unitCostCents: 900 },
    },
  );
  // 49 needed, packs of 5 -> 50: the rounding itself reaches the 50 break
  assert.equal(
    priceOrder(49, { unitCostCents: 1000, minOrderQty: 1, orderMultiple: 5, priceBreaks: breaks })
      .unitCostCents,
    800,
  );
  // minimum 20 then packs of 6 -> 24
  assert.equal(priceOrder(3, { unitCostCents: 1000, minOrderQty: 20, orderMultiple: 6 }).quantity, 24);
  // no terms beyond the base price
  assert.deepEqual(priceOrder(7, { unitCostCents: 1000, minOrderQty: 1 }), {
    quantity: 7,
    unitCostCents: 1000,
    roundedToMultiple: false,
    priceBreak: null,
  });
  assert.equal(priceOrder(0, { unitCostCents: 1000, minOrderQty: 5, orderMultiple: 6 }).quantity, 0);
});

Deno.test("pricingSentence() says what the pack and the break did, in the shop's currency", () => {
  const terms = { unitCostCents: 1000, minOrderQty: 1, orderMultiple: 5, priceBreaks: breaks };
  assert.equal(
    pricingSentence(49, priceOrder(49, terms), terms),
    "Rounded up from 49 to 50 units (packs of 5). 50 units reach the price break from 50 units: " +
      "£8.00 each instead of £10.00.",
  );
  const plain = { unitCostCents: 1000, minOrderQty: 1 };
  assert.equal(pricingSentence(7, priceOrder(7, plain), plain), "");
});
