import assert from "node:assert/strict";
import {
  COMBINERS,
  inverseErrorWeights,
  leaveOneOriginOut,
  maeObserved,
  medianOf,
  weightedMean,
} from "./combine.ts";

Deno.test("medianOf() and weightedMean() combine forecasts step by step", () => {
  const forecasts = [[1, 10], [2, 20], [9, 30]];
  assert.deepEqual(medianOf(forecasts), [2, 20]);
  assert.deepEqual(medianOf([[1], [3]]), [2]);
  assert.deepEqual(weightedMean(forecasts, [0.5, 0.5, 0]), [1.5, 15]);
});

Deno.test("inverseErrorWeights() weighs by inverse mean MASE over the given origins only", () => {
  // Origin 1 is the candidates' bad day; leaving it out changes the weights.
  const mase = [[1, 100], [2, 2]];
  const weights = inverseErrorWeights(mase, [0]);
  assert.ok(Math.abs(weights[0] - 2 / 3) < 1e-12 && Math.abs(weights[1] - 1 / 3) < 1e-12);
  const both = inverseErrorWeights(mase, [0, 1]);
  assert.ok(both[1] > both[0]);
});

Deno.test("maeObserved() skips missing (NaN) actuals", () => {
  assert.equal(maeObserved([1, Number.NaN, 3], [2, 100, 3]), 0.5);
  assert.ok(Number.isNaN(maeObserved([Number.NaN], [1])));
});

Deno.test("leaveOneOriginOut() picks the single model at each origin from the other origins' scores", () => {
  // Candidate 0 is right at origins 0 and 1, candidate 1 only at origin 2.
  const backtest = {
    origins: [30, 23, 16],
    trains: [[], [], []],
    forecasts: [[[5], [5], [5]], [[9], [9], [9]]],
    actuals: [[5], [5], [9]],
    scales: [1, 1, 1],
    mase: [[0, 0, 4], [4, 4, 0]],
  };
  const result = leaveOneOriginOut(backtest, COMBINERS.selected, [0, 1]);
  // At origin 2 the others (0, 1) favour candidate 0, which is wrong there: an honest error of 4.
  assert.deepEqual(result.forecasts, [[5], [5], [5]]);
  assert.deepEqual(result.mase, [0, 0, 4]);
});
