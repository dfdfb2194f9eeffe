import type { Sql, TransactionSql } from "../db/mod.ts";

/** The prefix of every order reference: the sample's style, `TM-105001`. */
export const ORDER_REF_PREFIX = "TM-";

/**
 * Draws the next order reference from `order_ref_seq` (migrations/0140): one number per sale, never
 * the same twice under any concurrency. A number drawn by a sale that rolls back is skipped. When an
 * import has brought higher TM- numbers since, the sequence is moved past them first.
 */
export async function nextOrderRef(tx: Sql | TransactionSql): Promise<string> {
  for (let attempt = 0;; attempt++) {
    const [row] = await tx<[{ ref: string; taken: boolean }]>`
      with drawn as (select ${ORDER_REF_PREFIX} || nextval('order_ref_seq') as ref)
      select ref, exists (select 1 from transactions t where t.order_ref = drawn.ref) as taken from drawn`;
    if (!row.taken || attempt === 2) return row.ref;
    // a second collision means a gap beyond the drawing bound (an import of many numbers): jump it
    if (attempt === 0) await drawPastTakenRefs(tx);
    else await syncOrderRefSequence(tx);
  }
}

/**
 * Moves the sequence past the highest `TM-` reference in the data by drawing numbers, not by `setval`:
 * sales draw their numbers concurrently (before any lock), and a `setval` computed from a value read a
 * moment earlier could move the sequence back under a number another sale just drew. Drawing only ever
 * moves forward. Bounded: a larger gap (an import) is jumped by `syncOrderRefSequence`.
 */
async function drawPastTakenRefs(tx: Sql | TransactionSql): Promise<void> {
  await tx`
    select count(nextval('order_ref_seq')) from generate_series(1, least(10000, greatest(1,
      coalesce((select max(substring(order_ref from 4)::bigint) from transactions
                where order_ref ~ '^TM-[0-9]{1,15}$'), 0) - (select last_value from order_ref_seq))))`;
}

/**
 * Moves the sequence past the highest `TM-` reference in the data (after importing a sample or a
 * file that brought its own), so the next sale continues the numbering instead of colliding.
 */
export async function syncOrderRefSequence(sql: Sql | TransactionSql): Promise<void> {
  await sql`
    select setval('order_ref_seq', greatest(
      (select last_value from order_ref_seq),
      100000,
      coalesce((select max(substring(order_ref from 4)::bigint) from transactions
                where order_ref ~ '^TM-[0-9]{1,15}$'), 0)))`;
}
