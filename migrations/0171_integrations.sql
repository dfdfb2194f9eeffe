-- Live order feeds from shop platforms: each integration has its own signing secret, a log of every
-- delivery, and the link from the platform's order id to our transaction (idempotency, out-of-order updates).
create table integrations (
  id bigint generated always as identity primary key,
  kind text not null check (kind in ('shopify', 'generic')),
  name text not null check (length(name) between 1 and 100),
  -- Needed in clear to check signatures; shown once, at creation
  secret text not null check (length(secret) >= 32),
  enabled boolean not null default true,
  created_by bigint references users (id) on delete set null,
  created_at timestamptz not null default now()
);

create table integration_orders (
  integration_id bigint not null references integrations (id) on delete cascade,
  external_id text not null,
  transaction_id bigint not null references transactions (id),
  -- The platform's own update time of the newest event applied: an older one arriving late changes nothing
  updated_at timestamptz not null,
  primary key (integration_id, external_id)
);

create table integration_deliveries (
  id bigint generated always as identity primary key,
  integration_id bigint references integrations (id) on delete cascade,
  received_at timestamptz not null default now(),
  topic text not null,
  external_id text,
  outcome text not null check (outcome in ('created', 'updated', 'unchanged', 'stale', 'rejected', 'unsigned')),
  message text not null,
  transaction_id bigint references transactions (id) on delete set null
);

create index integration_deliveries_recent on integration_deliveries (integration_id, id desc);
