import assert from "node:assert/strict";
import { hybrid } from "./hybrid.ts";
import { assertClose, constant, intermittent, linearTrend, repeated } from "./_test_series.ts";

const options = { horizon: 14, seasonLength: 7 };

Deno.test("hybrid(): a constant series stays constant with zero slope", () => {
  const fit = hybrid(constant(5, 56), options);
  assertClose(fit.point, constant(5, 14), 1e-9);
  assert.equal(fit.params.slope, 0);
});

Deno.test("hybrid(): a linear trend is extrapolated (up to small day-of-week distortion)", () => {
  const fit = hybrid(linearTrend(10, 1, 56), options);
  assert.ok(Math.abs(fit.params.slope - 1) < 1e-9);
  // The reference computes day-of-week factors on the raw series, so the trend leaks into them
  // (earliest weekday of the cycle about 8% low): the forecast is within 10% of the true line.
  fit.point.forEach((value, h) =>
    assert.ok(Math.abs(value - (66 + h)) / (66 + h) < 0.1, `day ${h}: ${value}`)
  );
  assert.ok(fit.point[13] > fit.point[0]);
});

Deno.test("hybrid(): a pure weekly pattern is followed by its day-of-week factors", () => {
  const pattern = [2, 4, 6, 8, 10, 12, 14];
  const fit = hybrid(repeated(pattern, 56), options);
  const expected = repeated(pattern, 14);
  // The reference's least-squares line sees a spurious upward slope in the saw-tooth, so the
  // shape is right but the level overshoots by up to 50% two weeks out: a flaw the benchmark should expose.
  fit.point.forEach((value, h) => {
    const ratio = value / expected[h];
    assert.ok(ratio >= 1 && ratio < 1.5, `day ${h}: ${value}`);
  });
  assert.ok(fit.params.slope > 0);
});

Deno.test("hybrid(): an intermittent series forecasts non-negative values around its rate", () => {
  const fit = hybrid(intermittent(3, 5, 70), options);
  assert.ok(fit.point.every((value) => value >= 0));
  const average = fit.point.reduce((a, b) => a + b, 0) / fit.point.length;
  assert.ok(average > 0.3 && average < 1, `average ${average}`);
});

Deno.test("hybrid(): all zeros forecast zeros", () => {
  assert.deepEqual(hybrid(constant(0, 40), options).point, constant(0, 14));
});

Deno.test("hybrid(): a history shorter than a week forecasts its mean without a trend", () => {
  const fit = hybrid([3, 5], options);
  assertClose(fit.point, constant(4, 14), 1e-9);
  assert.equal(fit.params.slope, 0);
});

Deno.test("hybrid(): a falling trend is clamped at zero, never negative", () => {
  const fit = hybrid(linearTrend(40, -1, 42), { horizon: 30, seasonLength: 7 });
  assert.ok(fit.point.every((value) => value >= 0));
  assert.equal(fit.point.at(-1), 0);
});
