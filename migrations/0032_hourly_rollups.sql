-- Hourly rollups per product and per category, in UTC hours (the same whole hours every store time
-- zone with a whole-hour offset is made of). The daily views answer whole UTC days; these answer
-- the hours at the edges of a range, so only minutes of transactions are read from the base tables.
-- Both are refreshed CONCURRENTLY with the other views (server/views/refresh.ts).

create materialized view product_hourly_sales_mv as
select date_trunc('hour', t.created_at, 'UTC') as hour,
       i.product_id,
       sum(i.quantity)::bigint as units,
       sum(i.line_total_cents)::bigint as revenue_cents,
       count(distinct t.id)::bigint as orders
from transaction_items i
join transactions t on t.id = i.transaction_id
where t.status = 'completed'
group by 1, 2;
create unique index product_hourly_sales_mv_hour_product_idx on product_hourly_sales_mv (hour, product_id);

-- per category: orders are distinct transactions, which per-product rows cannot give
create materialized view category_hourly_sales_mv as
select date_trunc('hour', t.created_at, 'UTC') as hour,
       p.category,
       sum(i.quantity)::bigint as units,
       sum(i.line_total_cents)::bigint as revenue_cents,
       sum(i.quantity * coalesce(p.cost_cents, 0))::bigint as cost_cents,
       count(distinct t.id)::bigint as orders
from transaction_items i
join transactions t on t.id = i.transaction_id
join products p on p.id = i.product_id
where t.status = 'completed'
group by 1, 2;
create unique index category_hourly_sales_mv_hour_category_idx on category_hourly_sales_mv (hour, category);
