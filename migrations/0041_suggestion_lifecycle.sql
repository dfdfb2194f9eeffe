-- A suggestion the job no longer needs (stock arrived, demand fell) is withdrawn rather than left
-- open; the sentence saying why the chosen supplier won is kept beside the per-criterion scores.
alter table reorder_suggestions drop constraint reorder_suggestions_status_check;
alter table reorder_suggestions add constraint reorder_suggestions_status_check
  check (status in ('open', 'snoozed', 'approved', 'rejected', 'withdrawn'));
alter table reorder_suggestions
  add column supplier_reason text not null default '',
  add column updated_at timestamptz not null default now();
-- the open list, most urgent first
create index suggestions_open_urgency_idx on reorder_suggestions (urgency, days_until_stockout)
  where status in ('open', 'snoozed');
