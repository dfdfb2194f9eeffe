-- Planner settings for this database, measured at 10 million transactions (docs/performance.md).
--
-- JIT compilation: the dashboard and analytics reads are short index scans whose estimated cost
-- still crosses jit_above_cost once the tables hold millions of rows (range joins are estimated
-- at a tenth of the table). Compiling them took 50-100 ms per query, longer than the queries
-- themselves. Off for sessions opened after this migration; a restart picks it up everywhere.
do $$
begin
  execute format('alter database %I set jit = off', current_database());
end
$$;
