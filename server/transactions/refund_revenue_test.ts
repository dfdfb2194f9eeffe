import { categorySalesSeries } from "../analytics/sales_queries.ts";
import assert from "node:assert/strict";
import {
  insertCustomer as insertAnalyticsCustomer,
  insertHistoricalSale,
  insertProduct,
} from "../analytics/analytics_fixtures.ts";
import { listCategoryPerformance, listTopProducts } from "../analytics/breakdown_queries.ts";
import { measureMetric } from "../alerts/rule_queries.ts";
import { measureScoped } from "../alerts/scoped_metrics.ts";
import { findCustomer } from "../customers/customer_queries.ts";
import { loadCustomerActivity } from "../customers/patterns_queries.ts";
import type { Sql } from "../db/mod.ts";
import { salesTotals } from "../analytics/sales_queries.ts";
import { salesPerMinute } from "../dashboard/overview_queries.ts";
import { buildDailySalesReport } from "../reports/report_queries.ts";
import { openTestServices } from "../testing/test_services.ts";
import { refreshMaterializedViews } from "../views/refresh.ts";
import { insertCustomer, insertProduct as insertStockedProduct } from "./transactions_fixtures.ts";

Deno.test("revenue reads are net of partial refunds: analytics (view and base rows), daily report, live minutes", async () => {
  const test = await openTestServices();
  const sql = test.services.db.sql;
  const manager = test.api("manager");
  try {
    const product = await insertProduct(sql, { priceCents: 1_000 });
    const at = new Date("2026-02-03T12:00:00Z");
    const saleId = await insertHistoricalSale(sql, { at, items: [{ productId: product, quantity: 4 }] });
    await manager.transactions.refundLines({
      id: saleId,
      lines: [{ productId: product, quantity: 1, restock: true }],
    });
    const day: [Date, Date] = [new Date("2026-02-03T00:00:00Z"), new Date("2026-02-04T00:00:00Z")];

    // before any refresh: the base rows
    assert.deepEqual(await salesTotals(sql, day), { orders: 1, revenueCents: 3_000, units: 4 });
    // after: the hourly view
    await refreshMaterializedViews(sql, { views: ["hourly_sales_mv"] });
    const [mv] = await sql<
      [{ revenue_cents: number }]
    >`select revenue_cents from hourly_sales_mv where hour = ${at}`;
    assert.equal(Number(mv.revenue_cents), 3_000);
    assert.deepEqual(await salesTotals(sql, day), { orders: 1, revenueCents: 3_000, units: 4 });

    const report = await buildDailySalesReport(sql, { date: "2026-02-03", timeZone: "UTC" });
    assert.equal(report.orders, 1);
    assert.equal(report.revenueCents, 3_000);
    assert.equal(report.refundedOrders, 0); // still a sale: partly refunded
    assert.equal(report.refundedCents, 1_000);

    // a sale made now and partly refunded shows net in the live per-minute series
    const customerId = await insertCustomer(sql);
    const stocked = await insertStockedProduct(sql, { priceCents: 1_000, stock: 10 });
    const live = await manager.transactions.create({
      customerId,
      productId: stocked,
      quantity: 2,
      paymentMethod: "card",
    });
    await manager.transactions.refundLines({
      id: live.id,
      lines: [{ productId: stocked, quantity: 1, restock: false }],
    });
    const minutes = await salesPerMinute(sql, new Date(Date.now() + 60_000), 5);
    const revenue = minutes.reduce((sum, m) => sum + Number(m.revenueCents), 0);
    assert.equal(revenue, live.totalCents - Math.round(live.totalCents / 2));
  } finally {
    await test.close();
  }
});

