-- Orders imported or received in another currency than the store's keep what the buyer paid in it;
-- the amounts in cents are the converted ones that every report adds up.
alter table transactions
  add column original_currency text check (original_currency ~ '^[A-Z]{3}$'),
  add column original_total_minor bigint,
  add constraint transactions_original_pair check ((original_currency is null) = (original_total_minor is null));
