-- Report subscriptions: a user receives the daily or weekly sales report by email at a store-local
-- hour; each delivery is claimed by its (subscription, period) key so several instances send it once.
create table report_subscriptions (
  id bigint generated always as identity primary key,
  user_id bigint not null references users (id) on delete cascade,
  email text not null,
  period text not null check (period in ('daily', 'weekly')),
  send_hour integer not null default 7 check (send_hour between 0 and 23),
  -- SHA-256 of the random token in the email's unsubscribe link
  unsubscribe_token_hash text not null unique,
  created_at timestamptz not null default now(),
  unsubscribed_at timestamptz,
  unique (user_id, period)
);

create table report_deliveries (
  subscription_id bigint not null references report_subscriptions (id) on delete cascade,
  -- the report date (daily) or the Monday its week starts (weekly)
  period_key text not null,
  status text not null default 'sending' check (status in ('sending', 'sent', 'failed')),
  error text,
  created_at timestamptz not null default now(),
  sent_at timestamptz,
  primary key (subscription_id, period_key)
);
