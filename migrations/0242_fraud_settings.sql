-- The shop's fraud settings (one row; issue #15, docs/fraud.md "Session 7"). The first one: the cold-start
-- review ceiling, the most of the shop's sales the shipped prior may send to review (its operating point,
-- migration 0241, is raised until at most this share of the 90 days before goes to review). 5% by default;
-- a shop that knows its fraud rate is higher raises it so the prior keeps its recall. Admins change it on the
-- Fraud page (`PUT /api/v1/fraud/settings`); the range is the one the procedure accepts.
create table fraud_settings (
  id boolean primary key default true check (id),
  -- double precision: a real 0.005 is below the numeric 0.005 and would fail its own lower bound
  cold_start_max_review_rate double precision not null default 0.05
    check (cold_start_max_review_rate >= 0.005 and cold_start_max_review_rate <= 0.25),
  updated_by text,
  updated_at timestamptz
);
insert into fraud_settings default values;
