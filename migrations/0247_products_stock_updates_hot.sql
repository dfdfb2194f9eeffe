-- A sale's stock update rewrites its product's row; with an index on `stock_quantity` no such update could
-- be HOT (heap-only), so every one added an entry to each of the table's five indexes (issue #17,
-- docs/performance.md "Session 13": 27,057 product updates in a bench run, none HOT). No query reads
-- `products_low_stock_idx`: low stock compares each product's stock with its own reorder point, forecast
-- and lead time (server/inventory/planning_queries.ts), which an index on the stock alone cannot answer, and
-- the catalog is read whole for it. Some room is left on each page for the new version of a row.
drop index if exists products_low_stock_idx;
alter table products set (fillfactor = 90);
