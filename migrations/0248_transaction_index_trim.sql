-- Two more index entries a sale wrote for nothing (issue #17, docs/performance.md "Session 13"):
-- `transactions_fraud_score_idx (fraud_score desc)` is read by no query (the review queue orders the
-- suspicious sales by `transactions_suspicious_score_idx`); and the idempotency keys' unique index held an
-- entry for every sale, though nearly none carries a key. It becomes partial, under the same name: a
-- duplicate key still fails with `transactions_idempotency_key_key` (create_transaction.ts), and the
-- replay's lookup by key still reads it.
drop index if exists transactions_fraud_score_idx;
alter table transactions drop constraint transactions_idempotency_key_key;
create unique index transactions_idempotency_key_key on transactions (idempotency_key)
  where idempotency_key is not null;
