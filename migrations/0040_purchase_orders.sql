-- Purchase orders made from approved reorder suggestions: ordered -> received (or cancelled).
-- One order per supplier can carry the approved suggestions of several products. Receiving adds
-- stock and records the delivery date, from which a supplier's on-time rate is measured.

create table purchase_orders (
  id bigint generated always as identity primary key,
  supplier_id bigint not null references suppliers (id),
  status text not null default 'ordered' check (status in ('ordered', 'received', 'cancelled')),
  total_cents bigint not null default 0 check (total_cents >= 0),
  ordered_at timestamptz not null default now(),
  -- ordered_at + the supplier's lead time: a delivery after it counts as late
  expected_at timestamptz not null,
  received_at timestamptz,
  ordered_by bigint,
  received_by bigint,
  note text
);
create index purchase_orders_status_idx on purchase_orders (status, ordered_at desc, id desc);
create index purchase_orders_supplier_received_idx on purchase_orders (supplier_id, received_at desc)
  where status = 'received';

create table purchase_order_lines (
  id bigint generated always as identity primary key,
  purchase_order_id bigint not null references purchase_orders (id) on delete cascade,
  product_id bigint not null references products (id),
  suggestion_id bigint references reorder_suggestions (id),
  quantity integer not null check (quantity > 0),
  unit_cost_cents bigint not null check (unit_cost_cents >= 0),
  line_total_cents bigint generated always as (quantity * unit_cost_cents) stored,
  unique (purchase_order_id, product_id)
);
create index purchase_order_lines_product_idx on purchase_order_lines (product_id);
create unique index purchase_order_lines_suggestion_idx on purchase_order_lines (suggestion_id)
  where suggestion_id is not null;

-- what the suggestion was computed from, and the order it became
alter table reorder_suggestions
  add column lead_time_days integer,
  add column purchase_order_id bigint references purchase_orders (id);

-- Supplier choice weights (one row); the default is the reference's 40/35/25.
create table inventory_settings (
  id boolean primary key default true check (id),
  price_weight real not null default 0.40 check (price_weight >= 0),
  reliability_weight real not null default 0.35 check (reliability_weight >= 0),
  delivery_weight real not null default 0.25 check (delivery_weight >= 0),
  updated_at timestamptz not null default now(),
  check (price_weight + reliability_weight + delivery_weight > 0)
);
insert into inventory_settings default values;
