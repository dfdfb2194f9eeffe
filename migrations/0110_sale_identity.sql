-- Identity and context of a sale (issue #15): all optional, stored as sent (validated and normalised by the
-- API). The partial indexes serve the entity-link counts the fraud model reads inside the sale request:
-- "how many other customers used this device / IP / email / card lately" is one index range scan each.
alter table transactions
  add column device_id text,
  add column ip_address text,
  add column email text,
  add column card_bin text check (card_bin ~ '^[0-9]{6,8}$'),
  add column card_last4 text check (card_last4 ~ '^[0-9]{4}$'),
  add column billing_country char(2) check (billing_country ~ '^[A-Z]{2}$'),
  add column shipping_country char(2) check (shipping_country ~ '^[A-Z]{2}$'),
  add column user_agent text;

create index transactions_device_time on transactions (device_id, created_at) where device_id is not null;
create index transactions_ip_time on transactions (ip_address, created_at) where ip_address is not null;
create index transactions_email_time on transactions (email, created_at) where email is not null;
create index transactions_card_time on transactions (card_bin, card_last4, created_at) where card_bin is not null;

-- Trained fraud models, versioned like the rules: one active at a time, backtested before activation.
create table fraud_models (
  id bigint generated always as identity primary key,
  version integer not null unique,
  model jsonb not null,
  -- Figures of the model on its own time-ordered validation tail and of the last backtest.
  metrics jsonb not null default '{}',
  labeled_rows integer not null,
  labeled_fraud integer not null,
  trained_by text not null,
  status text not null default 'candidate' check (status in ('candidate', 'active', 'retired')),
  created_at timestamptz not null default now(),
  activated_at timestamptz
);
create unique index fraud_models_one_active on fraud_models ((true)) where status = 'active';
