-- The living shop's rules (0141: stock and job metrics) and the scoped rules (0161: units, fraud and
-- refund rates) each rewrote the list of metrics a rule may watch; a rule may watch every one of them.
alter table alert_rules drop constraint if exists alert_rules_metric_check;
alter table alert_rules add constraint alert_rules_metric_check check (metric in (
  'revenue_cents', 'orders', 'average_order_cents', 'suspicious_transactions',
  'refunded_transactions', 'low_stock_products', 'out_of_stock_products', 'critical_stock_products',
  'revenue_drop_vs_last_week_pct', 'failed_job_runs', 'units', 'fraud_rate', 'refund_rate'
));
