/**
 * The counts a review ceiling is proposed from (`label_ceiling.ts`): the sales of the window before today
 * (UTC) and how many of them were confirmed as fraud before today (an analyst's label, or a chargeback or
 * refund marked as fraud: both are `fraud_label = 'fraud'` with the time it was set).
 *
 * The Fraud page reads the proposal on every load, so the counts are kept per instance (per pool) for the
 * day: they change only when a sale is labeled or refunded (`transaction.updated`; a label that takes a
 * sale out of "fraud before today" counts at once) or a sale dated before today arrives
 * (`transaction.created` with such a `createdAt`), and either event, from any instance, drops them. An
 * import publishes nothing, so the counts are read again after `RECHECK_MS` whatever happened.
 */
import type { Sql } from "../../db/mod.ts";
import type { AppEvent, EventBus } from "../../events/bus.ts";
import {
  type CeilingProposal,
  LABEL_CEILING,
  type LabelCounts,
  proposeCeilingFromLabels,
} from "./label_ceiling.ts";
import { DAY_MS, dayStartMs } from "./operating_point.ts";

/** Sales in the `windowDays` before `dayMs`, and those of them labeled fraud before `dayMs`. */
export async function readLabelCounts(sql: Sql, dayMs: number, windowDays: number): Promise<LabelCounts> {
  const day = new Date(dayMs), from = new Date(dayMs - windowDays * DAY_MS);
  const [row] = await sql<[{ sales: string; fraud: string }]>`
    select count(*) as sales,
      count(*) filter (where fraud_label = 'fraud' and labeled_at < ${day}) as fraud
    from transactions
    where created_at >= ${from} and created_at < ${day}`;
  return { sales: Number(row.sales), confirmedFraud: Number(row.fraud) };
}

/** The proposal of the day starting at `dayMs`, read fresh (the day's operating point reads it once). */
export async function readLabelProposal(sql: Sql, dayMs: number): Promise<CeilingProposal | null> {
  return proposeCeilingFromLabels(await readLabelCounts(sql, dayMs, LABEL_CEILING.windowDays), LABEL_CEILING);
}

/** Counts kept this long are read again even without an event (an import publishes none). */
export const LABEL_COUNTS_RECHECK_MS = 10 * 60_000;

// the day's counts per pool (tests open many), pending or settled: page loads arriving together share one read
const kept = new WeakMap<object, { day: number; at: number; counts: Promise<LabelCounts> }>();
// the pools whose instance already drops its counts on the events above
const following = new WeakSet<object>();

/** True when `event` may change the counts of the window before `day` (ms since epoch, a UTC day's start). */
export function changesLabelCounts(event: AppEvent, day: number): boolean {
  if (event.type === "transaction.updated") return true;
  if (event.type === "transaction.created") return Date.parse(event.data.createdAt) < day;
  return false;
}

/**
 * Today's proposal from the shop's labels, or null while too few sales are confirmed as fraud. The counts
 * are read once per instance and day, and again after an event that changes them (see the top of the file).
 */
export async function labelCeilingProposalNow(
  deps: { sql: Sql; bus: EventBus },
  now = Date.now(),
): Promise<CeilingProposal | null> {
  follow(deps);
  const day = dayStartMs(now);
  let entry = kept.get(deps.sql);
  if (!entry || entry.day !== day || Math.abs(now - entry.at) >= LABEL_COUNTS_RECHECK_MS) {
    const read = { day, at: now, counts: readLabelCounts(deps.sql, day, LABEL_CEILING.windowDays) };
    kept.set(deps.sql, read);
    // a failed read is not kept: the next page load asks again
    read.counts.catch(() => kept.get(deps.sql) === read && kept.delete(deps.sql));
    entry = read;
  }
  return proposeCeilingFromLabels(await entry.counts, LABEL_CEILING);
}

function follow(deps: { sql: Sql; bus: EventBus }): void {
  if (following.has(deps.sql)) return;
  following.add(deps.sql);
  deps.bus.subscribe((event) => {
    const entry = kept.get(deps.sql);
    if (entry && changesLabelCounts(event, entry.day)) forgetLabelCounts(deps.sql);
  });
}

/** Drops this instance's counts (the events above do it; tests that write labels with SQL call it). */
export function forgetLabelCounts(sql: Sql): void {
  kept.delete(sql);
}
