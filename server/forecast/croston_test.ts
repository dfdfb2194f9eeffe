import assert from "node:assert/strict";
import { crostonSba, tsb } from "./croston.ts";
import { assertClose, constant, intermittent, repeated } from "./_test_series.ts";

const options = { horizon: 14, seasonLength: 7 };

function average(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

Deno.test("tsb(): a constant series forecasts its level", () => {
  assertClose(tsb(constant(5, 70), options).point, constant(5, 14), 1e-9);
});

Deno.test("crostonSba(): a constant series forecasts its level deflated by the SBA factor 1 - alpha/2", () => {
  const fit = crostonSba(constant(5, 70), options);
  assertClose(fit.point, constant(5 * (1 - fit.params.alpha / 2), 14), 1e-9);
});

Deno.test("tsb() and crostonSba(): 3 units every 5 days forecast about 0.6 a day", () => {
  // Every 5 days over 140 days hits each weekday equally often, so weekday factors stay near 1.
  const history = intermittent(3, 5, 140);
  const tsbAverage = average(tsb(history, options).point);
  assert.ok(Math.abs(tsbAverage - 0.6) < 0.05, `tsb ${tsbAverage}`);
  const sba = crostonSba(history, options);
  assert.ok(
    Math.abs(average(sba.point) - 0.6 * (1 - sba.params.alpha / 2)) < 0.05,
    `sba ${average(sba.point)}`,
  );
});

Deno.test("tsb(): demand on one weekday only is forecast mostly on that weekday", () => {
  const history = repeated([0, 0, 0, 0, 0, 0, 7], 140);
  const point = tsb(history, options).point;
  // Day 6 of the cycle is the selling day; shrinkage leaves a little on the others.
  assert.ok(point[6] > 3 * point[0], `selling day ${point[6]} vs ${point[0]}`);
  assert.ok(Math.abs(average(point.slice(0, 7)) - 1) < 0.1);
});

Deno.test("tsb(): an item that stopped selling decays towards zero while Croston stays flat", () => {
  const history = [...intermittent(4, 3, 90), ...constant(0, 60)];
  const tsbRate = average(tsb(history, options).point);
  const sbaRate = average(crostonSba(history, options).point);
  assert.ok(tsbRate < 0.5 * sbaRate, `tsb ${tsbRate} vs sba ${sbaRate}`);
});

Deno.test("tsb() and crostonSba(): all zeros forecast zeros", () => {
  assert.deepEqual(tsb(constant(0, 30), options).point, constant(0, 14));
  assert.deepEqual(crostonSba(constant(0, 30), options).point, constant(0, 14));
});

Deno.test("tsb() and crostonSba(): a history of a few days does not crash and stays non-negative", () => {
  for (const history of [[], [2], [0, 3]]) {
    for (const model of [tsb, crostonSba]) {
      const point = model(history, options).point;
      assert.equal(point.length, 14);
      assert.ok(point.every((value) => Number.isFinite(value) && value >= 0));
    }
  }
});
