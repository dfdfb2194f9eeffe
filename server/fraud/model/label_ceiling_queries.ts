/**
 * The counts a review ceiling is proposed from (`label_ceiling.ts`): the sales of the window before today
 * (UTC) and how many of them were confirmed as fraud before today (an analyst's label, or a chargeback or
 * refund marked as fraud: both are `fraud_label = 'fraud'` with the time it was set).
 */
import type { Sql } from "../../db/mod.ts";
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

/** Today's proposal from the shop's labels, or null while too few sales are confirmed as fraud. */
export async function labelCeilingProposalNow(sql: Sql, now = Date.now()): Promise<CeilingProposal | null> {
  const counts = await readLabelCounts(sql, dayStartMs(now), LABEL_CEILING.windowDays);
  return proposeCeilingFromLabels(counts, LABEL_CEILING);
}
