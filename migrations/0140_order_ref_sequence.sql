-- Sales made in the app take the sample's human reference style (TM-105001), numbered on from the
-- highest one in use: a sequence, so concurrent sales never draw the same number. Imports that add
-- higher TM- numbers move it on again (syncOrderRefSequence after an import).
create sequence if not exists order_ref_seq;
select setval('order_ref_seq', greatest(
  100000,
  coalesce((select max(substring(order_ref from 4)::bigint) from transactions where order_ref ~ '^TM-[0-9]{1,15}$'), 0)
));

-- Sales made by the traffic simulator (server/simulate/), kept apart from real trade
alter table transactions add column if not exists simulated boolean not null default false;
