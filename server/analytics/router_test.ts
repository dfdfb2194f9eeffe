import assert from "node:assert/strict";
import { TRPCError } from "@trpc/server";
import { invalidate } from "../cache.ts";
import { openTestServices } from "../testing/test_services.ts";
import { refreshMaterializedViews } from "../views/refresh.ts";
import {
  insertCustomer,
  insertHistoricalSale,
  insertOffer,
  insertProduct,
  insertSupplier,
  refundSale,
} from "./analytics_fixtures.ts";

const hour = 3_600_000;

Deno.test("analytics procedures", async (t) => {
  const { services, api, close } = await openTestServices();
  const { sql } = services.db;
  try {
    const laptop = await insertProduct(sql, {
      priceCents: 100_000,
      category: "Laptops",
      stock: 3,
      reorderPoint: 10,
    });
    const mouse = await insertProduct(sql, { priceCents: 2_000, category: "Accessories", stock: 50 });
    const cable = await insertProduct(sql, { priceCents: 500, category: "Accessories", stock: 500 });
    const customer = await insertCustomer(sql);
    const now = Date.now();
    const ids: number[] = [];
    for (let day = 1; day <= 10; day++) {
      const at = new Date(now - day * 24 * hour + 37 * 60_000);
      ids.push(
        await insertHistoricalSale(sql, {
          at,
          customerId: customer,
          items: [{ productId: laptop, quantity: 1 }],
        }),
      );
      ids.push(
        await insertHistoricalSale(sql, {
          at,
          items: [{ productId: mouse, quantity: 3 }, { productId: cable, quantity: 10 }],
        }),
      );
    }
    await refreshMaterializedViews(sql);
    // after the refresh: one old laptop sale refunded, one new cable sale
    await refundSale(sql, ids[4]);
    await insertHistoricalSale(sql, { at: new Date(), items: [{ productId: cable, quantity: 40 }] });
    // a shared Redis may hold figures cached by another test database
    await invalidate(services.kv, ["analytics"]);
    const viewer = api("viewer");

    await t.step("topProducts ranks by revenue or by units, exactly", async () => {
      const byRevenue = await viewer.analytics.topProducts({ days: 30, by: "revenue", limit: 10 });
      assert.deepEqual(
        byRevenue.items.map((p) => [p.productId, p.units, p.revenueCents, p.orders]),
        [[laptop, 9, 900_000, 9], [mouse, 30, 60_000, 10], [cable, 140, 70_000, 11]].sort((a, b) =>
          b[2] - a[2]
        ),
      );
      const byUnits = await viewer.analytics.topProducts({ days: 30, by: "units", limit: 1 });
      assert.deepEqual(byUnits.items.map((p) => p.productId), [cable]);
    });

    await t.step("categoryPerformance sums revenue, margin, orders and share per category", async () => {
      const { items } = await viewer.analytics.categoryPerformance({ days: 30 });
      const laptops = items.find((c) => c.category === "Laptops")!;
      const accessories = items.find((c) => c.category === "Accessories")!;
      assert.equal(laptops.revenueCents, 900_000);
      assert.equal(laptops.costCents, 9 * 60_000);
      assert.equal(laptops.marginCents, 360_000);
      assert.equal(accessories.revenueCents, 130_000);
      assert.equal(accessories.orders, 11);
      assert.equal(Math.round((laptops.revenueShare + accessories.revenueShare) * 1000), 1000);
    });

    await t.step("hourlySales by day compares with the previous period", async () => {
      const result = await viewer.analytics.hourlySales({ days: 5, granularity: "day" });
      assert.equal(result.timeZone, "UTC");
      // days 1..4 fall in the last 5 days (day 5 is just outside at +37 min); plus today's new sale
      const [expected] = await sql<[{ revenue: number }]>`
        select sum(total_cents)::bigint as revenue from transactions
        where status = 'completed' and created_at >= ${result.from} and created_at < ${result.to}`;
      assert.equal(result.totals.revenueCents, expected.revenue);
      const [before] = await sql<[{ revenue: number }]>`
        select sum(total_cents)::bigint as revenue from transactions where status = 'completed'
          and created_at >= ${new Date(
        2 * result.from.getTime() - result.to.getTime(),
      )} and created_at < ${result.from}`;
      assert.equal(result.previousTotals.revenueCents, before.revenue);
      assert.equal(result.buckets.reduce((s, b) => s + b.previousRevenueCents, 0), before.revenue);
    });

    await t.step("hourlySales by hour has one bucket per hour of the range", async () => {
      const result = await viewer.analytics.hourlySales({ days: 1 });
      assert.ok(result.buckets.length === 24 || result.buckets.length === 25);
      // day 1 (24 h less 37 min ago: two sales) and the new sale
      assert.equal(result.totals.orders, 3);
    });

    await t.step(
      "hourlySales answers a cache hit with the same figures and instants as the miss",
      async () => {
        await invalidate(services.kv, ["analytics"]);
        const input = { from: "2026-01-01T00:00:00Z", to: "2026-01-03T00:00:00Z" };
        const missed = await viewer.analytics.hourlySales(input);
        const hit = await viewer.analytics.hourlySales(input);
        assert.equal(hit.buckets.length, 48);
        assert.ok(hit.from instanceof Date && hit.buckets[47].start instanceof Date);
        assert.equal(hit.buckets[47].start.toISOString(), "2026-01-02T23:00:00.000Z");
        assert.deepEqual(hit, missed);
      },
    );

    await t.step("customerSegments summarises the purchase patterns, fresh or from the view", async () => {
      await sql`
        insert into customer_purchase_patterns (customer_id, recency_days, frequency, monetary_cents,
          average_order_cents, r_score, f_score, m_score, segment)
        values (${customer}, 1, 9, 900000, 100000, 5, 5, 5, 'champions')`;
      const live = await viewer.analytics.customerSegments();
      assert.deepEqual(live.segments.map((s) => [s.segment, s.customers, s.revenueCents, s.customerShare]), [
        ["champions", 1, 900_000, 1],
      ]);
      await refreshMaterializedViews(sql, { views: ["customer_segments_mv"] });
      await invalidate(services.kv, ["analytics"]);
      const fromView = await viewer.analytics.customerSegments();
      assert.deepEqual(fromView.segments, live.segments);
    });

    await t.step("supplierPerformance reads suppliers' offers live", async () => {
      const supplier = await insertSupplier(sql, { name: "Acme", reliability: 0.8 });
      await insertOffer(sql, {
        productId: laptop,
        supplierId: supplier,
        unitCostCents: 60_000,
        leadTimeDays: 4,
      });
      await insertOffer(sql, {
        productId: mouse,
        supplierId: supplier,
        unitCostCents: 1_000,
        leadTimeDays: 2,
      });
      const { items } = await viewer.analytics.supplierPerformance();
      assert.deepEqual(items, [{
        supplierId: supplier,
        name: "Acme",
        products: 2,
        averageLeadTimeDays: 3,
        reliability: 0.8,
        averageUnitCostCents: 30_500,
        lowStockProducts: 1,
      }]);
    });

    await t.step("a reversed range is a BAD_REQUEST and anonymous callers are refused", async () => {
      await assert.rejects(
        () => viewer.analytics.topProducts({ from: "2026-02-01T00:00:00Z", to: "2026-01-01T00:00:00Z" }),
        (error: TRPCError) => error.code === "BAD_REQUEST",
      );
      await assert.rejects(
        () => api(null).analytics.categoryPerformance({}),
        (e: TRPCError) => e.code === "UNAUTHORIZED",
      );
    });
  } finally {
    await close();
  }
});
