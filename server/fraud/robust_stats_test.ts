import assert from "node:assert/strict";
import { median, medianAndMad, quantityStatsFromHistogram, robustZ } from "./robust_stats.ts";

Deno.test("median() takes the middle value, or the mean of the two middle values", () => {
  assert.equal(median([5, 1, 3]), 3);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.ok(Number.isNaN(median([])));
});

Deno.test("medianAndMad() ignores one outlier", () => {
  assert.deepEqual(medianAndMad([10, 11, 12, 13, 1000]), { median: 12, mad: 1 });
});

Deno.test("robustZ() measures distance in MAD-based deviations and respects the floor", () => {
  assert.equal(robustZ(112, 100, 0, 4), 3);
  assert.ok(Math.abs(robustZ(100 + 1.4826 * 10 * 2, 100, 10, 1) - 2) < 1e-9);
  assert.equal(robustZ(90, 100, 5, 1) < 0, true);
});

Deno.test("quantityStatsFromHistogram() matches medianAndMad() on the expanded values", () => {
  const cases: number[][] = [[1], [1, 1, 2], [1, 2, 3, 4], [1, 1, 1, 1, 2, 2, 5, 20], [3, 3, 7, 7]];
  for (const values of cases) {
    const histogram = new Map<number, number>();
    for (const value of values) histogram.set(value, (histogram.get(value) ?? 0) + 1);
    const stats = quantityStatsFromHistogram(histogram);
    assert.deepEqual(stats, { ...medianAndMad(values), count: values.length }, `values ${values}`);
  }
  assert.equal(quantityStatsFromHistogram(new Map()).count, 0);
});
