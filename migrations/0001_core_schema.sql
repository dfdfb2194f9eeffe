-- Core schema of the reference product. Money is integer cents (bigint); quantities are integers;
-- every time is timestamptz in UTC.

create table suppliers (
  id bigint generated always as identity primary key,
  code text not null unique,
  name text not null,
  email text,
  country text,
  -- catalog on-time rate (0..1); purchase-order history overrides it once there is some
  reliability numeric(4, 3) not null default 0.9 check (reliability between 0 and 1),
  is_active boolean not null default true,
  created_at timestamptz not null default now()
);

create table products (
  id bigint generated always as identity primary key,
  sku text not null unique,
  name text not null,
  category text not null,
  brand text,
  price_cents bigint not null check (price_cents >= 0),
  cost_cents bigint check (cost_cents >= 0),
  stock_quantity integer not null default 0 check (stock_quantity >= 0),
  -- manual override of the computed reorder point; null means "computed from the forecast"
  reorder_point integer check (reorder_point >= 0),
  service_level numeric(4, 3) not null default 0.95 check (service_level > 0 and service_level < 1),
  target_days_of_cover integer not null default 30 check (target_days_of_cover between 1 and 365),
  is_active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table product_suppliers (
  product_id bigint not null references products (id) on delete cascade,
  supplier_id bigint not null references suppliers (id) on delete cascade,
  unit_cost_cents bigint not null check (unit_cost_cents >= 0),
  lead_time_days integer not null check (lead_time_days between 0 and 365),
  min_order_qty integer not null default 1 check (min_order_qty >= 1),
  reliability numeric(4, 3) check (reliability between 0 and 1),
  primary key (product_id, supplier_id)
);

create table customers (
  id bigint generated always as identity primary key,
  code text not null unique,
  name text not null,
  email text,
  country text,
  loyalty_tier text not null default 'bronze' check (loyalty_tier in ('bronze', 'silver', 'gold', 'platinum')),
  created_at timestamptz not null default now()
);

create table transactions (
  id bigint generated always as identity primary key,
  -- natural key from the source system (order/invoice number); imports are idempotent on it
  order_ref text not null unique,
  customer_id bigint references customers (id),
  status text not null default 'completed'
    check (status in ('pending', 'completed', 'declined', 'blocked', 'cancelled', 'refunded')),
  payment_method text not null,
  channel text not null default 'web',
  subtotal_cents bigint not null check (subtotal_cents >= 0),
  discount_cents bigint not null default 0 check (discount_cents >= 0),
  total_cents bigint not null check (total_cents >= 0),
  item_count integer not null check (item_count >= 0),
  fraud_score smallint not null default 0 check (fraud_score between 0 and 100),
  fraud_decision text not null default 'allow' check (fraud_decision in ('allow', 'review', 'block')),
  fraud_reasons jsonb not null default '[]',
  fraud_label text check (fraud_label in ('fraud', 'legit')),
  idempotency_key text unique,
  -- hash of the request body that used idempotency_key: a retry with another body is a conflict
  request_hash text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  refunded_at timestamptz,
  cancelled_at timestamptz
);

create table transaction_items (
  id bigint generated always as identity primary key,
  transaction_id bigint not null references transactions (id) on delete cascade,
  product_id bigint not null references products (id),
  quantity integer not null check (quantity > 0),
  unit_price_cents bigint not null check (unit_price_cents >= 0),
  line_total_cents bigint generated always as (quantity * unit_price_cents) stored
);

create table alerts (
  id bigint generated always as identity primary key,
  type text not null,
  severity text not null check (severity in ('info', 'low', 'medium', 'high', 'critical')),
  status text not null default 'open' check (status in ('open', 'acknowledged', 'snoozed', 'resolved')),
  title text not null,
  message text not null default '',
  entity_type text,
  entity_id bigint,
  -- one open alert per condition: raising the same key again updates instead of flooding
  dedupe_key text,
  metadata jsonb not null default '{}',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  acknowledged_at timestamptz,
  snoozed_until timestamptz,
  resolved_at timestamptz,
  resolution_note text
);

create table customer_purchase_patterns (
  customer_id bigint primary key references customers (id) on delete cascade,
  recency_days integer not null,
  frequency integer not null,
  monetary_cents bigint not null,
  average_order_cents bigint not null,
  favourite_category text,
  average_interval_days numeric(8, 2),
  r_score smallint not null check (r_score between 1 and 5),
  f_score smallint not null check (f_score between 1 and 5),
  m_score smallint not null check (m_score between 1 and 5),
  segment text not null,
  computed_at timestamptz not null default now()
);

create table inventory_predictions (
  id bigint generated always as identity primary key,
  product_id bigint not null references products (id) on delete cascade,
  model text not null,
  params jsonb not null default '{}',
  horizon_days integer not null,
  starts_on date not null,
  point real[] not null,
  lower80 real[] not null,
  upper80 real[] not null,
  lower95 real[] not null,
  upper95 real[] not null,
  backtest_mase real,
  generated_at timestamptz not null default now()
);

create table reorder_suggestions (
  id bigint generated always as identity primary key,
  product_id bigint not null references products (id) on delete cascade,
  supplier_id bigint not null references suppliers (id),
  quantity integer not null check (quantity > 0),
  unit_cost_cents bigint not null,
  estimated_cost_cents bigint not null,
  reorder_point integer not null,
  safety_stock integer not null,
  stock_at_suggestion integer not null,
  days_until_stockout real,
  urgency text not null check (urgency in ('critical', 'high', 'medium', 'low')),
  status text not null default 'open' check (status in ('open', 'snoozed', 'approved', 'rejected')),
  reason text not null,
  supplier_scores jsonb not null default '[]',
  snoozed_until timestamptz,
  decided_at timestamptz,
  decided_by bigint,
  decision_note text,
  created_at timestamptz not null default now()
);

create table job_runs (
  id bigint generated always as identity primary key,
  job text not null,
  -- the schedule slot this run belongs to: with several instances one slot runs once
  slot timestamptz not null,
  attempt integer not null default 1,
  status text not null check (status in ('running', 'succeeded', 'failed', 'skipped')),
  started_at timestamptz not null default now(),
  finished_at timestamptz,
  rows_affected bigint,
  error text
);
