-- The fraud model's new_email_domain feature in the sale request (issue #15): "has any earlier sale used
-- this email domain" is one index probe on the domain of the stored (lower-cased) email.
create index transactions_email_domain_time on transactions (split_part(email, '@', 2), created_at)
  where email is not null;
