-- Per-product and per-category revenue net of line refunds, as 0156 made the hourly view net at the
-- sale level. transaction_items.refunded_cents keeps the money given back for each line so far (a
-- product's refunds sit on its first item row of the sale), so revenue reads subtract it without
-- joining the refund rows: line_total_cents - refunded_cents is what the customer kept paying for.
-- A wholly refunded sale leaves 'completed' and drops out of every read, as before.

alter table transaction_items add column refunded_cents bigint not null default 0 check (refunded_cents >= 0);

update transaction_items i
set refunded_cents = r.amount_cents
from (
  select r.transaction_id, l.product_id, sum(l.amount_cents)::bigint as amount_cents
  from transaction_refund_lines l join transaction_refunds r on r.id = l.refund_id
  group by 1, 2
) r
where i.id = (select min(f.id) from transaction_items f
              where f.transaction_id = r.transaction_id and f.product_id = r.product_id);

-- the two daily views of 0003, net; same columns and unique indexes, so readers and the concurrent
-- refresh are unchanged
drop materialized view top_products_mv;
create materialized view top_products_mv as
select (t.created_at at time zone 'UTC')::date as day,
       i.product_id,
       sum(i.quantity)::bigint as units,
       sum(i.line_total_cents - i.refunded_cents)::bigint as revenue_cents,
       count(distinct t.id)::bigint as orders
from transaction_items i
join transactions t on t.id = i.transaction_id
where t.status = 'completed'
group by 1, 2;
create unique index top_products_mv_day_product_idx on top_products_mv (day, product_id);
create index top_products_mv_product_idx on top_products_mv (product_id, day);

drop materialized view category_performance_mv;
create materialized view category_performance_mv as
select (t.created_at at time zone 'UTC')::date as day,
       p.category,
       sum(i.quantity)::bigint as units,
       sum(i.line_total_cents - i.refunded_cents)::bigint as revenue_cents,
       sum(i.quantity * coalesce(p.cost_cents, 0))::bigint as cost_cents,
       count(distinct t.id)::bigint as orders
from transaction_items i
join transactions t on t.id = i.transaction_id
join products p on p.id = i.product_id
where t.status = 'completed'
group by 1, 2;
create unique index category_performance_mv_day_category_idx on category_performance_mv (day, category);

-- the hourly rollups of 0033 were summed gross: empty them so the next refresh rebuilds them net
delete from product_hourly_sales;
delete from category_hourly_sales;
delete from materialized_view_refreshes where view_name in ('product_hourly_sales', 'category_hourly_sales');
