import type { Sql } from "../db/mod.ts";
import { startOfStoreDay } from "../shared/store_time.ts";
import { addDays, storeDay } from "../shared/store_time.ts";

/** A breakdown line of a daily report. */
export interface ReportLine {
  key: string;
  orders: number;
  units: number;
  revenueCents: number;
}

export interface ReportProductLine extends ReportLine {
  productId: number;
  sku: string;
  name: string;
}

/** One store day's sales, as the daily report stored it. */
export interface DailySalesReport {
  reportDate: string;
  timeZone: string;
  startsAt: Date;
  endsAt: Date;
  orders: number;
  revenueCents: number;
  units: number;
  customers: number;
  averageOrderCents: number;
  refundedOrders: number;
  refundedCents: number;
  cancelledOrders: number;
  suspiciousOrders: number;
  byHour: ReportLine[];
  byCategory: ReportLine[];
  byPayment: ReportLine[];
  topProducts: ReportProductLine[];
  generatedAt: Date;
}

/** The report list's row: the headline figures only. */
export type DailySalesReportSummary = Pick<
  DailySalesReport,
  | "reportDate"
  | "timeZone"
  | "orders"
  | "revenueCents"
  | "units"
  | "customers"
  | "averageOrderCents"
  | "generatedAt"
>;

/**
 * The UTC instants of a store day's two midnights.
 * @example storeDayBounds("2026-03-29", "Europe/London") // a 23-hour day: [00:00Z, 23:00Z)
 */
export function storeDayBounds(date: string, timeZone: string): [Date, Date] {
  // Noon UTC of the date is inside the local day in every zone from UTC-11 to UTC+11
  const noon = new Date(`${date}T12:00:00Z`);
  const start = startOfStoreDay(noon, timeZone);
  const next = startOfStoreDay(new Date(`${addDays(date, 1)}T12:00:00Z`), timeZone);
  return [start, next];
}

/**
 * Store days that ended and have no report yet: from the day after the newest report up to
 * yesterday (store time), at most `maxDays` of them; with no report at all, just yesterday.
 */
export async function pendingReportDates(
  sql: Sql,
  options: { now: Date; timeZone: string; maxDays?: number },
): Promise<string[]> {
  const yesterday = addDays(storeDay(options.now, options.timeZone), -1);
  const [latest] = await sql<[{ date: string }?]>`
    select to_char(max(report_date), 'YYYY-MM-DD') as date from daily_sales_reports having count(*) > 0`;
  const maxDays = options.maxDays ?? 7;
  let first = latest?.date ? addDays(latest.date, 1) : yesterday;
  if (first < addDays(yesterday, -(maxDays - 1))) first = addDays(yesterday, -(maxDays - 1));
  const dates: string[] = [];
  for (let date = first; date <= yesterday; date = addDays(date, 1)) dates.push(date);
  return dates;
}

