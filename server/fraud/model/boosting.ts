/**
 * Gradient-boosted decision trees for a yes/no label (logistic loss), on histogram bins. Small and exact
 * enough for a shop's fraud model: trains on 100 000 sales in seconds, predicts in microseconds, and the
 * whole model is plain JSON (stored in PostgreSQL, shipped as the cold-start prior).
 *
 * Why not a library: measured in docs/fraud.md, the mljs forest and logistic regression and TensorFlow.js
 * on its CPU backend each needed a minute or more on fewer rows than one shop's history.
 *
 * Missing values (NaN) get their own bin and each split learns which side they go, so "no device sent" is
 * not confused with "device seen 0 times". Per-prediction contributions follow the path through each
 * tree (the change of the node value at every split is credited to the split's feature), so they add up
 * exactly to the margin minus the base.
 */

/** A split node: go left when value <= threshold (missing goes where `missingLeft` says). */
export interface SplitNode {
  feature: number;
  threshold: number;
  missingLeft: boolean;
  left: TreeNode;
  right: TreeNode;
  /** Margin this node would give if it were a leaf (used for contributions). */
  value: number;
}

/** A leaf: the margin it adds. */
export interface LeafNode {
  value: number;
}

export type TreeNode = SplitNode | LeafNode;

/** A trained ensemble: margin = base + sum of tree values; probability = sigmoid(margin). */
export interface BoostedTrees {
  base: number;
  trees: TreeNode[];
  featureCount: number;
}

/** Training options; the defaults suit a few thousand to a few hundred thousand rows. */
export interface BoostingOptions {
  rounds?: number;
  depth?: number;
  learningRate?: number;
  /** L2 penalty on leaf values. */
  lambda?: number;
  /** Smallest hessian sum a leaf may have (about the number of rows times p(1-p)). */
  minChildWeight?: number;
  bins?: number;
  /** Weight of a positive row relative to a negative one (class imbalance). */
  positiveWeight?: number;
  /** Share of rows each tree sees. */
  subsample?: number;
  seed?: number;
  /** Indexes of features the trees may not split on (the vector keeps its shape). */
  skip?: readonly number[];
  /**
   * Per feature index: 1 when a larger value may only raise the score, -1 only lower it, 0 free. Enforced at
   * each split (the larger side's leaf value may not be lower), not across the whole tree.
   */
  monotone?: readonly number[];
}

