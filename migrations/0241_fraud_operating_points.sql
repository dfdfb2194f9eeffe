-- The cold-start operating point (issue #15, docs/fraud.md "Session 6"). While a shop has no model of its own,
-- each sale keeps the shipped prior's own score (before calibration), and a daily job derives the shop's
-- review threshold from those scores of the days before (no labels): it is raised until the prior would send
-- at most a plausible fraud base rate of the shop's sales to review. The newest point in force calibrates the
-- prior's score so that its threshold maps to 50, the review threshold.
alter table transactions add column fraud_prior_score real;

create index transactions_prior_scored_time on transactions (created_at)
  include (fraud_prior_score) where fraud_prior_score is not null;

create table fraud_operating_points (
  id bigint generated always as identity primary key,
  -- In force for sales from this instant (the UTC day start it was computed for) until a newer one.
  effective_from timestamptz not null unique,
  -- The prior's own score at or above which a sale goes to review (50 = the shared threshold).
  prior_threshold real not null check (prior_threshold > 0 and prior_threshold <= 100),
  -- Share of the window's sales at or above it (the expected review load), and at the shared threshold.
  review_rate real not null,
  shared_review_rate real not null,
  sales integer not null,
  days integer not null,
  max_review_rate real not null,
  computed_at timestamptz not null default now()
);
