import assert from "node:assert/strict";
import {
  insertCustomer,
  insertHistoricalSale,
  insertProduct,
  refundSale,
} from "../analytics/analytics_fixtures.ts";
import { dailySalesReportCsv } from "./report_csv.ts";
import { getDailySalesReport, storeDayBounds } from "./report_queries.ts";
import { openTestServices } from "../testing/test_services.ts";
import { runDailySalesReport } from "./daily_sales_report_job.ts";

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
