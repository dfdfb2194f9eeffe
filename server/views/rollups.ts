import type { TransactionSql } from "../db/mod.ts";
import type { TimeRange } from "./coverage.ts";
import { changedBuckets, inRanges, settleMs } from "./view_reads.ts";

/** Hourly rollup tables kept incrementally (migration 0033), refreshed after the views. */
export const hourlyRollups = ["product_hourly_sales", "category_hourly_sales"] as const;
export type HourlyRollup = (typeof hourlyRollups)[number];

const hourMs = 3_600_000;
const beginning = new Date("1970-01-01T00:00:00Z");
const end = new Date("9999-01-01T00:00:00Z");

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
  let ranges: TimeRange[];
  let hours: number | null = null;
  if (previousWatermark === null) {
    ranges = [[beginning, end]];
    await tx`delete from ${tx(rollup)}`;
  } else {
    const since = new Date(previousWatermark.getTime() - settleMs);
    const recentFrom = new Date(Math.floor(since.getTime() / hourMs) * hourMs);
    const changed = await changedBuckets(tx, { since, from: beginning, before: recentFrom, unit: "hour" });
    ranges = [...changed.map((hour): TimeRange => [hour, new Date(hour.getTime() + hourMs)]), [
      recentFrom,
      end,
    ]];
    hours = changed.length;
    await tx`
      delete from ${tx(rollup)}
      where hour >= ${recentFrom} or hour = any(${changed.map((d) => d.toISOString())}::timestamptz[])`;
  }
  const inside = inRanges(tx, "t.created_at", ranges);
  if (rollup === "product_hourly_sales") {
    await tx`
      insert into product_hourly_sales (hour, product_id, units, revenue_cents, orders)
      select date_trunc('hour', t.created_at, 'UTC'), i.product_id, sum(i.quantity), sum(i.line_total_cents),
             count(distinct t.id)
      from transactions t join transaction_items i on i.transaction_id = t.id
      where t.status = 'completed' and (${inside})
      group by 1, 2`;
  } else {
    await tx`
      insert into category_hourly_sales (hour, category, units, revenue_cents, cost_cents, orders)
      select date_trunc('hour', t.created_at, 'UTC'), p.category, sum(i.quantity), sum(i.line_total_cents),
             sum(i.quantity * coalesce(p.cost_cents, 0)), count(distinct t.id)
      from transactions t
      join transaction_items i on i.transaction_id = t.id
      join products p on p.id = i.product_id
      where t.status = 'completed' and (${inside})
      group by 1, 2`;
  }
  return hours;
}
