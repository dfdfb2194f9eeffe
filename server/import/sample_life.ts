/**
 * What makes the imported sample look like a shop that has been running: purchase orders in every
 * state (received on time and late, open, overdue, cancelled) and fraud verdicts analysts would have
 * recorded on the older suspicious sales. Runs once, right after the sample import.
 * @module
 */
import type { Sql } from "../db/mod.ts";

const dayMs = 86_400_000;

/** The purchase orders of the sample: [days ago ordered, days late (null: not received), status]. */
const orderPlan: { orderedDaysAgo: number; receivedLateDays: number | null; status: string }[] = [
  { orderedDaysAgo: 30, receivedLateDays: -1, status: "received" },
  { orderedDaysAgo: 24, receivedLateDays: 3, status: "received" },
  { orderedDaysAgo: 18, receivedLateDays: 0, status: "received" },
  { orderedDaysAgo: 12, receivedLateDays: null, status: "cancelled" },
  { orderedDaysAgo: 9, receivedLateDays: null, status: "ordered" },
  { orderedDaysAgo: 2, receivedLateDays: null, status: "ordered" },
];

/**
 * Adds the sample's purchase orders, each for one product of its supplier's catalog (history only:
 * received ones do not change today's stock). Returns how many were added; none when any exist.
 */
export async function addSamplePurchaseOrders(sql: Sql, now: Date): Promise<number> {
  return await sql.begin(async (tx) => {
    const [{ count }] = await tx<[{ count: number }]>`select count(*)::int as count from purchase_orders`;
    if (count > 0) return 0;
    const offers = await tx<
      { supplierId: number; productId: number; unitCostCents: number; leadTimeDays: number }[]
    >`
      select distinct on (ps.supplier_id) ps.supplier_id as "supplierId", ps.product_id as "productId",
             ps.unit_cost_cents::int as "unitCostCents", ps.lead_time_days as "leadTimeDays"
      from product_suppliers ps
      join suppliers s on s.id = ps.supplier_id and s.is_active
      join products p on p.id = ps.product_id and p.is_active
      order by ps.supplier_id, p.stock_quantity, ps.product_id`;
    if (offers.length === 0) return 0;
    let added = 0;
    for (const [index, plan] of orderPlan.entries()) {
      const offer = offers[index % offers.length];
      const orderedAt = new Date(now.getTime() - plan.orderedDaysAgo * dayMs);
      const expectedAt = new Date(orderedAt.getTime() + offer.leadTimeDays * dayMs);
      const receivedAt = plan.receivedLateDays === null
        ? null
        : new Date(expectedAt.getTime() + plan.receivedLateDays * dayMs);
      const quantity = 20 + 10 * index;
      const [order] = await tx<[{ id: number }]>`
        insert into purchase_orders (supplier_id, status, total_cents, ordered_at, expected_at, received_at, note)
        values (${offer.supplierId}, ${plan.status}, ${
        quantity * offer.unitCostCents
      }, ${orderedAt}, ${expectedAt},
                ${receivedAt}, 'sample history')
        returning id`;
      await tx`
        insert into purchase_order_lines (purchase_order_id, product_id, quantity, unit_cost_cents)
        values (${order.id}, ${offer.productId}, ${quantity}, ${offer.unitCostCents})`;
      added += 1;
    }
    return added;
  });
}

/**
 * Records the verdicts an analyst would have given the sample's suspicious sales older than a week.
 * The sample's fraud (its bursts) came with its chargeback labels in the import; every other sale the
 * screen flagged was, in truth, legitimate, and the analyst says so. The last week's flagged sales stay
 * unlabeled: the review queue a new user opens has work in it.
 * Returns how many were labeled.
 */
export async function labelSampleFraudHistory(
  sql: Sql,
  options: { now: Date },
): Promise<number> {
  const before = new Date(options.now.getTime() - 7 * dayMs);
  const labeled = await sql`
    update transactions
    set fraud_label = 'legit', labeled_at = created_at + interval '4 hours', labeled_by = 'sample analyst'
    where fraud_decision <> 'allow' and fraud_label is null and created_at < ${before}`;
  return labeled.count;
}
