import assert from "node:assert/strict";
import { holtWinters } from "./holt_winters.ts";
import { assertClose, constant, intermittent, linearTrend, poissonSeries, repeated } from "./_test_series.ts";

const options = { horizon: 14, seasonLength: 7 };

Deno.test("holtWinters(): a constant series stays constant", () => {
  assertClose(holtWinters(constant(5, 84), options).point, constant(5, 14), 1e-9);
});

Deno.test("holtWinters(): a pure weekly pattern is reproduced exactly", () => {
  const pattern = [0, 2, 4, 6, 8, 10, 12];
  const history = repeated(pattern, 60);
  const expected = Array.from({ length: 14 }, (_, h) => pattern[(60 + h) % 7]);
  assertClose(holtWinters(history, options).point, expected, 1e-9);
});

Deno.test("holtWinters(): a linear trend keeps rising, damped below the undamped line", () => {
  const fit = holtWinters(linearTrend(10, 1, 84), options);
  assert.ok(fit.params.beta > 0 && fit.params.phi > 0, "a trend component is chosen");
  // Damping makes the fitted trend lag a perfect line a little, so day 0 is within 1.5 units.
  assert.ok(Math.abs(fit.point[0] - 94) < 1.5, `day 0: ${fit.point[0]}`);
  for (let h = 1; h < 14; h++) {
    assert.ok(fit.point[h] > fit.point[h - 1], `rises on day ${h}`);
    assert.ok(fit.point[h] <= 94 + h + 1e-9, `damped on day ${h}`);
  }
});

Deno.test("holtWinters(): an intermittent series forecasts non-negative values near its rate", () => {
  const fit = holtWinters(intermittent(3, 5, 140), options);
  assert.ok(fit.point.every((value) => value >= 0));
  const average = fit.point.reduce((a, b) => a + b, 0) / fit.point.length;
  assert.ok(Math.abs(average - 0.6) < 0.3, `average ${average}`);
});

Deno.test("holtWinters(): all zeros forecast zeros", () => {
  assertClose(holtWinters(constant(0, 50), options).point, constant(0, 14), 0);
});

Deno.test("holtWinters(): a history shorter than two weeks falls back to a level without seasonality", () => {
  const fit = holtWinters([4, 4, 4, 4, 4], options);
  assertClose(fit.point, constant(4, 14), 1e-9);
  assert.equal(fit.params.gamma, 0);
  assertClose(holtWinters([7], options).point, constant(7, 14), 0);
  assertClose(holtWinters([], options).point, constant(0, 14), 0);
});

Deno.test("holtWinters(): given smoothing parameters are used instead of the grid", () => {
  const history = poissonSeries([2, 3, 4, 5, 6, 3, 1], 120, 7);
  const params = { alpha: 0.3, beta: 0, gamma: 0.1, phi: 0 };
  assert.deepEqual(holtWinters(history, { ...options, params }).params, params);
});

Deno.test("holtWinters(): noisy weekly demand is forecast closer to the true rates than last week's values", () => {
  const rates = [2, 3, 4, 5, 6, 3, 1];
  const history = poissonSeries(rates, 182, 11);
  const truth = Array.from({ length: 14 }, (_, h) => rates[(182 + h) % 7]);
  const fit = holtWinters(history, options);
  const error = fit.point.reduce((sum, value, h) => sum + Math.abs(value - truth[h]), 0) / 14;
  const naiveError = truth.reduce((sum, value, h) => sum + Math.abs(history[175 + (h % 7)] - value), 0) / 14;
  assert.ok(error < naiveError, `holt-winters ${error} vs naive ${naiveError}`);
});
