-- The line summaries (0245) of orders written before it, for the orders a fraud rule may still read (the
-- longest history a rule set allows is 730 days): without them an upgraded shop's sales read each older
-- order's lines, as before 0245, until the orders leave the window. Done here when there are few enough to
-- fill within a start-up (500,000 orders: seconds); a larger shop keeps reading its older orders from their
-- lines, which gives the same values (docs/performance.md "Session 13"). Orders without lines stay as they
-- are (read from no lines: 0 and 0, as their summary would say). Categories are slugged as
-- server/transactions/line_summary_queries.ts slugs them.
do $$
begin
  if (select count(*) from transactions
      where category_units is null and created_at >= now() - interval '730 days') <= 500000 then
    update transactions t
    set max_item_quantity = s.max_item_quantity, category_units = s.category_units
    from (
      select transaction_id, max(max_quantity)::int as max_item_quantity,
        jsonb_object_agg(category, units) as category_units
      from (
        select i.transaction_id,
          trim(both '_' from regexp_replace(lower(trim(p.category)), '[^a-z0-9]+', '_', 'g')) as category,
          sum(i.quantity)::int as units, max(i.quantity) as max_quantity
        from transactions o
        join transaction_items i on i.transaction_id = o.id
        join products p on p.id = i.product_id
        where o.category_units is null and o.created_at >= now() - interval '730 days'
        group by 1, 2
      ) per_category
      group by transaction_id
    ) s
    where t.id = s.transaction_id;
  end if;
end
$$;
