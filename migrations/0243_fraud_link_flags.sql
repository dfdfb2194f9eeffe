-- Link rules relative to the shop (issue #15, docs/fraud.md "Session 11"). Each sale the shipped prior scores
-- also keeps which link rules fired on it (bit i = rule i of `LINK_RULES`, `linkFlagsOf`), so the daily
-- operating point can count how often each fired in the shop's window: a link rule that fires on more of
-- the shop's sales than its fraud can plausibly explain is the shop's norm (a B2B shop's shared company
-- cards) and does not count there. The point keeps which rules it muted and each rule's share.
alter table transactions add column fraud_link_flags smallint;

alter table fraud_operating_points
  add column muted_links text[] not null default '{}',
  -- null on a point computed before this migration: it is computed again when read
  add column link_shares real[];

-- The window's histogram reads the flags beside the score, from the index alone.
drop index transactions_prior_scored_time;
create index transactions_prior_scored_time on transactions (created_at)
  include (fraud_prior_score, fraud_link_flags) where fraud_prior_score is not null;
