import assert from "node:assert/strict";
import { contributions, predictMargin, trainBoostedTrees, type TreeNode } from "./boosting.ts";
import { mulberry32 } from "../../../data/random.ts";

function data(n: number, seed: number) {
  const random = mulberry32(seed);
  const rows: Float64Array[] = [], labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const signal = random(), noise = random();
    // Feature 2 is missing half the time; when present and high it also means fraud.
    const optional = random() < 0.5 ? NaN : random();
    rows.push(Float64Array.of(signal, noise, optional));
    labels.push(signal > 0.8 || optional > 0.9 ? 1 : 0);
  }
  return { rows, labels };
}

Deno.test("boosted trees learn a threshold rule and handle missing values", () => {
  const train = data(3_000, 1), test = data(1_000, 2);
  const model = trainBoostedTrees(train.rows, train.labels, { rounds: 40, depth: 3 });
  let correct = 0;
  test.rows.forEach((row, i) => {
    if ((predictMargin(model, row) > 0 ? 1 : 0) === test.labels[i]) correct++;
  });
  assert.ok(correct / test.rows.length > 0.97, `accuracy ${correct / test.rows.length}`);
  assert.ok(predictMargin(model, Float64Array.of(0.1, 0.5, NaN)) < 0);
  assert.ok(predictMargin(model, Float64Array.of(0.1, 0.5, 0.95)) > 0);
});

Deno.test("contributions add up to the margin minus the constant part, and credit the feature that matters", () => {
  const train = data(2_000, 3);
  const model = trainBoostedTrees(train.rows, train.labels, { rounds: 20, depth: 3 });
  const constant = model.base + model.trees.reduce((sum: number, tree: TreeNode) => sum + tree.value, 0);
  const row = Float64Array.of(0.95, 0.5, NaN);
  const parts = contributions(model, row);
  const total = parts.reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(constant + total - predictMargin(model, row)) < 1e-9);
  assert.ok(parts[0] > Math.abs(parts[1]));
});

Deno.test("a skipped feature is never split on", () => {
  const train = data(1_000, 4);
  const model = trainBoostedTrees(train.rows, train.labels, { rounds: 10, skip: [0] });
  const parts = contributions(model, Float64Array.of(0.95, 0.5, 0.95));
  assert.equal(parts[0], 0);
});

Deno.test("a monotone feature never lowers the score as it grows, even where the labels say so", () => {
  // Fraud when the feature is in the middle band only: free trees learn a bump, a +1 constraint may not
  // let the score fall after it (depth 1 trees, so each split is the whole tree and the rule holds exactly).
  const random = mulberry32(5);
  const rows: Float64Array[] = [], labels: number[] = [];
  for (let i = 0; i < 3_000; i++) {
    const x = random();
    rows.push(Float64Array.of(x));
    labels.push(x > 0.4 && x < 0.6 ? 1 : 0);
  }
  const margins = (monotone?: number[]) => {
    const model = trainBoostedTrees(rows, labels, { rounds: 30, depth: 1, monotone });
    return [0.05, 0.3, 0.5, 0.7, 0.95].map((x) => predictMargin(model, Float64Array.of(x)));
  };
  const free = margins();
  assert.ok(free[2] > free[4], "free trees fall after the bump");
  const constrained = margins([1]);
  constrained.slice(1).forEach((m, i) => assert.ok(m >= constrained[i] - 1e-12, `${constrained}`));
});
