import assert from "node:assert/strict";
import {
  insertCustomer,
  insertHistoricalSale,
  insertProduct,
  refundSale,
} from "../server/analytics/analytics_fixtures.ts";
import { getDashboardFigures } from "../server/jobs/figures_queries.ts";
import { createQueryTimingRecorder, flushQueryTimings, instrumentSql } from "../server/jobs/query_timings.ts";
import { dailySalesReportCsv } from "../server/jobs/report_csv.ts";
import { getDailySalesReport, storeDayBounds } from "../server/jobs/report_queries.ts";
import { latestSlowQueryAnalysis } from "../server/jobs/slow_query_queries.ts";
import { openTestServices } from "../server/testing/test_services.ts";
import { refreshedViews } from "../server/views/refresh.ts";
import { runDailySalesReport } from "./daily_sales_report.ts";
import { runDashboardFigures } from "./dashboard_figures.ts";
import { runRefreshViews } from "./refresh_views.ts";
import { jobDefinitions } from "./schedule.ts";
import { runSlowQueryAnalysis } from "./slow_queries.ts";

Deno.test("storeDayBounds() gives a store day its own midnights, 23 hours long when the clocks go forward", () => {
  assert.deepEqual(storeDayBounds("2026-03-29", "Europe/London").map((d) => d.toISOString()), [
    "2026-03-29T00:00:00.000Z",
    "2026-03-29T23:00:00.000Z",
  ]);
  assert.deepEqual(storeDayBounds("2026-01-15", "America/New_York").map((d) => d.toISOString()), [
    "2026-01-15T05:00:00.000Z",
    "2026-01-16T05:00:00.000Z",
  ]);
});

Deno.test("the schedule names every job of the reference once, with valid kebab names", () => {
  const names = jobDefinitions.map((job) => job.name);
  assert.deepEqual(names, [
    "dashboard-figures",
    "refresh-views",
    "customer-patterns",
    "inventory-predictions",
    "reorder-suggestions",
    "daily-sales-report",
    "slow-queries",
  ]);
  for (const job of jobDefinitions) {
    assert.match(job.name, /^[a-z]+(-[a-z]+)*$/);
    assert.equal(job.schedule.split(" ").length, 5);
  }
});

Deno.test("the daily sales report covers the store-local day, only once, and downloads as CSV", async () => {
  const test = await openTestServices();
  const { sql } = test.services.db;
  const services = { ...test.services, config: { ...test.services.config, STORE_TZ: "America/New_York" } };
  try {
    const phone = await insertProduct(sql, { name: "Phone, 128GB", category: "Phones", priceCents: 50_000 });
    const cable = await insertProduct(sql, { name: "Cable", category: "Accessories", priceCents: 1_000 });
    const customer = await insertCustomer(sql);
    // 2026-01-15 in New York runs from 05:00Z to the next day's 05:00Z
    await insertHistoricalSale(sql, {
      at: new Date("2026-01-15T04:59:00Z"),
      items: [{ productId: phone, quantity: 1 }],
    });
    await insertHistoricalSale(sql, {
      at: new Date("2026-01-15T14:10:00Z"),
      items: [{ productId: phone, quantity: 1 }, { productId: cable, quantity: 3 }],
      customerId: customer,
    });
    await insertHistoricalSale(sql, {
      at: new Date("2026-01-16T04:30:00Z"),
      items: [{ productId: cable, quantity: 2 }],
      customerId: customer,
    });
    const refunded = await insertHistoricalSale(sql, {
      at: new Date("2026-01-15T16:00:00Z"),
      items: [{ productId: cable, quantity: 1 }],
    });
    await refundSale(sql, refunded);

    const now = new Date("2026-01-16T06:05:00Z");
    const first = await runDailySalesReport(services, { now });
    assert.deepEqual(first.details, { dates: ["2026-01-15"] });
    const again = await runDailySalesReport(services, { now: new Date("2026-01-16T07:05:00Z") });
    assert.equal(again.rows, 0);

    const report = await getDailySalesReport(sql, "2026-01-15");
    assert.ok(report);
    assert.equal(report.orders, 2);
    assert.equal(report.revenueCents, 50_000 + 3_000 + 2_000);
    assert.equal(report.units, 6);
    assert.equal(report.customers, 1);
    assert.equal(report.refundedOrders, 1);
    assert.equal(report.refundedCents, 1_000);
    assert.deepEqual(report.byHour.map((h) => [h.key, h.orders]), [["09", 1], ["23", 1]]);
    assert.deepEqual(report.byCategory.map((c) => [c.key, c.revenueCents]), [["Phones", 50_000], [
      "Accessories",
      5_000,
    ]]);

    const csv = dailySalesReportCsv(report).trimEnd().split("\r\n");
    assert.equal(csv[0], "date,section,key,name,orders,units,revenue_cents,customers");
    assert.equal(csv[1], "2026-01-15,total,,,2,6,55000,1");
    const phoneLine = csv.find((line) => line.includes(",product,") && line.includes("Phone"));
    assert.match(phoneLine ?? "", /^2026-01-15,product,[^,]+,"Phone, 128GB",1,1,50000,$/);

    // After downtime the job catches up on every day that ended
    const later = await runDailySalesReport(services, { now: new Date("2026-01-19T12:00:00Z") });
    assert.deepEqual(later.details, { dates: ["2026-01-16", "2026-01-17", "2026-01-18"] });
  } finally {
    await test.close();
  }
});

