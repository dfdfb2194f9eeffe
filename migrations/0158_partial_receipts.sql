-- Partial receipts of purchase orders. Each delivery is a receipt row with the units it brought per
-- line; purchase_order_lines.received_quantity adds them up and can never pass the ordered quantity
-- (the check holds even if two receipts race). An order with units still to come is
-- 'partially_received' (the rest is on backorder); 'closed_short' ends it without the rest.
-- received_at is the latest delivery.

alter table purchase_orders drop constraint purchase_orders_status_check;
alter table purchase_orders add constraint purchase_orders_status_check
  check (status in ('ordered', 'partially_received', 'received', 'closed_short', 'cancelled'));
alter table purchase_orders add column closed_at timestamptz, add column close_reason text;

alter table purchase_order_lines
  add column received_quantity integer not null default 0
    check (received_quantity >= 0 and received_quantity <= quantity);
-- orders received whole before this migration received every unit
update purchase_order_lines l set received_quantity = l.quantity
from purchase_orders o where o.id = l.purchase_order_id and o.status = 'received';

create table purchase_order_receipts (
  id bigint generated always as identity primary key,
  purchase_order_id bigint not null references purchase_orders (id) on delete cascade,
  received_at timestamptz not null,
  received_by bigint,
  created_at timestamptz not null default now()
);
create index purchase_order_receipts_order_idx on purchase_order_receipts (purchase_order_id, id);

create table purchase_order_receipt_lines (
  receipt_id bigint not null references purchase_order_receipts (id) on delete cascade,
  product_id bigint not null references products (id),
  quantity integer not null check (quantity > 0),
  primary key (receipt_id, product_id)
);
