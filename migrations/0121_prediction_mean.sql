-- Expected daily demand beside the point forecast (which is the median of demand): means add up,
-- so category and shop totals are sums of the products' means (bottom-up, coherent by construction).
alter table inventory_predictions add column mean real[];
