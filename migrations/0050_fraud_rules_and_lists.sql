-- Fraud rules as data, and the analysts' customer lists (issue 8).

-- Every save of the rules is a new version; exactly one version is active (used by transactions.create).
-- Until the first save, no row exists and the app uses the shipped defaults in the store's time zone.
create table fraud_rule_versions (
  version integer primary key check (version >= 1),
  -- the full rules object (server/fraud/rules.ts fraudRulesSchema), validated before it is written
  rules jsonb not null,
  note text not null default '',
  created_by text not null,
  created_by_user_id bigint,
  created_at timestamptz not null default now(),
  is_active boolean not null default false,
  activated_at timestamptz,
  activated_by text
);
create unique index fraud_rule_versions_one_active_idx on fraud_rule_versions (is_active) where is_active;

-- A customer is on at most one list: moving them from one list to the other replaces the row.
-- block: scored with the block-list rule (usually blocked); allow: never blocked automatically.
create table fraud_customer_lists (
  customer_id bigint primary key references customers (id) on delete cascade,
  list text not null check (list in ('allow', 'block')),
  reason text not null default '',
  added_by text not null,
  added_at timestamptz not null default now()
);
create index fraud_customer_lists_list_idx on fraud_customer_lists (list, added_at desc);

