-- Store-defined promotions and closures span days: each day is one calendar_events row (what the
-- forecasts read), and the rows of one event share event_id, the id of its first day's row. Public
-- holidays keep event_id null. The note is the manager's own words.
alter table calendar_events add column event_id bigint;
alter table calendar_events add column note text not null default '' check (length(note) <= 500);
create index calendar_events_event_id_idx on calendar_events (event_id);
