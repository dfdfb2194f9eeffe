-- Alert rules: a metric over a trailing window compared with a threshold. A rule must breach for
-- its pending period before it fires, fires at most one open alert (its dedupe key), and after the
-- alert is resolved stays quiet for its cooldown, so a flapping metric does not page again and again.
create table alert_rules (
  id bigint generated always as identity primary key,
  name text not null unique,
  metric text not null check (metric in (
    'revenue_cents', 'orders', 'average_order_cents', 'suspicious_transactions',
    'refunded_transactions', 'low_stock_products'
  )),
  comparator text not null check (comparator in ('>', '>=', '<', '<=')),
  threshold bigint not null,
  window_minutes integer not null check (window_minutes between 1 and 10080),
  severity text not null check (severity in ('info', 'low', 'medium', 'high', 'critical')),
  pending_seconds integer not null default 0 check (pending_seconds between 0 and 86400),
  cooldown_seconds integer not null default 900 check (cooldown_seconds between 0 and 604800),
  enabled boolean not null default true,
  -- optional delivery of this rule's alerts; the body is signed with HMAC-SHA256 of the secret
  webhook_url text,
  webhook_secret text,
  created_by text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  -- evaluation state (server/alerts/rule_state.ts): ok -> pending -> firing -> cooldown -> ok
  state text not null default 'ok' check (state in ('ok', 'pending', 'firing', 'cooldown')),
  state_since timestamptz,
  cooldown_until timestamptz,
  alert_id bigint references alerts (id) on delete set null,
  last_value double precision,
  last_evaluated_at timestamptz
);
create index alert_rules_enabled_idx on alert_rules (id) where enabled;

-- One delivery per alert and URL: the row is the claim, so with several instances listening to
-- the same event exactly one of them posts the webhook.
create table alert_deliveries (
  alert_id bigint not null references alerts (id) on delete cascade,
  url text not null,
  status text not null default 'pending' check (status in ('pending', 'delivered', 'failed')),
  attempts integer not null default 0,
  last_status_code integer,
  last_error text,
  created_at timestamptz not null default now(),
  finished_at timestamptz,
  primary key (alert_id, url)
);

-- The alerts list pages by (created_at, id) without a filter too.
create index alerts_created_id_idx on alerts (created_at desc, id desc);
