import assert from "node:assert/strict";
import { inverseNormalCdf } from "./reorder_math.ts";
import { planReorder, type ReorderPlanInput, urgencyFromCover } from "./reorder_plan.ts";
import type { SupplierCandidate } from "./supplier_score.ts";

/** 30 days of `rate` units a day with a daily forecast error of `sigma` (read back from upper80). */
function flatForecast(rate: number, sigma: number) {
  return {
    point: new Array(30).fill(rate),
    upper80: new Array(30).fill(rate + sigma * inverseNormalCdf(0.9)),
  };
}

const fastCo: SupplierCandidate = {
  supplierId: 1,
  name: "FastCo",
  unitCostCents: 1000,
  leadTimeDays: 4,
  reliability: 0.95,
  minOrderQty: 1,
};

function input(overrides: Partial<ReorderPlanInput>): ReorderPlanInput {
  return {
    stock: 60,
    onOrder: 0,
    reorderPointOverride: null,
    serviceLevel: 0.95,
    targetDays: 30,
    forecast: flatForecast(10, 2),
    offers: [fastCo],
    ...overrides,
  };
}

Deno.test("urgencyFromCover() follows the documented cut-offs", () => {
  const cases: [number | null, number, string][] = [
    [0, 0, "critical"],
    [2.9, 0, "critical"],
    [3, 0, "high"],
    [10, 10, "critical"],
    [10.5, 10, "high"],
    [6.9, 1, "high"],
    [17, 10, "high"],
    [17.5, 10, "medium"],
    [24, 10, "medium"],
    [24.5, 10, "low"],
    [null, 10, "low"],
  ];
  for (const [cover, lead, expected] of cases) {
    assert.equal(urgencyFromCover(cover, lead), expected, `cover ${cover}, lead time ${lead}`);
  }
});

Deno.test("planReorder() computes the reorder point and order quantity by hand for a steady seller", () => {
  const plan = planReorder(input({}));
  // lead-time demand 4 x 10 = 40; safety stock 1.645 x 2 x sqrt(4) = 6.58; reorder point 47
  assert.equal(plan.leadTimeDays, 4);
  assert.ok(Math.abs(plan.leadTimeDemand - 40) < 1e-9);
  assert.ok(Math.abs(plan.safetyStock - 6.5794) < 1e-3);
  assert.equal(plan.reorderPoint, 47);
  // stock 60 - 40 sold during the lead time = 20 <= 47: order 34 days x 10 + 6.58 - 60 = 286.58 -> 287
  assert.equal(plan.projectedStockAtLeadTime, 20);
  assert.equal(plan.shouldReorder, true);
  assert.equal(plan.quantity, 287);
  assert.equal(plan.daysUntilStockout, 6);
  assert.equal(plan.urgency, "high");
  assert.equal(plan.ranking.winner?.name, "FastCo");
});

Deno.test("planReorder() suggests nothing while stock plus on-order stays above the reorder point", () => {
  assert.equal(planReorder(input({ stock: 100 })).shouldReorder, false);
  const onOrder = planReorder(input({ stock: 60, onOrder: 100 }));
  assert.equal(onOrder.shouldReorder, false);
  assert.equal(onOrder.quantity, 0);
  // on-order stock is not on the shelf: the urgency still reads the stock on hand
  assert.equal(onOrder.urgency, "high");
});

Deno.test("planReorder() rates urgency from days until stock-out against the lead time", () => {
  assert.equal(planReorder(input({ stock: 3 })).urgency, "critical");
  assert.equal(planReorder(input({ stock: 40 })).urgency, "critical");
  assert.equal(planReorder(input({ stock: 150 })).urgency, "medium");
  assert.equal(planReorder(input({ stock: 300 })).urgency, "low");
  assert.equal(planReorder(input({ stock: 0 })).daysUntilStockout, 0);
});

Deno.test("planReorder() raises the order to the supplier's minimum", () => {
  const plan = planReorder(input({ offers: [{ ...fastCo, minOrderQty: 500 }] }));
  assert.equal(plan.quantity, 500);
  assert.equal(plan.raisedToMinimum, true);
});

Deno.test("planReorder() uses the winning supplier's lead time", () => {
  const slowCheap: SupplierCandidate = {
    supplierId: 2,
    name: "SlowCheap",
    unitCostCents: 500,
    leadTimeDays: 20,
    reliability: 0.99,
    minOrderQty: 1,
  };
  const plan = planReorder(input({ offers: [fastCo, slowCheap] }));
  assert.equal(plan.ranking.winner?.name, "SlowCheap");
  assert.equal(plan.leadTimeDays, 20);
  // 20 days x 10 = 200 plus 1.645 x 2 x sqrt(20) = 14.71 -> 215
  assert.equal(plan.reorderPoint, 215);
  assert.equal(plan.urgency, "critical");
});

Deno.test("planReorder() never orders without a supplier", () => {
  const plan = planReorder(input({ offers: [], stock: 50 }));
  assert.equal(plan.ranking.winner, null);
  assert.equal(plan.shouldReorder, false);
  assert.equal(plan.leadTimeDays, 0);
  assert.equal(plan.urgency, "high");
});

Deno.test("planReorder() honours a manual reorder point even without any forecast demand", () => {
  const manual = planReorder(input({ forecast: null, reorderPointOverride: 5, stock: 2 }));
  assert.equal(manual.reorderPoint, 5);
  assert.equal(manual.reorderPointIsManual, true);
  assert.equal(manual.shouldReorder, true);
  assert.equal(manual.quantity, 3);
  assert.equal(manual.urgency, "medium");

  const idle = planReorder(input({ forecast: null, stock: 0 }));
  assert.equal(idle.shouldReorder, false);
  assert.equal(idle.urgency, "low");
  assert.equal(idle.averageDailyDemand, 0);
});

Deno.test("planReorder() rounds the order up to the supplier's pack and prices it at the break it reaches", () => {
  // the steady seller needs 287 (see above); packs of 25 make it 300, which reaches the 300 break
  const packs = {
    ...fastCo,
    orderMultiple: 25,
    priceBreaks: [{ minQty: 100, unitCostCents: 950 }, { minQty: 300, unitCostCents: 900 }],
  };
  const plan = planReorder(input({ offers: [packs] }));
  assert.equal(plan.quantity, 300);
  assert.equal(plan.unitCostCents, 900);
  assert.equal(
    plan.pricingNote,
    "Rounded up from 287 to 300 units (packs of 25). 300 units reach the price break from 300 units: £9.00 each instead of £10.00.",
  );
  // without terms: the base price and no note
  const plain = planReorder(input({}));
  assert.equal(plain.unitCostCents, 1000);
  assert.equal(plain.pricingNote, "");
});
