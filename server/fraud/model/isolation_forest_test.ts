import assert from "node:assert/strict";
import { averagePathLength, isolationScore, trainIsolationForest } from "./isolation_forest.ts";
import { mulberry } from "./boosting.ts";

/** 1,000 ordinary points around (0, 0) in two features. */
function cloud(seed: number): number[][] {
  const random = mulberry(seed);
  return Array.from({ length: 1000 }, () => [random() - 0.5, random() - 0.5]);
}

Deno.test("averagePathLength() is c(n) of the paper: 0 for one point, 1 for two, about 10.24 for 256", () => {
  assert.equal(averagePathLength(1), 0);
  assert.equal(averagePathLength(2), 1);
  assert.ok(Math.abs(averagePathLength(256) - 10.2448) < 0.001, String(averagePathLength(256)));
});

Deno.test("isolationScore() scores a far point well above an ordinary one, which stays at 0.5 or less", () => {
  const forest = trainIsolationForest(cloud(3), { seed: 7 });
  const far = isolationScore(forest, [8, -9]);
  const ordinary = isolationScore(forest, [0, 0]);
  assert.ok(far > 0.6 && far > ordinary + 0.15, `far ${far}, ordinary ${ordinary}`);
  assert.ok(ordinary < 0.5, `ordinary ${ordinary}`);
});

Deno.test("trainIsolationForest() is the same forest for the same seed, another for another", () => {
  const rows = cloud(4);
  const a = isolationScore(trainIsolationForest(rows, { seed: 1 }), [0.4, 0.4]);
  const b = isolationScore(trainIsolationForest(rows, { seed: 1 }), [0.4, 0.4]);
  const c = isolationScore(trainIsolationForest(rows, { seed: 2 }), [0.4, 0.4]);
  assert.equal(a, b);
  assert.notEqual(a, c);
});

Deno.test("trainIsolationForest() on constant or tiny data does not split and scores every point alike", () => {
  const constant = trainIsolationForest(Array.from({ length: 50 }, () => [1, 1]), { trees: 5 });
  assert.equal(isolationScore(constant, [1, 1]), isolationScore(constant, [5, 5]));
  const one = trainIsolationForest([[3, 4]], { trees: 3 });
  assert.equal(one.sampleSize, 1);
});
