import assert from "node:assert/strict";
import { DEFAULT_CANDIDATES, forecastDemand, MODELS } from "./mod.ts";
import { assertClose, constant, intermittent, poissonSeries, repeated } from "./_test_series.ts";

function assertWellFormed(forecast: ReturnType<typeof forecastDemand>, horizon: number): void {
  for (const key of ["point", "lower80", "upper80", "lower95", "upper95"] as const) {
    assert.equal(forecast[key].length, horizon, key);
    assert.ok(
      forecast[key].every((value) => Number.isFinite(value) && value >= 0),
      `${key} is finite and >= 0`,
    );
  }
  for (let h = 0; h < horizon; h++) {
    assert.ok(forecast.lower95[h] <= forecast.lower80[h] && forecast.lower80[h] <= forecast.point[h]);
    assert.ok(forecast.point[h] <= forecast.upper80[h] && forecast.upper80[h] <= forecast.upper95[h]);
  }
}

Deno.test("forecastDemand() forecasts an all-zero history as zeros with the zero model", () => {
  const forecast = forecastDemand(constant(0, 200), { horizon: 30 });
  assert.equal(forecast.model, "zero");
  assert.deepEqual(forecast.upper95, constant(0, 30));
  assert.equal(forecast.backtestMase, null);
  assertWellFormed(forecast, 30);
});

Deno.test("forecastDemand() gives a too-short history its mean and intervals from its spread", () => {
  const forecast = forecastDemand([2, 0, 4, 2], { horizon: 5 });
  assert.equal(forecast.model, "mean");
  assert.equal(forecast.backtestMase, null);
  assertClose(forecast.point, constant(2, 5), 1e-12);
  assert.ok(forecast.upper80[0] > 2 && forecast.lower80[0] < 2);
  assertWellFormed(forecast, 5);
  assertWellFormed(forecastDemand([], { horizon: 3 }), 3);
});

Deno.test("forecastDemand() reproduces a pure weekly pattern with zero backtest error and tight intervals", () => {
  const pattern = [1, 2, 3, 4, 5, 6, 7];
  const forecast = forecastDemand(repeated(pattern, 98), { horizon: 14 });
  assert.equal(forecast.backtestMase, 0);
  assertClose(forecast.point, repeated(pattern, 14), 1e-9);
  assertClose(forecast.upper95, forecast.point, 1e-9);
  assertClose(forecast.lower95, forecast.point, 1e-9);
});

Deno.test("forecastDemand() records the chosen model, its parameters and the origins tested", () => {
  const forecast = forecastDemand(poissonSeries([3, 4, 5, 6, 7, 2, 1], 365, 5), { horizon: 30 });
  assert.ok(DEFAULT_CANDIDATES.includes(forecast.model));
  assert.equal(forecast.params.backtestOrigins, 6);
  assert.ok(forecast.backtestMase !== null && forecast.backtestMase > 0);
  assertWellFormed(forecast, 30);
});

Deno.test("forecastDemand() treats negative and non-finite history values as zero days", () => {
  const forecast = forecastDemand([-3, Number.NaN, 0, -1], { horizon: 4 });
  assert.equal(forecast.model, "zero");
});

Deno.test("forecastDemand() chooses only from the requested models", () => {
  const forecast = forecastDemand(poissonSeries([5], 120, 3), { horizon: 7, models: ["hybrid"] });
  assert.equal(forecast.model, "hybrid");
  assert.ok("hybrid" in MODELS);
});

Deno.test("forecastDemand() 80% intervals cover between 70% and 90% of new Poisson and intermittent demand", () => {
  let covered80 = 0;
  let covered95 = 0;
  let days = 0;
  for (let seed = 1; seed <= 40; seed++) {
    const rates = seed % 2 === 0 ? [4, 5, 6, 7, 8, 3, 2] : [0.2, 0.3, 0.3, 0.4, 0.5, 0.1, 0];
    const series = poissonSeries(rates, 200, seed);
    const forecast = forecastDemand(series.slice(0, 186), { horizon: 14 });
    series.slice(186).forEach((actual, h) => {
      if (actual >= forecast.lower80[h] && actual <= forecast.upper80[h]) covered80++;
      if (actual >= forecast.lower95[h] && actual <= forecast.upper95[h]) covered95++;
      days++;
    });
  }
  assert.ok(covered80 / days >= 0.7 && covered80 / days <= 0.9, `80% coverage ${covered80 / days}`);
  assert.ok(covered95 / days >= 0.88, `95% coverage ${covered95 / days}`);
});

Deno.test("forecastDemand() forecasts intermittent demand with a zero lower bound and a positive upper bound", () => {
  const forecast = forecastDemand(intermittent(6, 9, 180), { horizon: 14 });
  assert.ok(forecast.lower80.every((value) => value === 0));
  assert.ok(forecast.upper80.some((value) => value > 0));
  assertWellFormed(forecast, 14);
});
