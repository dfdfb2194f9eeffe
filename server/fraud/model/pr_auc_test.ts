import assert from "node:assert/strict";
import { averagePrecision } from "./pr_auc.ts";

Deno.test("average precision is 1 for a perfect ranking and treats ties as one group", () => {
  assert.equal(averagePrecision([{ score: 9, isFraud: true }, { score: 1, isFraud: false }]), 1);
  assert.equal(
    averagePrecision([{ score: 9, isFraud: false }, { score: 5, isFraud: true }, {
      score: 1,
      isFraud: false,
    }]),
    0.5,
  );
  assert.equal(averagePrecision([{ score: 5, isFraud: true }, { score: 5, isFraud: false }]), 0.5);
  assert.equal(averagePrecision([{ score: 5, isFraud: false }]), 0);
});
