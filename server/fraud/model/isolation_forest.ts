/**
 * An isolation forest (Liu, Ting and Zhou, "Isolation Forest", ICDM 2008), for the cold-start novelty of
 * session 9 (measured, not shipped; docs/fraud.md). Each tree splits a random feature at a random value
 * between the sample's least and largest until a point is alone or the height limit is reached; points that
 * are isolated in few splits are anomalies. Written here (about 80 lines) because the npm packages for it are
 * unmaintained (docs/fraud.md). Missing values must be filled in by the caller.
 */
import { mulberry } from "./boosting.ts";

type IsolationNode =
  | { size: number }
  | { feature: number; split: number; left: IsolationNode; right: IsolationNode };

/** A trained forest: its trees and the sample size that normalises path lengths. */
export interface IsolationForest {
  trees: IsolationNode[];
  sampleSize: number;
}

/** Average path length of an unsuccessful search in a binary search tree of n points, c(n) in the paper. */
export function averagePathLength(n: number): number {
  if (n <= 1) return 0;
  if (n === 2) return 1;
  return 2 * (Math.log(n - 1) + 0.5772156649) - 2 * (n - 1) / n;
}

function grow(
  rows: readonly ArrayLike<number>[],
  height: number,
  limit: number,
  random: () => number,
): IsolationNode {
  if (height >= limit || rows.length <= 1) return { size: rows.length };
  const width = rows[0].length;
  // A feature with spread in this node, tried in a random order (a constant one cannot split).
  const start = Math.floor(random() * width);
  for (let k = 0; k < width; k++) {
    const feature = (start + k) % width;
    let lo = Infinity, hi = -Infinity;
    for (const row of rows) {
      lo = Math.min(lo, row[feature]);
      hi = Math.max(hi, row[feature]);
    }
    if (!(hi > lo)) continue;
    const split = lo + random() * (hi - lo);
    const left = rows.filter((row) => row[feature] < split);
    const right = rows.filter((row) => row[feature] >= split);
    return {
      feature,
      split,
      left: grow(left, height + 1, limit, random),
      right: grow(right, height + 1, limit, random),
    };
  }
  return { size: rows.length };
}

/** Trains a forest: `trees` trees, each on `sampleSize` rows drawn without replacement, height limit log2. */
export function trainIsolationForest(
  rows: readonly ArrayLike<number>[],
  options: { trees?: number; sampleSize?: number; seed?: number } = {},
): IsolationForest {
  const random = mulberry(options.seed ?? 1);
  const sampleSize = Math.min(options.sampleSize ?? 256, rows.length);
  const limit = Math.ceil(Math.log2(Math.max(2, sampleSize)));
  const trees = Array.from({ length: options.trees ?? 100 }, () => {
    const indexes = Array.from(rows.keys());
    for (let i = 0; i < sampleSize; i++) { // partial Fisher-Yates shuffle
      const j = i + Math.floor(random() * (indexes.length - i));
      [indexes[i], indexes[j]] = [indexes[j], indexes[i]];
    }
    return grow(indexes.slice(0, sampleSize).map((i) => rows[i]), 0, limit, random);
  });
  return { trees, sampleSize };
}

function pathLength(node: IsolationNode, row: ArrayLike<number>, height: number): number {
  if ("size" in node) return height + averagePathLength(node.size);
  return pathLength(row[node.feature] < node.split ? node.left : node.right, row, height + 1);
}

/** The anomaly score 2^(-E[h(x)] / c(sampleSize)): near 1 anomalous, 0.5 or less ordinary. */
export function isolationScore(forest: IsolationForest, row: ArrayLike<number>): number {
  let sum = 0;
  for (const tree of forest.trees) sum += pathLength(tree, row, 0);
  return Math.pow(2, -(sum / forest.trees.length) / averagePathLength(forest.sampleSize));
}
