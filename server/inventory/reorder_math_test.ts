import assert from "node:assert/strict";
import {
  dailyErrorStdDev,
  daysUntilStockout,
  inverseNormalCdf,
  leadTimeDemand,
  orderQuantity,
  reorderPoint,
  safetyStock,
} from "./reorder_math.ts";

function near(actual: number, expected: number, tolerance = 1e-6): void {
  assert.ok(Math.abs(actual - expected) <= tolerance, `expected ${expected} ± ${tolerance}, got ${actual}`);
}

const quantiles: Array<[number, number]> = [
  [0.5, 0],
  [0.8, 0.8416212336],
  [0.9, 1.2815515655],
  [0.95, 1.6448536270],
  [0.975, 1.9599639845],
  [0.99, 2.3263478740],
  [0.999, 3.0902323062],
  [0.05, -1.6448536270],
  [0.01, -2.3263478740],
  [1e-6, -4.7534243088],
];
for (const [p, z] of quantiles) {
  Deno.test(`inverseNormalCdf() of ${p} is ${z}`, () => near(inverseNormalCdf(p), z, 1e-8));
}

Deno.test("inverseNormalCdf() rejects probabilities outside (0, 1)", () => {
  for (const p of [0, 1, -0.1, 1.5, Number.NaN]) assert.throws(() => inverseNormalCdf(p), RangeError);
});

Deno.test("leadTimeDemand() sums the point forecast over the lead time, a fractional day in part", () => {
  assert.equal(leadTimeDemand([1, 2, 3, 4], 2), 3);
  assert.equal(leadTimeDemand([1, 2, 3, 4], 2.5), 4.5);
  assert.equal(leadTimeDemand([1, 2, 3, 4], 0), 0);
});

Deno.test("leadTimeDemand() continues the last week's average rate past the horizon", () => {
  // Horizon 2 at 2 a day, lead time 5: 2 + 2 + 3 * 2.
  assert.equal(leadTimeDemand([2, 2], 5), 10);
  assert.throws(() => leadTimeDemand([1], -1), RangeError);
});

Deno.test("safetyStock() is z(service level) * sigma * sqrt(lead time) for a constant daily error", () => {
  near(safetyStock(2, 4), 1.6448536270 * 2 * 2);
  near(safetyStock(2, 4, 0.99), 2.3263478740 * 4);
  near(safetyStock([1, 2, 2], 3, 0.9), 1.2815515655 * 3); // sqrt(1 + 4 + 4) = 3
  assert.equal(safetyStock(5, 0), 0);
  assert.throws(() => safetyStock(1, 4, 1), RangeError);
  assert.throws(() => safetyStock(1, 4, 0.3), RangeError);
});

Deno.test("reorderPoint() adds lead-time demand and safety stock read from the 80% interval, rounded up", () => {
  // 10 a day, sigma 3 a day (upper80 = point + 1.28155 * 3), lead time 4 days:
  // demand 40, safety 1.64485 * 3 * 2 = 9.869, reorder point ceil(49.869) = 50.
  const point = new Array(30).fill(10);
  const upper80 = point.map((value) => value + 1.2815515655 * 3);
  near(dailyErrorStdDev({ point, upper80 })[0], 3);
  const result = reorderPoint({ point, upper80 }, 4);
  assert.equal(result.leadTimeDemand, 40);
  near(result.safetyStock, 9.8691217, 1e-5);
  assert.equal(result.reorderPoint, 50);
  assert.equal(reorderPoint({ point, upper80 }, 4, { serviceLevel: 0.5 }).reorderPoint, 40);
});

Deno.test("orderQuantity() covers lead time plus target days plus safety stock, less stock and orders", () => {
  // 10 a day over 4 + 14 days = 180, + 9.87 safety - 20 on hand - 30 on order = 139.87 -> 140.
  const result = orderQuantity({
    point: new Array(30).fill(10),
    leadTimeDays: 4,
    targetDays: 14,
    safetyStock: 9.87,
    currentStock: 20,
    onOrder: 30,
  });
  assert.deepEqual(result, { quantity: 140, method: "target_days", needed: 140, raisedToMinimum: false });
});

Deno.test("orderQuantity() raises the order to the supplier's minimum order quantity", () => {
  const result = orderQuantity({
    point: new Array(30).fill(10),
    leadTimeDays: 4,
    targetDays: 14,
    safetyStock: 9.87,
    currentStock: 20,
    minOrderQty: 200,
  });
  assert.deepEqual(result, { quantity: 200, method: "target_days", needed: 170, raisedToMinimum: true });
});

Deno.test("orderQuantity() uses the EOQ when holding and ordering costs are set and it is larger", () => {
  // Annual demand 3650, ordering 50.00, holding 1.00 a unit a year: sqrt(2 * 3650 * 5000 / 100) = 604.2 -> 605.
  const result = orderQuantity({
    point: new Array(30).fill(10),
    leadTimeDays: 4,
    targetDays: 14,
    safetyStock: 9.87,
    currentStock: 20,
    holdingCostCentsPerUnitYear: 100,
    orderingCostCents: 5000,
  });
  assert.deepEqual(result, { quantity: 605, method: "eoq", needed: 170, raisedToMinimum: false });
});

Deno.test("orderQuantity() orders nothing, not even the minimum, when stock covers the need", () => {
  const result = orderQuantity({
    point: [1, 1, 1],
    leadTimeDays: 2,
    targetDays: 5,
    safetyStock: 2,
    currentStock: 50,
    minOrderQty: 100,
  });
  assert.deepEqual(result, { quantity: 0, method: "target_days", needed: 0, raisedToMinimum: false });
});

Deno.test("daysUntilStockout() walks the forecast and interpolates within the day stock runs out", () => {
  assert.equal(daysUntilStockout(25, [10, 10, 10]), 2.5);
  assert.equal(daysUntilStockout(10, [4, 6, 8]), 2);
  assert.equal(daysUntilStockout(0, [10]), 0);
  assert.equal(daysUntilStockout(-3, [10]), 0);
});

Deno.test("daysUntilStockout() extends past the horizon at the last week's rate and is null without demand", () => {
  assert.equal(daysUntilStockout(50, [10, 10]), 5);
  assert.equal(daysUntilStockout(5, [0, 0, 0]), null);
  assert.equal(daysUntilStockout(5, []), null);
});
