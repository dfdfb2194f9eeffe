-- Two indexes every sale paid to maintain and no query reads (issue #17, docs/performance.md "Session 13"):
-- `transactions_total_idx (total_cents)` answers nothing that `transactions_total_id_idx (total_cents desc,
-- id desc)` does not (a B-tree reads both ways, and a range on its first column); and
-- `transactions_payment_idx (customer_id, payment_method, created_at desc)` served a fraud check that read a
-- customer's earlier payment methods by themselves: the fraud history now reads the customer's orders whole
-- by `transactions_customer_created_idx`, and no other query filters a customer's orders by payment method.
drop index if exists transactions_total_idx;
drop index if exists transactions_payment_idx;
