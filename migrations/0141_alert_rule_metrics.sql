-- Metrics behind the default alert rules of a new shop (server/alerts/default_rules.ts): products out
-- of stock and critically short (the one running-low rule), revenue against the same window a week
-- earlier, and failed background job runs.
alter table alert_rules drop constraint if exists alert_rules_metric_check;
alter table alert_rules add constraint alert_rules_metric_check check (metric in (
  'revenue_cents', 'orders', 'average_order_cents', 'suspicious_transactions',
  'refunded_transactions', 'low_stock_products', 'out_of_stock_products', 'critical_stock_products',
  'revenue_drop_vs_last_week_pct', 'failed_job_runs'
));
