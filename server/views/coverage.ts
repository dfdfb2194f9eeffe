/**
 * Which part of a time range a materialized view answers and which part the base tables must.
 *
 * A view bucket (a UTC hour or day) is trusted when it lies wholly inside the range, ends before
 * the view's cut (its watermark less a settling margin) and holds no transaction changed since the
 * refresh. Everything else in the range (partial edge buckets, the part after the cut, and the
 * dirty buckets) is read from the base tables, so view + base together are exact.
 */

/** Half-open interval [start, end). */
export type TimeRange = [start: Date, end: Date];

export interface CoveragePlan {
  /** view buckets with `viewFrom <= bucket < viewTo` are read from the view... */
  viewFrom: Date;
  viewTo: Date;
  /** ...except these (changed since the refresh), which the base ranges cover instead */
  skipBuckets: Date[];
  /** sorted, non-overlapping ranges to read from the base tables */
  baseRanges: TimeRange[];
}

/**
 * Splits `[from, to)` between a view of `bucketMs`-long UTC buckets and the base tables.
 * @param range the half-open range asked for
 * @param options `cut`: no view bucket may end after it (null: the view was never refreshed);
 *   `dirtyBuckets`: starts of view buckets whose rows changed after the refresh
 * @example planCoverage([from, to], { bucketMs: 3_600_000, cut, dirtyBuckets: [] })
 */
export function planCoverage(
  range: TimeRange,
  options: { bucketMs: number; cut: Date | null; dirtyBuckets: Date[] },
): CoveragePlan {
  const [from, to] = range;
  const size = options.bucketMs;
  if (to.getTime() <= from.getTime()) {
    return { viewFrom: from, viewTo: from, skipBuckets: [], baseRanges: [] };
  }
  const viewFromMs = Math.ceil(from.getTime() / size) * size;
  const limit = options.cut ? Math.min(to.getTime(), options.cut.getTime()) : -Infinity;
  const viewToMs = Math.floor(limit / size) * size;
  if (!Number.isFinite(viewToMs) || viewToMs <= viewFromMs) {
    return { viewFrom: from, viewTo: from, skipBuckets: [], baseRanges: [[from, to]] };
  }
  const skipMs = [
    ...new Set(options.dirtyBuckets.map((bucket) => Math.floor(bucket.getTime() / size) * size)),
  ]
    .filter((start) => start >= viewFromMs && start < viewToMs)
    .sort((a, b) => a - b);
  const pieces: [number, number][] = [];
  if (from.getTime() < viewFromMs) pieces.push([from.getTime(), viewFromMs]);
  for (const start of skipMs) pieces.push([start, start + size]);
  if (viewToMs < to.getTime()) pieces.push([viewToMs, to.getTime()]);
  const merged: [number, number][] = [];
  for (const piece of pieces) {
    const last = merged[merged.length - 1];
    if (last && last[1] >= piece[0]) last[1] = Math.max(last[1], piece[1]);
    else merged.push([...piece]);
  }
  return {
    viewFrom: new Date(viewFromMs),
    viewTo: new Date(viewToMs),
    skipBuckets: skipMs.map((ms) => new Date(ms)),
    baseRanges: merged.map(([start, end]) => [new Date(start), new Date(end)]),
  };
}
