import assert from "node:assert/strict";
import { conformalLevel, empiricalIntervals, quantile } from "./intervals.ts";

Deno.test("quantile() interpolates linearly between order statistics", () => {
  const sorted = [1, 2, 3, 4, 5];
  assert.equal(quantile(sorted, 0), 1);
  assert.equal(quantile(sorted, 0.5), 3);
  assert.equal(quantile(sorted, 0.9), 4.6);
  assert.equal(quantile(sorted, 1), 5);
  assert.equal(quantile([], 0.5), 0);
});

Deno.test("conformalLevel() widens the quantile level for small calibration sets and caps it", () => {
  assert.equal(conformalLevel(0.9, 9), 1);
  assert.ok(Math.abs(conformalLevel(0.9, 99) - 0.90909) < 1e-4);
  assert.ok(Math.abs(conformalLevel(0.1, 99) - 0.09091) < 1e-4);
  assert.equal(conformalLevel(0.025, 10), 0);
});

Deno.test("empiricalIntervals() adds error quantiles to the point and keeps bounds ordered and non-negative", () => {
  const errors = Array.from({ length: 101 }, (_, i) => i - 50); // -50..50
  const { lower80, upper80, lower95, upper95 } = empiricalIntervals([100, 10], errors);
  // Conformal level for the 90th percentile of 101 errors: 0.9 * 102 / 101, i.e. error 40.89.
  const offset = ((0.9 * 102) / 101) * 100 - 50;
  assert.ok(Math.abs(upper80[0] - (100 + offset)) < 1e-9);
  assert.ok(Math.abs(lower80[0] - (100 - offset)) < 1e-9);
  assert.ok(upper95[0] > upper80[0] && lower95[0] < lower80[0]);
  // Near zero the lower bounds are clamped at 0, never negative.
  assert.equal(lower80[1], 0);
  assert.equal(lower95[1], 0);
});

Deno.test("empiricalIntervals() for intermittent demand puts the lower bound at 0 and the upper above the point", () => {
  const errors = [-0.5, -0.5, -0.5, -0.5, 2.5, -0.5, -0.5, -0.5, -0.5, 4.5];
  const { lower80, upper80 } = empiricalIntervals([0.5, 0.5], errors);
  assert.deepEqual(lower80, [0, 0]);
  assert.ok(upper80[0] >= 3);
});
