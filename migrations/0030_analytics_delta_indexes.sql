-- Indexes that keep dashboards and analytics exact and fast between view refreshes.
--
-- The views hold history up to a watermark; the reads add base-table rows after it and recompute
-- any bucket whose transactions changed after the refresh (refunds, cancels, late imports). Those
-- "dirty bucket" look-ups must not scan the whole transactions table.
create index transactions_updated_idx on transactions (updated_at);
create index transactions_refunded_idx on transactions (refunded_at) where refunded_at is not null;
create index transactions_cancelled_idx on transactions (cancelled_at) where cancelled_at is not null;
create index transaction_status_changes_changed_idx on transaction_status_changes (changed_at);

-- Edge and delta ranges (partial hours/days, the part after the watermark, today's unique
-- customers) read only these columns: an index-only scan instead of heap fetches.
create index transactions_created_cover_idx on transactions (created_at)
  include (status, total_cents, item_count, customer_id, fraud_decision);

-- Whether customer_segments_mv is older than the patterns it summarises.
create index patterns_computed_idx on customer_purchase_patterns (computed_at);
