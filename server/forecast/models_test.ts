import assert from "node:assert/strict";
import { dampedEts } from "./damped_ets.ts";
import { movingMean } from "./moving_mean.ts";
import { theta } from "./theta.ts";
import { weekdayMedian } from "./weekday_median.ts";
import { assertClose, constant, linearTrend, repeated } from "./_test_series.ts";

const weekly = { horizon: 14, seasonLength: 7 };

Deno.test("theta() and dampedEts(): a constant series forecasts its level", () => {
  assertClose(theta(constant(5, 120), weekly).point, constant(5, 14), 1e-9);
  assertClose(dampedEts(constant(5, 120), weekly).point, constant(5, 14), 1e-9);
});

Deno.test("theta() follows a linear trend at half its slope; dampedEts() keeps rising below the line", () => {
  const y = linearTrend(10, 0.5, 140);
  // Season length 1: no day-of-week factors, so the drift is visible as it is.
  const thetaPoint = theta(y, { horizon: 14, seasonLength: 1 }).point;
  assert.ok(thetaPoint[13] > thetaPoint[0], "theta keeps rising");
  const slope = (thetaPoint[13] - thetaPoint[0]) / 13;
  assert.ok(Math.abs(slope - 0.25) < 0.02, `theta drift ${slope}`);
  const damped = dampedEts(y, { horizon: 14, seasonLength: 1 }).point;
  assert.ok(damped[0] > 79 && damped[13] > damped[0], `damped ${damped[0]} .. ${damped[13]}`);
  assert.ok(damped[13] < 10 + 0.5 * (140 + 13), "damped stays below the undamped line");
});

Deno.test("theta() and dampedEts() reproduce a weekly pattern's shape through day-of-week factors", () => {
  const pattern = [2, 4, 6, 8, 10, 12, 14];
  const y = repeated(pattern, 140);
  for (const model of [theta, dampedEts]) {
    const point = model(y, weekly).point;
    // Shrunk factors flatten the pattern a little; the order of the days is kept.
    for (let h = 1; h < 7; h++) assert.ok(point[h] > point[h - 1], `${model.name} day ${h}`);
    assert.ok(Math.abs(point[6] - 14) < 1 && Math.abs(point[0] - 2) < 1, `${model.name} ${point}`);
  }
});

Deno.test("movingMean() forecasts the last 28 days' mean; weekdayMedian() each weekday's median", () => {
  const y = [...constant(100, 30), ...constant(2, 28)];
  assertClose(movingMean(y, weekly).point, constant(2, 14), 1e-12);
  // A bulk order of 50 on one Monday does not move the weekday median.
  const history = repeated([1, 0, 3, 0, 0, 2, 0], 56);
  history[49] = 50;
  assertClose(weekdayMedian(history, weekly).point, repeated([1, 0, 3, 0, 0, 2, 0], 14), 1e-12);
});

Deno.test("every new model returns zeros for an empty or all-zero history and never a negative value", () => {
  for (const model of [theta, dampedEts, movingMean, weekdayMedian]) {
    assert.deepEqual(model(constant(0, 60), weekly).point, constant(0, 14), model.name);
    assert.equal(model([], weekly).point.length, 14);
    const falling = model(linearTrend(50, -1, 60), { horizon: 60, seasonLength: 7 }).point;
    assert.ok(falling.every((value) => value >= 0), model.name);
  }
});
