import assert from "node:assert/strict";
import { mae, mase, naiveScale, smape } from "./metrics.ts";

Deno.test("mase() divides the forecast MAE by the in-sample seasonal naive MAE", () => {
  // Lag-2 naive errors of [1, 2, 3, 4, 6] are 2, 2, 3 -> scale 7/3; forecast MAE is 1.
  assert.equal(mase([3, 5], [2, 4], [1, 2, 3, 4, 6], 2), 1 / (7 / 3));
});

Deno.test("naiveScale() falls back to lag 1, then the mean level, then 1 so MASE never divides by zero", () => {
  assert.equal(naiveScale([1, 2, 1, 2, 1, 2], 2), 1); // periodic: lag-2 MAE is 0, lag-1 MAE is 1
  assert.equal(naiveScale([4, 4, 4], 7), 4); // constant: both naive MAEs are 0
  assert.equal(naiveScale([0, 0, 0, 0], 1), 1); // all zeros
  assert.equal(naiveScale([], 7), 1);
});

Deno.test("mase() of a perfect forecast is 0 even when the scale had to fall back", () => {
  assert.equal(mase([0, 0], [0, 0], [0, 0, 0], 7), 0);
});

Deno.test("smape() scores 0 when both are zero, 200 when one is and 0 for an exact match", () => {
  assert.equal(smape([0, 0], [0, 0]), 0);
  assert.equal(smape([0, 5], [5, 0]), 200);
  assert.equal(smape([2, 4], [2, 4]), 0);
  assert.ok(Math.abs(smape([100], [110]) - (100 * 20) / 210) < 1e-12);
});

Deno.test("mae() averages absolute errors over the shorter array", () => {
  assert.equal(mae([1, 2, 3], [2, 2]), 0.5);
  assert.equal(mae([], [1]), 0);
});
