-- The cold-start review ceiling follows the shop's own fraud labels each day (issue #15, docs/fraud.md
-- "Session 11: the labels' ceiling, followed each day"). Session 8 measured following the labels' proposal
-- daily against the fixed 5% on shops the prior never saw: better in every run. So a shop follows its labels
-- unless an admin sets a ceiling of their own (which turns following off until they turn it on again); while
-- fewer than 10 sales are confirmed fraud the stored ceiling (5% by default) stays in force.
alter table fraud_settings add column follow_labels boolean not null default true;

-- a shop whose admin already chose a ceiling keeps it
update fraud_settings set follow_labels = false where updated_by is not null;

-- Whether a day's point was computed following the labels (then its ceiling is the labels' proposal of that
-- day, or the stored ceiling while there was none).
alter table fraud_operating_points add column from_labels boolean not null default false;
