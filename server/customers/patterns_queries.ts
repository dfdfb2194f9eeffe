import type { Sql, TransactionSql } from "../db/mod.ts";
import type { CustomerActivity, RfmScore } from "./patterns_segments.ts";

/** A customer's purchase pattern as read from completed orders. */
export interface CustomerPatternActivity extends CustomerActivity {
  averageOrderCents: number;
  /** Category the customer spent most on (ties: more units, then name); null without items. */
  favouriteCategory: string | null;
  /** Mean days between consecutive orders; null with fewer than two orders. */
  averageIntervalDays: number | null;
}

/**
 * Recency, frequency, monetary value, average order, favourite category and average interval
 * between orders of every customer with at least one completed order, as of `now`, in one query.
 */
export async function loadCustomerActivity(
  sql: Sql | TransactionSql,
  now: Date,
): Promise<CustomerPatternActivity[]> {
  return await sql<CustomerPatternActivity[]>`
    with orders as (
      select customer_id,
             count(*)::int4 as frequency,
             sum(total_cents - refunded_cents)::bigint as monetary,
             min(created_at) as first_at,
             max(created_at) as last_at
      from transactions
      where status = 'completed' and customer_id is not null and created_at <= ${now}
      group by customer_id
    ),
    category_spend as (
      select distinct on (t.customer_id) t.customer_id, p.category
      from transactions t
      join transaction_items i on i.transaction_id = t.id
      join products p on p.id = i.product_id
      where t.status = 'completed' and t.customer_id is not null and t.created_at <= ${now}
      group by t.customer_id, p.category
      order by t.customer_id, sum(i.line_total_cents - i.refunded_cents) desc, sum(i.quantity) desc, p.category
    )
    select o.customer_id as "customerId",
           floor(extract(epoch from (${now}::timestamptz - o.last_at)) / 86400)::int4 as "recencyDays",
           o.frequency,
           o.monetary as "monetaryCents",
           round(o.monetary::numeric / o.frequency)::bigint as "averageOrderCents",
           c.category as "favouriteCategory",
           case when o.frequency > 1
                then round((extract(epoch from (o.last_at - o.first_at)) / 86400 / (o.frequency - 1))::numeric, 2)
           end as "averageIntervalDays"
    from orders o
    left join category_spend c on c.customer_id = o.customer_id
    order by o.customer_id`;
}

/**
 * Replaces every stored purchase pattern with these (customers without orders drop out), as of
 * `computedAt`. Call inside a transaction so readers never see a half-written table.
 */
export async function replaceCustomerPatterns(
  tx: TransactionSql,
  patterns: readonly { activity: CustomerPatternActivity; score: RfmScore }[],
  computedAt: Date,
): Promise<number> {
  await tx`delete from customer_purchase_patterns`;
  const chunk = 5000;
  let written = 0;
  for (let start = 0; start < patterns.length; start += chunk) {
    const rows = patterns.slice(start, start + chunk).map(({ activity: a, score: s }) => ({
      customer_id: a.customerId,
      recency_days: a.recencyDays,
      frequency: a.frequency,
      monetary_cents: a.monetaryCents,
      average_order_cents: a.averageOrderCents,
      favourite_category: a.favouriteCategory,
      average_interval_days: a.averageIntervalDays,
      r_score: s.r,
      f_score: s.f,
      m_score: s.m,
      segment: s.segment,
    }));
    const result = await tx`
      insert into customer_purchase_patterns (customer_id, recency_days, frequency, monetary_cents,
        average_order_cents, favourite_category, average_interval_days, r_score, f_score, m_score, segment,
        computed_at)
      select r.customer_id, r.recency_days, r.frequency, r.monetary_cents, r.average_order_cents,
             r.favourite_category, r.average_interval_days, r.r_score, r.f_score, r.m_score, r.segment,
             ${computedAt}
      from jsonb_to_recordset(${tx.json(rows as never)}::jsonb) as r(
        customer_id bigint, recency_days int, frequency int, monetary_cents bigint, average_order_cents bigint,
        favourite_category text, average_interval_days numeric, r_score smallint, f_score smallint,
        m_score smallint, segment text)`;
    written += result.count;
  }
  return written;
}

/** One customer's stored purchase pattern, or undefined. */
export async function findCustomerPattern(sql: Sql, customerId: number) {
  const [row] = await sql<
    [
      (Omit<CustomerPatternActivity, "customerId"> & RfmScore & { customerId: number; computedAt: Date })?,
    ]
  >`
    select customer_id as "customerId", recency_days as "recencyDays", frequency, monetary_cents as "monetaryCents",
           average_order_cents as "averageOrderCents", favourite_category as "favouriteCategory",
           average_interval_days as "averageIntervalDays", r_score as r, f_score as f, m_score as m, segment,
           computed_at as "computedAt"
    from customer_purchase_patterns
    where customer_id = ${customerId}`;
  return row;
}
