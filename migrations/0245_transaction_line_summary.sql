-- What fraud scoring reads of a past order's lines, kept on the order itself (issue #17, docs/performance.md
-- "Session 13"). A sale's fraud context reads the customer's orders of the last `historyDays`, and for each
-- its largest line and its units of high-resale categories; read from the lines, that was an index probe into
-- transaction_items and a product probe per line: four fifths of the context's buffer reads, and the largest
-- share of the database's work per sale. A sale now writes both with its row: `max_item_quantity`, and
-- `category_units`, the units of each category (keyed by its fraud slug, `fraudCategory`) as sold, so the
-- rules' categories still choose which count when they change. Rows written before, or by a writer that
-- leaves them null (fixtures, the scale generator's COPY), are read from their lines as before.
alter table transactions add column max_item_quantity integer, add column category_units jsonb;
