import assert from "node:assert/strict";
import { quintileScores, scoreCustomers, type Segment, segmentOf } from "./patterns_segments.ts";

Deno.test("quintileScores() spreads distinct values evenly over 1-5", () => {
  assert.deepEqual(quintileScores([10, 20, 30, 40, 50]), [1, 2, 3, 4, 5]);
  assert.deepEqual(quintileScores([50, 40, 30, 20, 10]), [5, 4, 3, 2, 1]);
  assert.deepEqual(quintileScores([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
});

Deno.test("quintileScores() gives tied values one score, placed at the middle of the tie", () => {
  assert.deepEqual(quintileScores([1, 1, 1, 2, 9]), [2, 2, 2, 4, 5]);
  assert.deepEqual(quintileScores([7, 7, 7, 7]), [3, 3, 3, 3]);
  assert.deepEqual(quintileScores([42]), [3]);
  assert.deepEqual(quintileScores([]), []);
});

Deno.test("segmentOf() applies the documented rules in order", () => {
  const cases: [number, number, number, number, Segment][] = [
    // r, f, m, orders, segment
    [5, 5, 5, 12, "Champions"],
    [4, 4, 4, 6, "Champions"],
    [5, 5, 2, 9, "Loyal"],
    [3, 4, 3, 5, "Loyal"],
    [5, 2, 3, 1, "New"],
    [4, 3, 1, 1, "New"],
    [5, 3, 3, 2, "Potential loyalists"],
    [4, 2, 5, 2, "Potential loyalists"],
    [1, 5, 5, 10, "Cannot lose them"],
    [1, 5, 2, 10, "At risk"],
    [2, 4, 4, 6, "At risk"],
    [2, 3, 1, 3, "At risk"],
    [1, 2, 1, 1, "Lost"],
    [1, 2, 2, 2, "Hibernating"],
    [2, 1, 5, 1, "Hibernating"],
    [3, 3, 3, 3, "Need attention"],
    [3, 1, 1, 1, "Need attention"],
  ];
  for (const [r, f, m, orders, expected] of cases) {
    assert.equal(segmentOf({ r, f, m }, orders), expected, `r${r} f${f} m${m} with ${orders} orders`);
  }
});

Deno.test("scoreCustomers() scores recency inversely and names segments", () => {
  const scored = scoreCustomers([
    { customerId: 1, recencyDays: 2, frequency: 20, monetaryCents: 900_000 },
    { customerId: 2, recencyDays: 5, frequency: 1, monetaryCents: 5_000 },
    { customerId: 3, recencyDays: 200, frequency: 15, monetaryCents: 800_000 },
    { customerId: 4, recencyDays: 400, frequency: 1, monetaryCents: 2_000 },
    { customerId: 5, recencyDays: 60, frequency: 3, monetaryCents: 40_000 },
  ]);
  assert.deepEqual(scored.map((s) => s.r), [5, 4, 2, 1, 3]);
  assert.deepEqual(scored.map((s) => s.f), [5, 2, 4, 2, 3]);
  assert.deepEqual(scored.map((s) => s.m), [5, 2, 4, 1, 3]);
  assert.deepEqual(scored.map((s) => s.segment), ["Champions", "New", "At risk", "Lost", "Need attention"]);
});
