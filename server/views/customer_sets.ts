import type { Sql, TransactionSql } from "../db/mod.ts";
import { planCoverage, type TimeRange } from "./coverage.ts";
import { staleBuckets } from "./rollups.ts";
import { inBaseRanges, inRanges, readViewState } from "./view_reads.ts";

/**
 * Distinct customers per UTC day as bitmaps (migration 0080): row (day, chunk) has bit n set when
 * customer `chunk * 8192 + n` completed a sale that day. The chunk width is fixed by the column
 * type `bit(8192)`; the shifts below (`>> 13`, `& 8191`) must match it.
 */
export const customerSets = "customer_daily_sets";
export type CustomerSets = typeof customerSets;

const dayMs = 86_400_000;

/**
 * Brings customer_daily_sets up to date inside the caller's transaction: in full the first time,
 * then the days from the previous watermark (less the settling margin) on and the older days whose
 * transactions changed since.
 * @returns how many older days were recomputed (null: rebuilt in full)
 */
export async function refreshCustomerSets(
  tx: TransactionSql,
  previousWatermark: Date | null,
): Promise<number | null> {
  const stale = await staleBuckets(tx, previousWatermark, "day");
  if (stale.recentFrom === null) {
    await tx`delete from customer_daily_sets`;
  } else {
    await tx`
      delete from customer_daily_sets
      where day >= ${stale.recentFrom} or day = any(${
      stale.changed.map((d) => d.toISOString())
    }::timestamptz[])`;
  }
  // B'1' widened to bit(8192) is a one followed by zeros: shifted right by n it sets bit n alone
  await tx`
    insert into customer_daily_sets (day, chunk, members)
    select date_trunc('day', t.created_at, 'UTC'), t.customer_id >> 13,
           bit_or(B'1'::bit(8192) >> (t.customer_id & 8191)::int)
    from transactions t
    where t.status = 'completed' and t.customer_id is not null and (${
    inRanges(tx, "t.created_at", stale.ranges)
  })
    group by 1, 2`;
  return stale.recentFrom === null ? null : stale.changed.length;
}

/** The sets' cut and changed days over `range`, read once for several windows inside it. */
export function readCustomerSetsState(
  sql: Sql,
  range: TimeRange,
): Promise<{ cut: Date | null; dirtyBuckets: Date[] }> {
  return readViewState(sql, customerSets, range, "day");
}

/**
 * Distinct customers with a completed sale in `range`, exact: the whole UTC days the sets cover
 * (OR-ed per chunk, bits counted), plus the customers of the edges, the recent part and changed
 * days read from transactions that none of those days holds.
 * @param state the sets' state read once for several ranges (`readCustomerSetsState` over a range covering them)
 */
export async function countDistinctCustomers(
  sql: Sql,
  range: TimeRange,
  state?: { cut: Date | null; dirtyBuckets: Date[] },
): Promise<number> {
  const [from, to] = range;
  if (to.getTime() <= from.getTime()) return 0;
  const plan = planCoverage(range, {
    bucketMs: dayMs,
    ...(state ?? await readCustomerSetsState(sql, range)),
  });
  const [row] = await sql<[{ customers: number }]>`
    with sets as materialized (
      select chunk, bit_or(members) as members
      from customer_daily_sets
      where day >= ${plan.viewFrom} and day < ${plan.viewTo}
        and day <> all(${plan.skipBuckets.map((d) => d.toISOString())}::timestamptz[])
      group by chunk
    ),
    others as (
      select distinct t.customer_id
      from transactions t
      where (${inBaseRanges(sql, "t.created_at", plan)}) and t.status = 'completed'
        and t.customer_id is not null
    )
    select (select coalesce(sum(bit_count(members)), 0) from sets)::bigint
         + (select count(*) from others o left join sets s on s.chunk = o.customer_id >> 13
            where s.members is null or get_bit(s.members, (o.customer_id & 8191)::int) = 0)::bigint
           as customers`;
  return row.customers;
}
