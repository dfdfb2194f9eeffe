import assert from "node:assert/strict";
import { seasonalNaive } from "./seasonal_naive.ts";
import { constant, intermittent, linearTrend, repeated } from "./_test_series.ts";

const options = { horizon: 10, seasonLength: 7 };

const cases: Array<{ name: string; history: number[]; expected: number[] }> = [
  { name: "a constant series stays constant", history: constant(5, 28), expected: constant(5, 10) },
  {
    name: "a linear trend repeats its last week instead of following the trend",
    history: linearTrend(0, 1, 28),
    expected: [21, 22, 23, 24, 25, 26, 27, 21, 22, 23],
  },
  {
    name: "a pure weekly pattern is reproduced exactly",
    history: repeated([0, 1, 2, 3, 4, 5, 6], 30),
    expected: repeated([2, 3, 4, 5, 6, 0, 1], 10),
  },
  {
    name: "an intermittent series repeats last week's sales days",
    history: intermittent(3, 5, 30),
    expected: [0, 0, 3, 0, 0, 0, 0, 0, 0, 3],
  },
  { name: "all zeros forecast zeros", history: constant(0, 21), expected: constant(0, 10) },
  { name: "a history shorter than a week forecasts its mean", history: [1, 2, 6], expected: constant(3, 10) },
  { name: "an empty history forecasts zeros", history: [], expected: constant(0, 10) },
];

for (const { name, history, expected } of cases) {
  Deno.test(`seasonalNaive(): ${name}`, () => {
    assert.deepEqual(seasonalNaive(history, options).point, expected);
  });
}
