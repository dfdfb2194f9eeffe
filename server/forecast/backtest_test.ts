import assert from "node:assert/strict";
import { backtestOrigins, rollingOrigin } from "./backtest.ts";
import { seasonalNaive } from "./seasonal_naive.ts";
import { repeated } from "./_test_series.ts";

const layout = { horizon: 14, seasonLength: 7, origins: 4, step: 7, minTrain: 14 };

Deno.test("backtestOrigins() places origins a step apart, latest first, leaving a full horizon after each", () => {
  assert.deepEqual(backtestOrigins(100, layout), [86, 79, 72, 65]);
});

Deno.test("backtestOrigins() drops origins that leave too little training history", () => {
  assert.deepEqual(backtestOrigins(35, layout), [21, 14]);
  assert.deepEqual(backtestOrigins(20, layout), []);
});

Deno.test("rollingOrigin() scores a model that knows the pattern with zero MASE and zero errors", () => {
  const result = rollingOrigin(repeated([1, 2, 3, 4, 5, 6, 7], 70), seasonalNaive, layout);
  assert.ok(result);
  assert.equal(result.mase, 0);
  assert.equal(result.errors.length, 4);
  assert.ok(result.errors.flat().every((error) => error === 0));
});

Deno.test("rollingOrigin() returns null when no origin fits", () => {
  assert.equal(rollingOrigin([1, 2, 3], seasonalNaive, layout), null);
});

Deno.test("rollingOrigin() records actual minus forecast for each step", () => {
  const history = [...repeated([1], 28), ...repeated([3], 14)];
  const result = rollingOrigin(history, seasonalNaive, { ...layout, origins: 1 });
  assert.ok(result);
  assert.deepEqual(result.errors[0], repeated([2], 14));
});
