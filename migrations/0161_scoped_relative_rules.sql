-- Rules on a part of the shop (a category, a product, a payment method) and rules on change:
-- the window's value against the previous window or the same window a week earlier, in percent (#20).
alter table alert_rules drop constraint alert_rules_metric_check;
alter table alert_rules add constraint alert_rules_metric_check check (metric in (
  'revenue_cents', 'orders', 'average_order_cents', 'suspicious_transactions', 'refunded_transactions',
  'low_stock_products', 'units', 'fraud_rate', 'refund_rate'
));
alter table alert_rules
  add column scope_type text not null default 'shop'
    check (scope_type in ('shop', 'category', 'product', 'payment_method')),
  -- the category name, product SKU or payment method; null for the whole shop
  add column scope_value text,
  add column compare_to text not null default 'absolute'
    check (compare_to in ('absolute', 'previous_window', 'same_window_last_week')),
  add constraint alert_rules_scope_value check ((scope_type = 'shop') = (scope_value is null));