function isSplit(node: TreeNode): node is SplitNode {
  return (node as SplitNode).left !== undefined;
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** Quantile cut points of one feature's non-missing values, at most `bins - 1` distinct ones. */
function cutPoints(values: Float64Array, bins: number): number[] {
  const present = Array.from(values).filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  const cuts: number[] = [];
  for (let i = 1; i < bins; i++) {
    const v = present[Math.floor(i * present.length / bins)];
    if (v !== undefined && (cuts.length === 0 || v > cuts[cuts.length - 1])) cuts.push(v);
  }
  // The largest value must not get a bin of its own past the last cut; cut "value <= c" semantics.
  return cuts.filter((c) => c < present[present.length - 1]);
}

/** Bin of a value: 0 for missing, 1 + number of cuts below it otherwise. */
function binOf(value: number, cuts: number[]): number {
  if (Number.isNaN(value)) return 0;
  let lo = 0, hi = cuts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (value <= cuts[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo + 1;
}

/** A small seeded generator of floats in [0, 1) (mulberry32): training must not depend on Math.random. */
export function mulberry(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Trains on rows (feature vectors) and 0/1 labels. */
export function trainBoostedTrees(
  rows: readonly Float64Array[],
  labels: readonly number[],
  options: BoostingOptions = {},
): BoostedTrees {
  const rounds = options.rounds ?? 150;
  const depth = options.depth ?? 4;
  const rate = options.learningRate ?? 0.1;
  const lambda = options.lambda ?? 1;
  const minChild = options.minChildWeight ?? 2;
  const binCount = options.bins ?? 32;
  const positiveWeight = options.positiveWeight ?? 1;
  const subsample = options.subsample ?? 0.7;
  const random = mulberry(options.seed ?? 1);
  const skipped = new Set(options.skip ?? []);
  const monotone = options.monotone ?? [];
  const n = rows.length;
  const featureCount = rows[0]?.length ?? 0;

  const cuts: number[][] = [];
  const binned: Uint8Array[] = [];
  for (let f = 0; f < featureCount; f++) {
    const column = Float64Array.from(rows, (row) => row[f]);
    const c = cutPoints(column, binCount);
    cuts.push(c);
    binned.push(Uint8Array.from(column, (v) => binOf(v, c)));
  }
  const weights = Float64Array.from(labels, (y) => y ? positiveWeight : 1);
  let positive = 0, total = 0;
  for (let i = 0; i < n; i++) {
    total += weights[i];
    if (labels[i]) positive += weights[i];
  }
  const prior = Math.min(1 - 1e-6, Math.max(1e-6, positive / Math.max(total, 1e-9)));
  const base = Math.log(prior / (1 - prior));
  const margin = new Float64Array(n).fill(base);
  const grad = new Float64Array(n), hess = new Float64Array(n);
  const trees: TreeNode[] = [];

  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < n; i++) {
      const p = sigmoid(margin[i]);
      grad[i] = (p - labels[i]) * weights[i];
      hess[i] = Math.max(p * (1 - p), 1e-6) * weights[i];
    }
    const sample: number[] = [];
    for (let i = 0; i < n; i++) if (random() < subsample) sample.push(i);
    const tree = grow(Int32Array.from(sample), 0);
    trees.push(tree);
    for (let i = 0; i < n; i++) margin[i] += treeValue(tree, rows[i]);

    // deno-lint-ignore no-inner-declarations
    function grow(index: Int32Array, level: number): TreeNode {
      let G = 0, H = 0;
      for (let k = 0; k < index.length; k++) {
        G += grad[index[k]];
        H += hess[index[k]];
      }
      const value = -G / (H + lambda) * rate;
      if (level >= depth || H < 2 * minChild) return { value };
      const parentScore = G * G / (H + lambda);
      let best = { gain: 1e-9, feature: -1, bin: 0, missingLeft: false };
      const hg = new Float64Array(binCount + 1), hh = new Float64Array(binCount + 1);
      for (let f = 0; f < featureCount; f++) {
        if (skipped.has(f)) continue;
        const bins = binned[f];
        const last = cuts[f].length + 1;
        if (last < 2) continue;
        hg.fill(0);
        hh.fill(0);
        for (let k = 0; k < index.length; k++) {
          const i = index[k], b = bins[i];
          hg[b] += grad[i];
          hh[b] += hess[i];
        }
        let gl = 0, hl = 0;
        for (let b = 1; b < last; b++) {
          gl += hg[b];
          hl += hh[b];
          // Missing values go left (with the small values), then right: whichever separates better. Left
          // wins ties, so a feature never missing in training sends a missing value to the low side, which
          // for counts of linked accounts is the harmless one.
          for (let side = 1; side >= 0; side--) {
            const GL = side ? gl + hg[0] : gl, HL = side ? hl + hh[0] : hl;
            const GR = G - GL, HR = H - HL;
            if (HL < minChild || HR < minChild) continue;
            const direction = monotone[f] ?? 0;
            if (direction !== 0 && direction * (GL / (HL + lambda) - GR / (HR + lambda)) < 0) continue;
            const gain = GL * GL / (HL + lambda) + GR * GR / (HR + lambda) - parentScore;
            if (gain > best.gain) best = { gain, feature: f, bin: b, missingLeft: side === 1 };
          }
        }
      }
      if (best.feature < 0) return { value };
      const bins = binned[best.feature];
      const goesLeft = (i: number) => bins[i] === 0 ? best.missingLeft : bins[i] <= best.bin;
      const left = index.filter(goesLeft), right = index.filter((i) => !goesLeft(i));
      return {
        feature: best.feature,
        threshold: cuts[best.feature][best.bin - 1],
        missingLeft: best.missingLeft,
        left: grow(left, level + 1),
        right: grow(right, level + 1),
        value,
      };
    }
  }
  return { base, trees, featureCount };
}

function goesLeft(node: SplitNode, x: number): boolean {
  return Number.isNaN(x) ? node.missingLeft : x <= node.threshold;
}

/** The value one tree adds for a row. */
export function treeValue(tree: TreeNode, row: ArrayLike<number>): number {
  let node = tree;
  while (isSplit(node)) node = goesLeft(node, row[node.feature]) ? node.left : node.right;
  return node.value;
}

/** The model's margin (log-odds) for a row. */
export function predictMargin(model: BoostedTrees, row: ArrayLike<number>): number {
  let sum = model.base;
  for (const tree of model.trees) sum += treeValue(tree, row);
  return sum;
}

/**
 * Per-feature contributions to the margin for one row: walking each tree, the change of node value at a
 * split is credited to the split's feature. The root values add to a constant, so contributions plus
 * `base + sum of root values` equal the margin.
 */
export function contributions(model: BoostedTrees, row: ArrayLike<number>): Float64Array {
  const out = new Float64Array(model.featureCount);
  for (const tree of model.trees) {
    let node = tree;
    while (isSplit(node)) {
      const next = goesLeft(node, row[node.feature]) ? node.left : node.right;
      out[node.feature] += next.value - node.value;
      node = next;
    }
  }
  return out;
}

/** How much each feature moves the model: the summed size of the value changes at its splits. */
export function featureUse(model: BoostedTrees): Float64Array {
  const out = new Float64Array(model.featureCount);
  const walk = (node: TreeNode) => {
    if (!isSplit(node)) return;
    out[node.feature] += Math.abs(node.left.value - node.value) + Math.abs(node.right.value - node.value);
    walk(node.left);
    walk(node.right);
  };
  for (const tree of model.trees) walk(tree);
  return out;
}
