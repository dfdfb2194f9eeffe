-- Dead weight (issue #14): the dashboard-figures job filled dashboard_figures every minute and no
-- page, procedure or job read it any more (the dashboard reads live figures through the cache);
-- dashboard_overview_mv and supplier_performance_mv were refreshed every 5 minutes and read by no
-- code (supplier figures are computed from the catalog so they never lag behind an edit).
drop table if exists dashboard_figures;
drop materialized view if exists dashboard_overview_mv;
drop materialized view if exists supplier_performance_mv;
delete from materialized_view_refreshes
where view_name in ('dashboard_overview_mv', 'supplier_performance_mv');
