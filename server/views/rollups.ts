import type { TransactionSql } from "../db/mod.ts";
import type { TimeRange } from "./coverage.ts";
import { changedBuckets, inRanges, settleMs, type ViewUnit } from "./view_reads.ts";

/** Hourly rollup tables kept incrementally (migration 0033), refreshed after the views. */
export const hourlyRollups = ["product_hourly_sales", "category_hourly_sales"] as const;
export type HourlyRollup = (typeof hourlyRollups)[number];

const bucketMs = { hour: 3_600_000, day: 86_400_000 } as const;
const beginning = new Date("1970-01-01T00:00:00Z");
const end = new Date("9999-01-01T00:00:00Z");

/** What an incremental refresh recomputes: the buckets to delete and the ranges to aggregate again. */
export interface StaleBuckets {
  /** null: never built, rebuild everything */
  recentFrom: Date | null;
  /** older buckets whose transactions changed since the previous refresh */
  changed: Date[];
  /** `created_at` ranges covering `changed` and everything from `recentFrom` on */
  ranges: TimeRange[];
}

/**
 * The `unit` buckets a rollup must recompute to catch up from `previousWatermark`: every bucket
 * from the watermark less the settling margin on, plus older buckets whose transactions changed
 * since. Same exactness contract as a view refresh (server/views/view_reads.ts).
 */
export async function staleBuckets(
  tx: TransactionSql,
  previousWatermark: Date | null,
  unit: ViewUnit,
): Promise<StaleBuckets> {
  if (previousWatermark === null) return { recentFrom: null, changed: [], ranges: [[beginning, end]] };
  const size = bucketMs[unit];
  const since = new Date(previousWatermark.getTime() - settleMs);
  const recentFrom = new Date(Math.floor(since.getTime() / size) * size);
  const changed = await changedBuckets(tx, { since, from: beginning, before: recentFrom, unit });
  const ranges = [
    ...changed.map((bucket): TimeRange => [bucket, new Date(bucket.getTime() + size)]),
    [recentFrom, end] as TimeRange,
  ];
  return { recentFrom, changed, ranges };
}

/**
 * Brings one hourly rollup up to `watermark` inside the caller's transaction: the first time in
 * full, then only the hours from the previous watermark (less the settling margin) on, plus the
 * older hours whose transactions changed since. Same exactness contract as a view refresh.
 * @returns how many hours were recomputed (null: rebuilt in full)
 */
export async function refreshHourlyRollup(
  tx: TransactionSql,
  rollup: HourlyRollup,
  previousWatermark: Date | null,
): Promise<number | null> {
  const stale = await staleBuckets(tx, previousWatermark, "hour");
  if (stale.recentFrom === null) {
    await tx`delete from ${tx(rollup)}`;
  } else {
    await tx`
      delete from ${tx(rollup)}
      where hour >= ${stale.recentFrom} or hour = any(${
      stale.changed.map((d) => d.toISOString())
    }::timestamptz[])`;
  }
  const inside = inRanges(tx, "t.created_at", stale.ranges);
  if (rollup === "product_hourly_sales") {
    await tx`
      insert into product_hourly_sales (hour, product_id, units, revenue_cents, orders)
      select date_trunc('hour', t.created_at, 'UTC'), i.product_id, sum(i.quantity),
             sum(i.line_total_cents - i.refunded_cents),
             count(distinct t.id)
      from transactions t join transaction_items i on i.transaction_id = t.id
      where t.status = 'completed' and (${inside})
      group by 1, 2`;
  } else {
    await tx`
      insert into category_hourly_sales (hour, category, units, revenue_cents, cost_cents, orders)
      select date_trunc('hour', t.created_at, 'UTC'), p.category, sum(i.quantity),
             sum(i.line_total_cents - i.refunded_cents),
             sum(i.quantity * coalesce(p.cost_cents, 0)), count(distinct t.id)
      from transactions t
      join transaction_items i on i.transaction_id = t.id
      join products p on p.id = i.product_id
      where t.status = 'completed' and (${inside})
      group by 1, 2`;
  }
  return stale.recentFrom === null ? null : stale.changed.length;
}
