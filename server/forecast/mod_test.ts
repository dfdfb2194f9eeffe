import assert from "node:assert/strict";
import { BASELINES, DEFAULT_CANDIDATES, forecastDemand, MODELS } from "./mod.ts";
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
  assert.ok(
    ["median", "combination", ...DEFAULT_CANDIDATES, ...BASELINES].includes(forecast.model),
    forecast.model,
  );
  assert.ok(Object.keys(forecast.weights).every((name) => DEFAULT_CANDIDATES.includes(name)));
  assert.ok(forecast.naiveMase !== null && forecast.backtestCoverage80 !== null);
  assert.equal(forecast.params.backtestOrigins, 6);
  assert.ok(forecast.backtestMase !== null && forecast.backtestMase > 0);
  assertWellFormed(forecast, 30);
});

Deno.test("forecastDemand() treats negative and non-finite history values as zero days", () => {
  const forecast = forecastDemand([-3, Number.NaN, 0, -1], { horizon: 4 });
  assert.equal(forecast.model, "zero");
});

Deno.test("forecastDemand() chooses only from the requested models", () => {
  const forecast = forecastDemand(poissonSeries([5], 120, 3), { horizon: 7, models: ["theta"] });
  assert.equal(forecast.model, "theta");
  assert.deepEqual(forecast.weights, { theta: 1 });
  assert.ok("theta" in MODELS);
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

Deno.test("forecastDemand() falls back to a baseline only when no model, alone or combined, beat seasonal naive", () => {
  let fallbacks = 0;
  let kept = 0;
  const histories: number[][] = [];
  for (let seed = 1; seed <= 120; seed++) {
    // Slow and bursty sellers, where seasonal naive often holds its own in a short backtest
    const base = 0.2 + (seed % 7) * 0.4;
    const weekly = [1.6, 1.2, 1, 1, 0.8, 0.3, 0.1].map((factor) => base * factor);
    histories.push(poissonSeries(weekly, 90 + (seed % 5) * 20, seed));
  }
  // An exact weekly pattern: seasonal naive is perfect, so nothing can beat it
  histories.push(repeated([5, 3, 2, 2, 1, 0, 0], 112));
  for (const [i, history] of histories.entries()) {
    const forecast = forecastDemand(history, { horizon: 14 });
    if (forecast.backtestMase === null || forecast.naiveMase === null) continue;
    if (forecast.fallback) {
      fallbacks++;
      // Every candidate (the baselines among them) scored at least naive's MASE, so naive is the best baseline
      assert.ok(forecast.backtestMase >= forecast.naiveMase, `series ${i}: a fallback that lost to naive`);
      assert.ok(BASELINES.includes(forecast.model));
      assert.ok(forecast.note);
    } else {
      kept++;
      assert.ok(
        forecast.backtestMase < forecast.naiveMase,
        `series ${i}: kept a method that did not beat naive`,
      );
      assert.equal(forecast.note, null);
    }
  }
  assert.ok(fallbacks > 0 && kept > 0, `fallbacks ${fallbacks}, kept ${kept}`);
});

Deno.test("forecastDemand() keeps the one model that beat seasonal naive when no combination did", () => {
  // A slow seller on which every combination's leave-one-origin-out MASE lost to naive's, while one
  // model alone beat it over the backtest (this series fell back to seasonal naive before)
  const base = 0.2 + (84 % 7) * 0.4;
  const series = poissonSeries(
    [1.6, 1.2, 1, 1, 0.8, 0.3, 0.1].map((factor) => base * factor),
    90 + (84 % 5) * 20,
    84,
  );
  const forecast = forecastDemand(series, { horizon: 14 });
  assert.equal(forecast.fallback, false);
  assert.ok(forecast.model in MODELS, `a single model, got ${forecast.model}`);
  assert.equal(forecast.weights[forecast.model], 1);
  assert.ok(forecast.backtestMase! < forecast.naiveMase!);
});
