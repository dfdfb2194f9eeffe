import assert from "node:assert/strict";
import { estimateEventEffects, type ForecastEvent } from "./events.ts";
import { fillMissing, markMissing } from "./missing.ts";
import { forecastDemand } from "./mod.ts";
import { yearlyMultipliers } from "./yearly.ts";
import { constant, poissonSeries, repeated } from "./_test_series.ts";

const average = (values: readonly number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

Deno.test("fillMissing() fills a missing day from the same weekday of earlier weeks only", () => {
  const observed = markMissing(repeated([1, 2, 3, 4, 5, 6, 7], 21), [
    ...constant(0, 16).map(() => false),
    true,
  ]);
  assert.ok(Number.isNaN(observed[16]));
  assert.equal(fillMissing(observed, 7)[16], 3);
  assert.deepEqual(fillMissing(markMissing([Number.NaN, 2], []), 7), [0, 2]);
});

Deno.test("forecastDemand(): stock-out days are missing demand, not zero sales", () => {
  // 10 a day, but the last three weeks mostly out of stock, selling 0.
  const history = poissonSeries([10], 140, 3);
  const stockOut = history.map((_, t) => t >= 119 && t % 7 !== 0);
  const sold = history.map((value, t) => (stockOut[t] ? 0 : value));
  const naive = forecastDemand(sold, { horizon: 14 });
  const masked = forecastDemand(sold, { horizon: 14, stockOut });
  assert.equal(masked.missingDays, stockOut.filter(Boolean).length);
  assert.ok(average(masked.mean) > 8.5 && average(masked.mean) < 11.5, `masked ${average(masked.mean)}`);
  assert.ok(average(naive.mean) < 6, `unmasked ${average(naive.mean)}`);
  assert.ok(
    average(masked.point) > 2 * average(naive.point),
    `${average(masked.point)} vs ${average(naive.point)}`,
  );
});

Deno.test("estimateEventEffects(): a promotion that doubles sales is estimated near 2, a closure at 0", () => {
  const history = poissonSeries([20], 210, 11);
  const events: ForecastEvent[] = [];
  for (const day of [30, 65, 100, 135, 170]) {
    history[day] *= 2;
    events.push({ day, key: "promotion" });
  }
  events.push({ day: 50, key: "closed", closed: true });
  const effects = estimateEventEffects(markMissing(history), events, 7);
  assert.ok(Math.abs(effects.get("promotion")! - 2) < 0.3, `promotion ${effects.get("promotion")}`);
  assert.equal(effects.get("closed"), 0);
  assert.equal(estimateEventEffects(markMissing(history), [{ day: 400, key: "future" }], 7).get("future"), 1);
});

Deno.test("forecastDemand(): a future promotion day is lifted by its estimated effect, a closure day is 0", () => {
  const history = poissonSeries([20], 210, 11);
  const events: ForecastEvent[] = [];
  for (const day of [30, 65, 100, 135, 170]) {
    history[day] *= 2;
    events.push({ day, key: "promotion" });
  }
  // A closed day in the history sold nothing: it must not drag the level down.
  history[190] = 0;
  events.push({ day: 190, key: "closure", closed: true }, { day: 213, key: "promotion" });
  events.push({ day: 215, key: "closure", closed: true });
  const forecast = forecastDemand(history, { horizon: 14, events });
  const plain = average(forecast.point.filter((_, h) => h !== 3 && h !== 5));
  assert.ok(forecast.point[3] / plain > 1.6, `promotion day ${forecast.point[3]} vs ${plain}`);
  assert.equal(forecast.point[5], 0);
  assert.equal(forecast.upper95[5], 0);
  assert.ok(Math.abs(forecast.eventEffects.promotion - 2) < 0.3);
  assert.equal(forecast.missingDays, 1);
});

Deno.test("yearlyMultipliers(): with two years of a yearly cycle the forecast follows the season ahead", () => {
  const season = (t: number) => 10 + 5 * Math.sin((2 * Math.PI * t) / 365);
  const history = Array.from({ length: 760 }, (_, t) => season(t));
  const multipliers = yearlyMultipliers(history, 60);
  // Day 760 is a month into the rise: demand keeps growing over the next two months.
  assert.ok(
    multipliers[59] > multipliers[0] && multipliers[59] > 1.1,
    `multipliers ${multipliers[0]} .. ${multipliers[59]}`,
  );
  assert.deepEqual(yearlyMultipliers(history.slice(0, 700), 5), constant(1, 5));
  const forecast = forecastDemand(history, { horizon: 60 });
  assert.equal(forecast.yearly, true);
  assert.ok(forecast.point[59] > forecast.point[0]);
});
