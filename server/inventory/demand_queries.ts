import type { Sql } from "../db/mod.ts";
import { dailyDemandSeries, type DemandSeries } from "./demand_series.ts";
import { addDays } from "./store_day.ts";

/** Options of `loadDemandHistories`. */
export interface DemandHistoryOptions {
  /** The store's IANA time zone: days are its calendar days. */
  timeZone: string;
  /** Last day of history ("YYYY-MM-DD"), normally yesterday: today is not over yet. */
  lastDay: string;
  /** Days of history to read, counting back from `lastDay` (1-1,096). */
  days: number;
  /** Only these products (default: every active product). */
  productIds?: readonly number[];
}

/**
 * Daily units sold per product, zero days filled, oldest first, for every active product (or the
 * given ones) in one query. Only completed transactions count: a refunded or cancelled order drops
 * out whole, so a refund nets its sale out of the day it was sold rather than showing as negative
 * demand on the day of the refund. A series starts on the product's first sale inside the window
 * (days before a product ever sold are not zero demand, it was not on sale); a product with no
 * sale in the window gets an empty series.
 */
export async function loadDemandHistories(
  sql: Sql,
  options: DemandHistoryOptions,
): Promise<Map<number, DemandSeries>> {
  const days = Math.max(1, Math.min(1096, Math.floor(options.days)));
  const firstDay = addDays(options.lastDay, -(days - 1));
  const afterLastDay = addDays(options.lastDay, 1);
  const tz = options.timeZone;
  const onlyProducts = options.productIds
    ? sql`and p.id = any(${sql.array([...options.productIds], 20)}::bigint[])`
    : sql`and p.is_active`;
  // Sales are aggregated per product and day in the database, then sent as one array pair per
  // product: the wire carries only days with sales, and zero filling happens here.
  const rows = await sql<{ productId: number; days: string[] | null; units: number[] | null }[]>`
    with daily as (
      select i.product_id,
             (t.created_at at time zone ${tz})::date as day,
             sum(i.quantity)::int4 as units
      from transactions t
      join transaction_items i on i.transaction_id = t.id
      where t.status = 'completed'
        and t.created_at >= (${firstDay}::date::timestamp at time zone ${tz})
        and t.created_at < (${afterLastDay}::date::timestamp at time zone ${tz})
      group by 1, 2
    )
    select p.id as "productId",
           array_agg(d.day::text order by d.day) filter (where d.day is not null) as days,
           array_agg(d.units order by d.day) filter (where d.day is not null) as units
    from products p
    left join daily d on d.product_id = p.id
    where true ${onlyProducts}
    group by p.id
    order by p.id`;
  const histories = new Map<number, DemandSeries>();
  for (const row of rows) {
    const sales = (row.days ?? []).map((day, index) => ({ day, units: row.units![index] }));
    histories.set(
      row.productId,
      sales.length ? dailyDemandSeries(sales, { to: options.lastDay }) : { start: null, days: [], units: [] },
    );
  }
  return histories;
}
