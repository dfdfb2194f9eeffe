-- The hourly rollups of 0032 as plain tables maintained incrementally (server/views/rollups.ts):
-- each refresh recomputes only the hours after the previous watermark and the hours whose
-- transactions changed since, instead of re-aggregating ten million transactions every 5 minutes.
-- Same columns and keys; empty until the first refresh builds them in full.
drop materialized view product_hourly_sales_mv;
drop materialized view category_hourly_sales_mv;
delete from materialized_view_refreshes where view_name in ('product_hourly_sales_mv', 'category_hourly_sales_mv');

create table product_hourly_sales (
  hour timestamptz not null,
  product_id bigint not null,
  units bigint not null,
  revenue_cents bigint not null,
  orders bigint not null,
  primary key (hour, product_id)
);

create table category_hourly_sales (
  hour timestamptz not null,
  category text not null,
  units bigint not null,
  revenue_cents bigint not null,
  cost_cents bigint not null,
  orders bigint not null,
  primary key (hour, category)
);
