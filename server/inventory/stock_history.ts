import type { Sql } from "../db/mod.ts";
import { dayNumber } from "./demand_series.ts";
import { endOfDayStock, stockOutDays } from "./stock_history_math.ts";
import { addDays } from "../shared/store_time.ts";

/**
 * Records end-of-day stock per product for the `days` days up to yesterday (store days). Days
 * already recorded are kept: the first run reconstructs the past from the stock now minus sales,
 * restocks (refunds, cancellations) and purchase-order receipts since; later runs record yesterday,
 * when stock edits made by hand (not logged as movements) have not yet blurred it.
 * @returns rows written
 */
export async function recordStockHistory(
  sql: Sql,
  options: { timeZone: string; today: string; days: number },
): Promise<number> {
  const tz = options.timeZone;
  const days = Math.max(1, Math.min(1096, Math.floor(options.days)));
  const first = addDays(options.today, -days);
  const [bounds] = await sql<[{ fromAt: Date }]>`
    select (${first}::date::timestamp at time zone ${tz}) as "fromAt"`;
  // Net movements per product and day offset from `first` (offset `days` is today so far).
  const rows = await sql<
    { productId: number; stock: number; offsets: number[] | null; changes: number[] | null }[]
  >`
    with moves as (
      select i.product_id, t.created_at as at, -i.quantity as change
      from transactions t join transaction_items i on i.transaction_id = t.id
      where t.created_at >= ${bounds.fromAt} and t.status in ('completed', 'refunded', 'cancelled')
        and not exists (select 1 from transaction_status_changes c
                        where c.transaction_id = t.id and c.from_status = 'pending')
      union all
      select i.product_id, c.changed_at, i.quantity
      from transaction_status_changes c join transaction_items i on i.transaction_id = c.transaction_id
      where c.stock_restored and c.changed_at >= ${bounds.fromAt}
      union all
      select l.product_id, o.received_at, l.quantity
      from purchase_orders o join purchase_order_lines l on l.purchase_order_id = o.id
      where o.status = 'received' and o.received_at >= ${bounds.fromAt}
    ), daily as (
      select product_id, ((at at time zone ${tz})::date - ${first}::date) as offset_day, sum(change)::int as change
      from moves group by 1, 2
    )
    select p.id as "productId", p.stock_quantity as stock,
           array_agg(d.offset_day order by d.offset_day) filter (where d.offset_day is not null) as offsets,
           array_agg(d.change order by d.offset_day) filter (where d.offset_day is not null) as changes
    from products p left join daily d on d.product_id = p.id
    group by p.id, p.stock_quantity`;
  const productIds: number[] = [];
  const dayList: string[] = [];
  const stocks: number[] = [];
  for (const row of rows) {
    const movements = new Map<number, number>();
    (row.offsets ?? []).forEach((offset, i) => movements.set(offset, row.changes![i]));
    endOfDayStock(row.stock, movements, days).forEach((stock, offset) => {
      productIds.push(row.productId);
      dayList.push(addDays(first, offset));
      stocks.push(stock);
    });
  }
  let written = 0;
  const CHUNK = 20_000;
  for (let start = 0; start < productIds.length; start += CHUNK) {
    const result = await sql`
      insert into stock_history (product_id, day, end_stock)
      select * from unnest(${sql.array(productIds.slice(start, start + CHUNK), 20)}::bigint[],
                           ${sql.array(dayList.slice(start, start + CHUNK), 25)}::text[]::date[],
                           ${sql.array(stocks.slice(start, start + CHUNK), 23)}::int[])
      on conflict (product_id, day) do nothing`;
    written += result.count;
  }
  return written;
}

/**
 * Per product, which days of `[firstDay, lastDay]` were out of stock (see `stockOutDays`), as a
 * mask from `firstDay`. Products or days without recorded stock count as in stock.
 */
export async function loadStockOutMasks(
  sql: Sql,
  options: { firstDay: string; lastDay: string; productIds?: readonly number[] },
): Promise<Map<number, boolean[]>> {
  const before = addDays(options.firstDay, -1);
  const onlyProducts = options.productIds
    ? sql`and product_id = any(${sql.array([...options.productIds], 20)}::bigint[])`
    : sql``;
  const rows = await sql<{ productId: number; day: string; endStock: number }[]>`
    select product_id as "productId", day::text as day, end_stock as "endStock"
    from stock_history
    where day between ${before}::date and ${options.lastDay}::date ${onlyProducts}
    order by product_id, day`;
  const first = dayNumber(options.firstDay);
  const span = dayNumber(options.lastDay) - first + 1;
  const ends = new Map<number, { previous: number | null; days: (number | null)[] }>();
  for (const row of rows) {
    let entry = ends.get(row.productId);
    if (!entry) ends.set(row.productId, entry = { previous: null, days: new Array(span).fill(null) });
    const offset = dayNumber(row.day) - first;
    if (offset < 0) entry.previous = row.endStock;
    else entry.days[offset] = row.endStock;
  }
  const masks = new Map<number, boolean[]>();
  for (const [productId, entry] of ends) masks.set(productId, stockOutDays(entry.days, entry.previous));
  return masks;
}
