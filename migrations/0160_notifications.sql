-- Contact points, notification policies, silences and the notification outbox (issue #20).

-- Where notifications go. url/secret are for webhook and Slack; recipients for email (sent over SMTP_URL).
create table contact_points (
  id bigint generated always as identity primary key,
  name text not null unique,
  kind text not null check (kind in ('webhook', 'slack', 'email')),
  url text,
  secret text,
  recipients text[] not null default '{}',
  created_by text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check ((kind = 'email') = (url is null))
);

-- Ordered matchers on alert labels; the first match wins unless it says continue. The default policy
-- (one at most) catches what no other matches.
create table notification_policies (
  id bigint generated always as identity primary key,
  position integer not null default 0,
  matchers jsonb not null default '[]',
  contact_point_id bigint not null references contact_points (id) on delete cascade,
  group_by text[] not null default '{}',
  group_wait_seconds integer not null default 30 check (group_wait_seconds >= 0),
  group_interval_seconds integer not null default 300 check (group_interval_seconds >= 0),
  repeat_interval_seconds integer not null default 14400 check (repeat_interval_seconds > 0),
  continue_matching boolean not null default false,
  -- [{ "days": [1,2,3,4,5], "startHour": 0, "endHour": 8 }] in the store's time zone
  mute_timings jsonb not null default '[]',
  is_default boolean not null default false,
  created_at timestamptz not null default now()
);
create unique index notification_policies_one_default on notification_policies (is_default) where is_default;

create table silences (
  id bigint generated always as identity primary key,
  matchers jsonb not null,
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  comment text not null,
  created_by text not null,
  created_at timestamptz not null default now(),
  check (ends_at > starts_at)
);
create index silences_ends_at_idx on silences (ends_at);

-- One row per notification of a group of alerts to a contact point. 'pending' rows collect alerts
-- until due; an instance claims due rows with `for update skip locked`, so each is sent once. A claimed
-- row is 'sending' with due_at as its lease (an instance that died mid-send frees it); a failed send
-- waits as 'retrying' until due_at (backoff).
create table notifications (
  id bigint generated always as identity primary key,
  policy_id bigint references notification_policies (id) on delete cascade,
  contact_point_id bigint not null references contact_points (id) on delete cascade,
  group_key text not null,
  alert_ids bigint[] not null,
  status text not null default 'pending'
    check (status in ('pending', 'sending', 'retrying', 'sent', 'failed', 'silenced', 'muted')),
  attempts integer not null default 0,
  due_at timestamptz not null,
  last_error text,
  created_at timestamptz not null default now(),
  finished_at timestamptz
);
-- one collecting notification per group at a time, whichever instance heard the alert first
create unique index notifications_one_pending on notifications (policy_id, group_key) where status = 'pending';
create index notifications_due_idx on notifications (due_at) where status in ('pending', 'sending', 'retrying');
create index notifications_alert_ids_idx on notifications using gin (alert_ids);

-- An alert joins a policy's notifications once: every instance hears `alert.raised`, the first insert
-- here wins and only that instance queues it.
create table notification_claims (
  alert_id bigint not null references alerts (id) on delete cascade,
  policy_id bigint not null references notification_policies (id) on delete cascade,
  created_at timestamptz not null default now(),
  primary key (alert_id, policy_id)
);