Deno.test("the views job refreshes every view and announces it; the figures job stores the dashboard counts", async () => {
  const test = await openTestServices();
  const { sql } = test.services.db;
  const events: string[] = [];
  const stop = test.services.bus.subscribe((event) => events.push(event.type));
  try {
    const product = await insertProduct(sql, { priceCents: 2_000, stock: 3 });
    const now = new Date();
    for (const customerId of [await insertCustomer(sql), await insertCustomer(sql)]) {
      await insertHistoricalSale(sql, {
        at: new Date(now.getTime() - 86_400_000 * 3),
        items: [{ productId: product, quantity: 1 }],
        customerId,
      });
    }
    const refreshed = await runRefreshViews(test.services);
    assert.equal(refreshed.rows, refreshedViews.length);
    const [{ views }] = await sql`select count(*)::int as views from materialized_view_refreshes`;
    assert.equal(views, refreshedViews.length);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.ok(events.includes("views.refreshed"));

    await runDashboardFigures(test.services, { now });
    const stored = await getDashboardFigures(sql);
    assert.equal(stored?.figures.activeCustomers30d, 2);
    assert.equal(stored?.figures.lowStockProducts, 1);
  } finally {
    stop();
    await test.close();
  }
});

Deno.test("the slow-query job ranks the app's own timings and stores each with its plan", async () => {
  const test = await openTestServices();
  try {
    const recorder = createQueryTimingRecorder();
    const timed = instrumentSql(test.services.db.sql, recorder);
    const product = await insertProduct(test.services.db.sql, { priceCents: 500 });
    // A fragment inside a query, a helper, and a transaction still work through the instrumented pool
    const filter = timed`and id = ${product}`;
    const rows = await timed`select id, name from products where true ${filter}`;
    assert.equal(rows.length, 1);
    await timed.begin((tx) => tx`select 1`);
    await timed`select pg_sleep(0.05), ${"x"}::text as label`;
    const flushed = await flushQueryTimings(test.services.db.sql, recorder);
    assert.equal(flushed, 2);

    const result = await runSlowQueryAnalysis(test.services, { limit: 5 });
    const analysis = await latestSlowQueryAnalysis(test.services.db.sql);
    assert.ok(analysis);
    // This test server has no pg_stat_statements loaded (nor does the embedded one)
    assert.equal(analysis.source, result.details?.source);
    if (analysis.source === "app_timings") {
      assert.equal(analysis.queries.length, 2);
      assert.match(analysis.queries[0].query, /pg_sleep/);
      assert.ok(analysis.queries[0].meanMs >= 40);
      assert.match(analysis.queries[1].query, /from products where true and id = \$1/);
      assert.match(analysis.queries[1].plan ?? "", /Scan/);
    }
  } finally {
    await test.close();
  }
});
