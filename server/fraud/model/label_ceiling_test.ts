import assert from "node:assert/strict";
import { proposeCeilingFromLabels } from "./label_ceiling.ts";
import { MAX_REVIEW_CEILING, MIN_REVIEW_CEILING } from "./operating_point.ts";

const OPTIONS = { minFraudLabels: 10, factor: 1.5, windowDays: 90 };

Deno.test("proposeCeilingFromLabels() proposes nothing below the minimum of confirmed fraud", () => {
  assert.equal(proposeCeilingFromLabels({ sales: 1000, confirmedFraud: 9 }, OPTIONS), null);
  assert.equal(
    proposeCeilingFromLabels({ sales: 0, confirmedFraud: 0 }, { ...OPTIONS, minFraudLabels: 0 }),
    null,
  );
  assert.notEqual(proposeCeilingFromLabels({ sales: 1000, confirmedFraud: 10 }, OPTIONS), null);
});

Deno.test("proposeCeilingFromLabels() proposes the factor times the confirmed share, to a tenth of a percent", () => {
  const p = proposeCeilingFromLabels({ sales: 2000, confirmedFraud: 80 }, OPTIONS);
  assert.deepEqual(p, { confirmedFraudRate: 0.04, ceiling: 0.06, confirmedFraud: 80, sales: 2000 });
  // 1.5 x 25 / 700 = 5.357%: an admin types 5.4
  assert.equal(proposeCeilingFromLabels({ sales: 700, confirmedFraud: 25 }, OPTIONS)?.ceiling, 0.054);
});

Deno.test("proposeCeilingFromLabels() keeps the proposal inside the range an admin may set", () => {
  assert.equal(
    proposeCeilingFromLabels({ sales: 100_000, confirmedFraud: 10 }, OPTIONS)?.ceiling,
    MIN_REVIEW_CEILING,
  );
  assert.equal(
    proposeCeilingFromLabels({ sales: 100, confirmedFraud: 60 }, OPTIONS)?.ceiling,
    MAX_REVIEW_CEILING,
  );
});
