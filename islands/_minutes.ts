/** The live sales-per-minute window: pure updates the dashboard chart applies as sales arrive. */
import type { RouterOutputs } from "../client/mod.ts";

/** One minute of sales as the router reads them; `minute` is the minute's start. */
export type MinuteBucket = RouterOutputs["dashboard"]["realtimeMetrics"]["minutes"][number];

const minuteMs = 60_000;

function minuteOf(time: Date | string): number {
  return Math.floor(new Date(time).getTime() / minuteMs) * minuteMs;
}

/**
 * Slides the window so its last bucket is the minute of `now`, adding empty minutes and dropping
 * the oldest, keeping its length. A `now` inside the window changes nothing.
 * @param buckets oldest first, one per minute without gaps
 * @param now the current time
 */
export function advanceWindow(buckets: MinuteBucket[], now: Date | string): MinuteBucket[] {
  if (buckets.length === 0) return buckets;
  const last = buckets[buckets.length - 1].minute.getTime();
  const target = minuteOf(now);
  if (target <= last) return buckets;
  const added: MinuteBucket[] = [];
  // never more than a window's worth: after a long sleep the whole window is new
  const start = Math.max(last + minuteMs, target - (buckets.length - 1) * minuteMs);
  for (let minute = start; minute <= target; minute += minuteMs) {
    added.push({ minute: new Date(minute), orders: 0, revenueCents: 0 });
  }
  return [...buckets, ...added].slice(-buckets.length);
}

/**
 * Adds one completed sale to its minute (sliding the window first when the sale is newer than it);
 * a sale older than the window, or not completed, leaves it unchanged.
 * @param buckets the window, oldest first
 * @param sale the new transaction as the live feed reports it
 */
export function addSale(
  buckets: MinuteBucket[],
  sale: { createdAt: Date | string; totalCents: number; status: string },
): MinuteBucket[] {
  if (sale.status !== "completed") return buckets;
  const window = advanceWindow(buckets, sale.createdAt);
  const minute = minuteOf(sale.createdAt);
  const index = window.findIndex((bucket) => bucket.minute.getTime() === minute);
  if (index < 0) return window;
  const next = window.slice();
  next[index] = {
    ...next[index],
    orders: next[index].orders + 1,
    revenueCents: next[index].revenueCents + sale.totalCents,
  };
  return next;
}
