-- Supplier price breaks and order multiples, per product and supplier. A break says "from min_qty
-- units the unit cost is unit_cost_cents"; below the smallest break product_suppliers.unit_cost_cents
-- applies. order_multiple: the supplier ships in packs of this many units, so an order is rounded up
-- to a multiple of it.

alter table product_suppliers
  add column order_multiple integer not null default 1 check (order_multiple between 1 and 100000);

create table supplier_price_breaks (
  product_id bigint not null,
  supplier_id bigint not null,
  min_qty integer not null check (min_qty >= 1),
  unit_cost_cents bigint not null check (unit_cost_cents >= 0),
  primary key (product_id, supplier_id, min_qty),
  foreign key (product_id, supplier_id) references product_suppliers (product_id, supplier_id) on delete cascade
);