/** Computes one store day's report from the base tables and stores it (replacing an older one). */
export async function buildDailySalesReport(
  sql: Sql,
  options: { date: string; timeZone: string },
): Promise<DailySalesReport> {
  const { date, timeZone } = options;
  const [from, to] = storeDayBounds(date, timeZone);
  const [row] = await sql<[DailySalesReport]>`
    with day as (
      -- a partly refunded sale stays completed: its revenue is what the customer kept paying for
      select t.id, t.status, t.total_cents - case when t.status = 'completed' then t.refunded_cents else 0 end
               as total_cents, t.refunded_cents as partly_refunded_cents, t.item_count, t.customer_id, t.fraud_decision, t.payment_method,
             t.created_at
      from transactions t
      where t.created_at >= ${from} and t.created_at < ${to}
    ),
    sold as (select * from day where status = 'completed'),
    lines as (
      select i.product_id, i.quantity, i.line_total_cents - i.refunded_cents as line_total_cents, s.id as transaction_id
      from sold s join transaction_items i on i.transaction_id = s.id
    )
    insert into daily_sales_reports (
      report_date, time_zone, starts_at, ends_at, orders, revenue_cents, units, customers, average_order_cents,
      refunded_orders, refunded_cents, cancelled_orders, suspicious_orders, by_hour, by_category, by_payment,
      top_products, generated_at)
    select ${date}::date, ${timeZone}, ${from}, ${to},
           (select count(*) from sold),
           (select coalesce(sum(total_cents), 0) from sold),
           (select coalesce(sum(item_count), 0) from sold),
           (select count(distinct customer_id) from sold),
           (select coalesce(round(avg(total_cents)), 0) from sold),
           (select count(*) from day where status = 'refunded'),
           (select coalesce(sum(total_cents) filter (where status = 'refunded'), 0)
                   + coalesce(sum(partly_refunded_cents) filter (where status = 'completed'), 0) from day),
           (select count(*) from day where status = 'cancelled'),
           (select count(*) from day where fraud_decision <> 'allow'),
           (select coalesce(jsonb_agg(jsonb_build_object('key', h.hour, 'orders', h.orders, 'units', h.units,
                                                         'revenueCents', h.revenue) order by h.hour), '[]')
            from (select to_char(created_at at time zone ${timeZone}, 'HH24') as hour, count(*) as orders,
                         sum(item_count) as units, sum(total_cents) as revenue
                  from sold group by 1) h),
           (select coalesce(jsonb_agg(jsonb_build_object('key', c.category, 'orders', c.orders, 'units', c.units,
                                                         'revenueCents', c.revenue)
                                      order by c.revenue desc, c.category), '[]')
            from (select p.category, count(distinct l.transaction_id) as orders, sum(l.quantity) as units,
                         sum(l.line_total_cents) as revenue
                  from lines l join products p on p.id = l.product_id group by p.category) c),
           (select coalesce(jsonb_agg(jsonb_build_object('key', m.payment_method, 'orders', m.orders,
                                                         'units', m.units, 'revenueCents', m.revenue)
                                      order by m.revenue desc, m.payment_method), '[]')
            from (select payment_method, count(*) as orders, sum(item_count) as units, sum(total_cents) as revenue
                  from sold group by 1) m),
           (select coalesce(jsonb_agg(jsonb_build_object('key', x.sku, 'productId', x.id, 'sku', x.sku,
                                                         'name', x.name, 'orders', x.orders, 'units', x.units,
                                                         'revenueCents', x.revenue)
                                      order by x.revenue desc, x.id), '[]')
            from (select p.id, p.sku, p.name, count(distinct l.transaction_id) as orders, sum(l.quantity) as units,
                         sum(l.line_total_cents) as revenue
                  from lines l join products p on p.id = l.product_id
                  group by p.id order by revenue desc, p.id limit 10) x),
           clock_timestamp()
    on conflict (report_date) do update set
      time_zone = excluded.time_zone, starts_at = excluded.starts_at, ends_at = excluded.ends_at,
      orders = excluded.orders, revenue_cents = excluded.revenue_cents, units = excluded.units,
      customers = excluded.customers, average_order_cents = excluded.average_order_cents,
      refunded_orders = excluded.refunded_orders, refunded_cents = excluded.refunded_cents,
      cancelled_orders = excluded.cancelled_orders, suspicious_orders = excluded.suspicious_orders,
      by_hour = excluded.by_hour, by_category = excluded.by_category, by_payment = excluded.by_payment,
      top_products = excluded.top_products, generated_at = excluded.generated_at
    returning ${reportColumns(sql)}`;
  return row;
}

function reportColumns(sql: Sql) {
  return sql`
    to_char(report_date, 'YYYY-MM-DD') as "reportDate", time_zone as "timeZone", starts_at as "startsAt",
    ends_at as "endsAt", orders, revenue_cents as "revenueCents", units, customers,
    average_order_cents as "averageOrderCents", refunded_orders as "refundedOrders",
    refunded_cents as "refundedCents", cancelled_orders as "cancelledOrders",
    suspicious_orders as "suspiciousOrders", by_hour as "byHour", by_category as "byCategory",
    by_payment as "byPayment", top_products as "topProducts", generated_at as "generatedAt"`;
}

/** The newest reports first, headline figures only. */
export async function listDailySalesReports(
  sql: Sql,
  options: { limit: number; before?: string },
): Promise<DailySalesReportSummary[]> {
  return await sql<DailySalesReportSummary[]>`
    select to_char(report_date, 'YYYY-MM-DD') as "reportDate", time_zone as "timeZone", orders,
           revenue_cents as "revenueCents", units, customers, average_order_cents as "averageOrderCents",
           generated_at as "generatedAt"
    from daily_sales_reports
    where ${options.before ? sql`report_date < ${options.before}::date` : sql`true`}
    order by report_date desc
    limit ${options.limit}`;
}

/** One stored report, or undefined. */
export async function getDailySalesReport(sql: Sql, date: string): Promise<DailySalesReport | undefined> {
  const [row] = await sql<[DailySalesReport?]>`
    select ${reportColumns(sql)} from daily_sales_reports where report_date = ${date}::date`;
  return row;
}
