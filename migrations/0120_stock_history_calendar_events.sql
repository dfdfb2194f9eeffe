-- Daily stock history and calendar events for demand forecasting (issue #16).

-- End-of-day stock per product (store days). Filled by the stock-history job: past days are
-- reconstructed once from sales, restocks and receipts; after that each run records yesterday.
-- Days that start and end with no stock are out of stock: their sales are not demand.
create table stock_history (
  product_id bigint not null references products (id) on delete cascade,
  day date not null,
  end_stock integer not null,
  primary key (product_id, day)
);
create index stock_history_day_idx on stock_history (day);

-- Store promotions and closures, and the public holidays of the store's country (source 'holidays',
-- from the date-holidays package). Forecasts estimate each kind's effect from history.
create table calendar_events (
  id bigint generated always as identity primary key,
  day date not null,
  kind text not null check (kind in ('promotion', 'closure', 'holiday')),
  name text not null check (length(name) between 1 and 200),
  source text not null default 'store' check (source in ('store', 'holidays')),
  created_at timestamptz not null default now(),
  unique (day, kind, name)
);
