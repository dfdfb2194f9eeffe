-- Background jobs: who ran each slot, the stored daily sales reports, the weekly slow-query
-- analysis, the figures the dashboard reads precomputed, and the app's own query timings.

-- Which instance ran a slot, and when a failed attempt may be retried (the runner backs off).
alter table job_runs add column instance text;
alter table job_runs add column retry_at timestamptz;
alter table job_runs add column details jsonb not null default '{}';
create index job_runs_running_idx on job_runs (job, started_at) where status = 'running';

-- One row per store-local day: the totals and their breakdowns, as the report showed them when it ran.
create table daily_sales_reports (
  report_date date primary key,
  time_zone text not null,
  -- the UTC instants of the store day's midnights: [starts_at, ends_at)
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  orders integer not null,
  revenue_cents bigint not null,
  units integer not null,
  customers integer not null,
  average_order_cents bigint not null,
  refunded_orders integer not null,
  refunded_cents bigint not null,
  cancelled_orders integer not null,
  suspicious_orders integer not null,
  -- [{hour, orders, units, revenueCents}], [{category, ...}], [{method, ...}], [{productId, sku, name, ...}]
  by_hour jsonb not null default '[]',
  by_category jsonb not null default '[]',
  by_payment jsonb not null default '[]',
  top_products jsonb not null default '[]',
  generated_at timestamptz not null default now()
);

-- The slowest queries of one analysis run, with the plan PostgreSQL chose for each.
create table slow_query_reports (
  id bigint generated always as identity primary key,
  analysed_at timestamptz not null,
  -- 'pg_stat_statements' or 'app_timings'
  source text not null,
  rank integer not null,
  query text not null,
  calls bigint not null,
  total_ms double precision not null,
  mean_ms double precision not null,
  max_ms double precision not null,
  rows_per_call double precision,
  -- EXPLAIN (FORMAT TEXT) of the query with sample parameters; null when it cannot be planned alone
  plan text,
  plan_error text
);
create index slow_query_reports_analysed_idx on slow_query_reports (analysed_at desc, rank);

-- The app's own query timings, aggregated per statement and flushed by each instance every minute:
-- the slow-query analysis reads them when pg_stat_statements is not loaded (embedded database).
create table query_timings (
  query_hash text not null,
  -- the hour the timings were flushed in; old hours are pruned by the weekly analysis
  hour timestamptz not null,
  query text not null,
  calls bigint not null,
  total_ms double precision not null,
  max_ms double precision not null,
  rows bigint not null,
  -- the parameters of the slowest call, to EXPLAIN it later
  sample_params jsonb not null default '[]',
  primary key (query_hash, hour)
);

-- Figures the dashboard reads every few seconds, recomputed every minute by the dashboard-figures job.
create table dashboard_figures (
  name text primary key,
  figures jsonb not null,
  computed_at timestamptz not null
);