/** Every per-product, per-category and per-customer revenue figure the app shows for one sale's day. */
async function figuresOf(
  sql: Sql,
  ids: { audio: number; camera: number; customer: number },
) {
  const day: [Date, Date] = [new Date("2026-02-03T00:00:00Z"), new Date("2026-02-04T00:00:00Z")];
  // three hours around the sale: whole hours come from the hourly rollups, not the daily views
  const hours: [Date, Date] = [new Date("2026-02-03T11:00:00Z"), new Date("2026-02-03T14:00:00Z")];
  const productRevenue = async (range: [Date, Date]) =>
    Object.fromEntries(
      (await listTopProducts(sql, range, { by: "revenue", limit: 10 })).map((
        p,
      ) => [p.productId, p.revenueCents]),
    );
  const categoryRevenue = async (range: [Date, Date]) =>
    Object.fromEntries((await listCategoryPerformance(sql, range)).map((c) => [c.category, c.revenueCents]));
  const report = await buildDailySalesReport(sql, { date: "2026-02-03", timeZone: "UTC" });
  const [sku] = await sql<[{ sku: string }]>`select sku from products where id = ${ids.audio}`;
  const end = new Date("2026-02-03T13:00:00Z");
  const activity = (await loadCustomerActivity(sql, end)).find((c) => c.customerId === ids.customer);
  return {
    productsByDay: await productRevenue(day),
    productsByHour: await productRevenue(hours),
    categoriesByDay: await categoryRevenue(day),
    categoriesByHour: await categoryRevenue(hours),
    customerSpent: Number((await findCustomer(sql, ids.customer))!.stats.spentCents),
    customerMonetary: Number(activity!.monetaryCents),
    reportRevenue: report.revenueCents,
    reportCategories: Object.fromEntries(report.byCategory.map((c) => [c.key, c.revenueCents])),
    reportProducts: Object.fromEntries(report.topProducts.map((p) => [p.productId, p.revenueCents])),
    ruleShopRevenue: await measureMetric(sql, "revenue_cents", 120, end),
    ruleCategoryRevenue: await measureScoped(
      sql,
      "revenue_cents",
      { type: "category", value: "Refund Audio" },
      day[0],
      day[1],
    ),
    ruleProductRevenue: await measureScoped(
      sql,
      "revenue_cents",
      { type: "product", value: sku.sku },
      ...day,
    ),
    // Analytics filtered to one category reads its series from the base rows
    categorySeries: (await categorySalesSeries(sql, day, {
      timeZone: "UTC",
      granularity: "day",
      category: "Refund Audio",
    })).reduce((sum, bucket) => sum + Number(bucket.revenueCents), 0),
  };
}

Deno.test("a partial line refund lowers its product's, category's and customer's revenue and the report's by exactly the refund, before and after the views refresh", async () => {
  const test = await openTestServices();
  const sql = test.services.db.sql;
  try {
    const audio = await insertProduct(sql, { priceCents: 1_000, category: "Refund Audio" });
    const camera = await insertProduct(sql, { priceCents: 2_500, category: "Refund Cameras" });
    const customer = await insertAnalyticsCustomer(sql);
    const saleId = await insertHistoricalSale(sql, {
      at: new Date("2026-02-03T12:00:00Z"),
      customerId: customer,
      items: [{ productId: audio, quantity: 3 }, { productId: camera, quantity: 1 }],
    });
    await refreshMaterializedViews(sql);
    const before = await figuresOf(sql, { audio, camera, customer });
    assert.equal(before.productsByDay[audio], 3_000);
    assert.equal(before.categoriesByHour["Refund Cameras"], 2_500);
    assert.equal(before.customerSpent, 5_500);

    await test.api("manager").transactions.refundLines({
      id: saleId,
      lines: [{ productId: audio, quantity: 1, restock: false }],
    });
    const refunded = 1_000;
    const expected = {
      productsByDay: { [audio]: 3_000 - refunded, [camera]: 2_500 },
      productsByHour: { [audio]: 3_000 - refunded, [camera]: 2_500 },
      categoriesByDay: { "Refund Audio": 3_000 - refunded, "Refund Cameras": 2_500 },
      categoriesByHour: { "Refund Audio": 3_000 - refunded, "Refund Cameras": 2_500 },
      customerSpent: 5_500 - refunded,
      customerMonetary: 5_500 - refunded,
      reportRevenue: 5_500 - refunded,
      reportCategories: { "Refund Audio": 3_000 - refunded, "Refund Cameras": 2_500 },
      reportProducts: { [audio]: 3_000 - refunded, [camera]: 2_500 },
      ruleShopRevenue: 5_500 - refunded,
      ruleCategoryRevenue: 3_000 - refunded,
      ruleProductRevenue: 3_000 - refunded,
      categorySeries: 3_000 - refunded,
    };
    // before a refresh: the changed hour and day are read from the base tables
    assert.deepEqual(await figuresOf(sql, { audio, camera, customer }), expected);
    // after: from the daily views and the hourly rollups themselves
    await refreshMaterializedViews(sql);
    assert.deepEqual(await figuresOf(sql, { audio, camera, customer }), expected);
    const [views] = await sql<[{ day: number; hour: number; category: number; categoryHour: number }]>`
      select (select sum(revenue_cents) from top_products_mv where product_id = ${audio})::int as day,
             (select sum(revenue_cents) from product_hourly_sales where product_id = ${audio})::int as hour,
             (select sum(revenue_cents) from category_performance_mv where category = 'Refund Audio')::int as category,
             (select sum(revenue_cents) from category_hourly_sales where category = 'Refund Audio')::int
               as "categoryHour"`;
    assert.deepEqual(views, { day: 2_000, hour: 2_000, category: 2_000, categoryHour: 2_000 });
  } finally {
    await test.close();
  }
});
