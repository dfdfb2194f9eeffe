import assert from "node:assert/strict";
import { backtestCoverage, calibrate, conformalIntervals, seriesLevel } from "./conformal.ts";
import { forecastDemand } from "./mod.ts";
import { constant, poissonSeries } from "./_test_series.ts";

/** Normal draws (Box-Muller over mulberry32) so the noise is known exactly. */
function normals(count: number, seed: number): number[] {
  let state = seed >>> 0;
  const uniform = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 1) / 4294967297;
  };
  return Array.from(
    { length: count },
    () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform()),
  );
}

Deno.test("conformal intervals cover about 80% and 95% of new days for a level with known normal noise", () => {
  let in80 = 0;
  let in95 = 0;
  let days = 0;
  for (let seed = 1; seed <= 60; seed++) {
    const noise = normals(214, seed);
    const weekly = [1, 1.1, 1.2, 1, 0.9, 0.8, 1];
    const series = noise.map((z, t) => Math.max(0, 50 * weekly[t % 7] + 5 * z));
    const forecast = forecastDemand(series.slice(0, 200), { horizon: 14 });
    series.slice(200).forEach((actual, h) => {
      if (actual >= forecast.lower80[h] && actual <= forecast.upper80[h]) in80++;
      if (actual >= forecast.lower95[h] && actual <= forecast.upper95[h]) in95++;
      days++;
    });
  }
  assert.ok(in80 / days >= 0.75 && in80 / days <= 0.9, `80% coverage ${in80 / days}`);
  assert.ok(in95 / days >= 0.9 && in95 / days <= 0.99, `95% coverage ${in95 / days}`);
});

Deno.test("conformal intervals of a sparse series are quantiles of demand: both bounds can be zero", () => {
  // About one sale in twenty days: more than 90% of days sell nothing, so the 80% band is [0, 0].
  const series = poissonSeries([0.05], 300, 7);
  const forecast = forecastDemand(series, { horizon: 14 });
  // The point (the median of demand) and the 80% band are 0; the 95% band still allows a sale.
  assert.ok(forecast.point.every((value) => value < 0.5));
  assert.ok(forecast.upper95.every((value) => value > 0));
  assert.ok(forecast.lower80.every((value) => value === 0));
  assert.ok(forecast.upper80.every((value) => value < 1), `upper80 ${forecast.upper80}`);
});

Deno.test("calibrate() scales by level, so a busier series today gets proportionally wider intervals", () => {
  const origins = [0, 1, 2, 3, 4, 5].map((o) => ({
    errors: [-2, 2, -1, 1, 0].map((e) => e * (o + 1)),
    level: o + 1,
  }));
  const calibration = calibrate(origins, 5);
  const quiet = conformalIntervals(constant(10, 5), 1, calibration);
  const busy = conformalIntervals(constant(100, 5), 10, calibration);
  assert.ok(Math.abs((busy.upper80[0] - 100) - 10 * (quiet.upper80[0] - 10)) < 1e-9);
  assert.equal(seriesLevel(constant(0, 10)), 1);
  assert.equal(seriesLevel(constant(4, 10)), 4);
  const coverage = backtestCoverage(origins, 5);
  assert.ok(coverage !== null && coverage.coverage95 >= coverage.coverage80);
});
