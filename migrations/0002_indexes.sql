-- Indexes for the queries the API runs: dashboards by time, lists by keyset, fraud history by
-- customer, low stock, open alerts and suggestions.

create index products_category_idx on products (category);
create index products_low_stock_idx on products (stock_quantity) where is_active;
create index products_name_search_idx on products (lower(name) text_pattern_ops);
create index product_suppliers_supplier_idx on product_suppliers (supplier_id);
create index customers_tier_idx on customers (loyalty_tier);
create index customers_created_idx on customers (created_at);
create index customers_name_idx on customers (lower(name) text_pattern_ops);
create index transactions_created_idx on transactions (created_at desc, id desc);
create index transactions_customer_created_idx on transactions (customer_id, created_at desc);
create index transactions_status_created_idx on transactions (status, created_at desc);
create index transactions_suspicious_idx on transactions (created_at desc, id desc) where fraud_decision <> 'allow';
create index transactions_fraud_score_idx on transactions (fraud_score desc);
create index transactions_label_idx on transactions (fraud_label) where fraud_label is not null;
create index transactions_total_idx on transactions (total_cents);
create index transactions_payment_idx on transactions (customer_id, payment_method, created_at desc);
create index transaction_items_transaction_idx on transaction_items (transaction_id);
create index transaction_items_product_idx on transaction_items (product_id, transaction_id);
create index alerts_status_created_idx on alerts (status, created_at desc);
create index alerts_severity_idx on alerts (severity, created_at desc);
create index alerts_type_idx on alerts (type, created_at desc);
create unique index alerts_open_dedupe_idx on alerts (dedupe_key) where status <> 'resolved' and dedupe_key is not null;
create index alerts_entity_idx on alerts (entity_type, entity_id);
create index patterns_segment_idx on customer_purchase_patterns (segment);
create index predictions_product_idx on inventory_predictions (product_id, generated_at desc);
create index suggestions_status_idx on reorder_suggestions (status, created_at desc);
create unique index suggestions_one_open_per_product_idx on reorder_suggestions (product_id)
  where status in ('open', 'snoozed');
create index suggestions_supplier_idx on reorder_suggestions (supplier_id);
create index job_runs_job_started_idx on job_runs (job, started_at desc);
create unique index job_runs_slot_idx on job_runs (job, slot, attempt);
