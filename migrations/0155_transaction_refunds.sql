-- Line-level and partial refunds. Each refund is its own row with the lines it gave back and, per
-- line, whether the units went back to stock (damaged goods do not). A sale stays 'completed' while
-- partly refunded and becomes 'refunded' when every unit is; transactions.refunded_cents keeps the
-- money given back so far, so revenue reads can be net of refunds without joining the refund rows.

create table transaction_refunds (
  id bigint generated always as identity primary key,
  transaction_id bigint not null references transactions (id) on delete cascade,
  amount_cents bigint not null check (amount_cents >= 0),
  reason text not null default '',
  actor_user_id bigint,
  actor_username text not null,
  created_at timestamptz not null default now()
);
create index transaction_refunds_transaction_idx on transaction_refunds (transaction_id, id);

create table transaction_refund_lines (
  id bigint generated always as identity primary key,
  refund_id bigint not null references transaction_refunds (id) on delete cascade,
  product_id bigint not null references products (id),
  quantity integer not null check (quantity > 0),
  amount_cents bigint not null check (amount_cents >= 0),
  restock boolean not null,
  unique (refund_id, product_id)
);
create index transaction_refund_lines_product_idx on transaction_refund_lines (product_id);

alter table transactions add column refunded_cents bigint not null default 0 check (refunded_cents >= 0);
