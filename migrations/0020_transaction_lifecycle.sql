-- Transaction lifecycle records and the indexes the transactions API reads by.
--
-- Lifecycle (enforced by server/transactions/lifecycle.ts):
--   created as 'completed' (fraud allow/review) or 'blocked' (fraud block, no stock taken);
--   'pending' (imports) -> 'completed' | 'cancelled' | 'declined';
--   'completed' -> 'refunded' | 'cancelled'; every other status is final.

-- Who moved a transaction from one status to another, when and why; the history of refunds and cancels.
create table transaction_status_changes (
  id bigint generated always as identity primary key,
  transaction_id bigint not null references transactions (id) on delete cascade,
  from_status text not null,
  to_status text not null,
  actor_user_id bigint,
  actor_username text not null,
  reason text not null default '',
  -- true when the change put the items back on the shelf
  stock_restored boolean not null default false,
  changed_at timestamptz not null default now()
);
create index transaction_status_changes_tx_idx on transaction_status_changes (transaction_id, changed_at);

-- Analyst labels (fraud/legit) record who said so and when.
alter table transactions add column labeled_by text;
alter table transactions add column labeled_at timestamptz;

-- Keyset pagination by amount (the created_at keyset index exists in 0002).
create index transactions_total_id_idx on transactions (total_cents desc, id desc);
-- Suspicious list ordered by score: the review queue reads the riskiest first.
create index transactions_suspicious_score_idx on transactions (fraud_score desc, id desc)
  where fraud_decision <> 'allow';
