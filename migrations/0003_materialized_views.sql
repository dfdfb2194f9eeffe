-- The reference's six materialized views. Each has a unique index so it can be refreshed
-- CONCURRENTLY (readers never block). Time buckets are UTC hours or days: dashboards add the
-- base-table rows created since the last refresh, so figures are exact between refreshes.
-- Only completed sales count as revenue; refunded and cancelled orders drop out.

create materialized view hourly_sales_mv as
select date_trunc('hour', t.created_at) as hour,
       count(*)::bigint as orders,
       sum(t.total_cents)::bigint as revenue_cents,
       sum(t.item_count)::bigint as units,
       count(distinct t.customer_id)::bigint as customers
from transactions t
where t.status = 'completed'
group by 1;
create unique index hourly_sales_mv_hour_idx on hourly_sales_mv (hour);

create materialized view dashboard_overview_mv as
select (t.created_at at time zone 'UTC')::date as day,
       count(*)::bigint as orders,
       sum(t.total_cents)::bigint as revenue_cents,
       sum(t.item_count)::bigint as units,
       count(distinct t.customer_id)::bigint as customers,
       count(*) filter (where t.fraud_decision <> 'allow')::bigint as suspicious
from transactions t
where t.status = 'completed'
group by 1;
create unique index dashboard_overview_mv_day_idx on dashboard_overview_mv (day);

create materialized view top_products_mv as
select (t.created_at at time zone 'UTC')::date as day,
       i.product_id,
       sum(i.quantity)::bigint as units,
       sum(i.line_total_cents)::bigint as revenue_cents,
       count(distinct t.id)::bigint as orders
from transaction_items i
join transactions t on t.id = i.transaction_id
where t.status = 'completed'
group by 1, 2;
create unique index top_products_mv_day_product_idx on top_products_mv (day, product_id);
create index top_products_mv_product_idx on top_products_mv (product_id, day);

create materialized view category_performance_mv as
select (t.created_at at time zone 'UTC')::date as day,
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
create unique index category_performance_mv_day_category_idx on category_performance_mv (day, category);

create materialized view customer_segments_mv as
select c.segment,
       count(*)::bigint as customers,
       sum(c.monetary_cents)::bigint as revenue_cents,
       sum(c.frequency)::bigint as orders,
       avg(c.recency_days)::real as average_recency_days,
       (sum(c.monetary_cents) / greatest(sum(c.frequency), 1))::bigint as average_order_cents
from customer_purchase_patterns c
group by 1;
create unique index customer_segments_mv_segment_idx on customer_segments_mv (segment);

create materialized view supplier_performance_mv as
select s.id as supplier_id,
       s.name,
       count(ps.product_id)::bigint as products,
       coalesce(avg(ps.lead_time_days), 0)::real as average_lead_time_days,
       coalesce(avg(coalesce(ps.reliability, s.reliability)), s.reliability)::real as reliability,
       coalesce(avg(ps.unit_cost_cents), 0)::bigint as average_unit_cost_cents,
       count(ps.product_id) filter (where p.stock_quantity <= coalesce(p.reorder_point, 10))::bigint as low_stock_products
from suppliers s
left join product_suppliers ps on ps.supplier_id = s.id
left join products p on p.id = ps.product_id
group by s.id, s.name, s.reliability;
create unique index supplier_performance_mv_supplier_idx on supplier_performance_mv (supplier_id);

-- when each view was last refreshed: the dashboards read the base tables after this instant
create table materialized_view_refreshes (
  view_name text primary key,
  refreshed_at timestamptz not null,
  -- the newest transaction the refresh could see; the delta query starts after it
  watermark timestamptz not null,
  duration_ms integer not null
);
