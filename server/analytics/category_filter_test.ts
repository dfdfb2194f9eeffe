import assert from "node:assert/strict";
import { openTestServices } from "../testing/test_services.ts";
import {
  insertCustomer,
  insertHistoricalSale,
  insertOffer,
  insertProduct,
  insertSupplier,
} from "./analytics_fixtures.ts";

Deno.test("Analytics' category filter narrows sales, best sellers, segments and suppliers", async () => {
  const { services, api, close } = await openTestServices();
  const { sql } = services.db;
  try {
    const gpu = await insertProduct(sql, { category: "GPU", priceCents: 45_000, stock: 100 });
    const cable = await insertProduct(sql, { category: "Cables", priceCents: 900, stock: 100 });
    const gamer = await insertCustomer(sql);
    const handyman = await insertCustomer(sql);
    const gpuMaker = await insertSupplier(sql, { name: "GPU Works" });
    const wireCo = await insertSupplier(sql, { name: "WireCo" });
    await insertOffer(sql, { productId: gpu, supplierId: gpuMaker, unitCostCents: 30_000, leadTimeDays: 9 });
    await insertOffer(sql, { productId: cable, supplierId: wireCo, unitCostCents: 200, leadTimeDays: 2 });
    await sql`
      insert into customer_purchase_patterns (customer_id, recency_days, frequency, monetary_cents,
        average_order_cents, favourite_category, r_score, f_score, m_score, segment)
      values (${gamer}, 2, 2, 90000, 45000, 'GPU', 5, 4, 5, 'Champions'),
             (${handyman}, 90, 1, 1800, 1800, 'Cables', 2, 1, 1, 'At risk')`;
    const day = 24 * 3_600_000;
    const at = (daysAgo: number) => new Date(Date.now() - daysAgo * day);
    // one order with both, one GPU alone, one of cables only
    await insertHistoricalSale(sql, {
      at: at(2),
      customerId: gamer,
      items: [{ productId: gpu, quantity: 1 }, { productId: cable, quantity: 1 }],
    });
    await insertHistoricalSale(sql, {
      at: at(3),
      customerId: gamer,
      items: [{ productId: gpu, quantity: 1 }],
    });
    await insertHistoricalSale(sql, {
      at: at(4),
      customerId: handyman,
      items: [{ productId: cable, quantity: 2 }],
    });
    const analytics = api("viewer").analytics;

    const all = await analytics.hourlySales({ days: 7, granularity: "day" });
    const gpus = await analytics.hourlySales({ days: 7, granularity: "day", category: "gpu" });
    assert.deepEqual(all.totals, { orders: 3, revenueCents: 90_000 + 900 * 3, units: 5 });
    // the GPU lines of two orders; the cable in the first order is not counted
    assert.deepEqual(gpus.totals, { orders: 2, revenueCents: 90_000, units: 2 });
    assert.equal(gpus.buckets.length, all.buckets.length);

    const top = await analytics.topProducts({ days: 7, category: "Cables" });
    assert.deepEqual(top.items.map((p) => [p.productId, p.units]), [[cable, 3]]);

    const segments = await analytics.customerSegments({ category: "GPU" });
    assert.deepEqual(segments.segments.map((s) => [s.segment, s.customers]), [["Champions", 1]]);
    assert.equal((await analytics.customerSegments()).segments.length, 2);

    const suppliers = await analytics.supplierPerformance({ category: "GPU" });
    assert.deepEqual(suppliers.items.map((s) => [s.name, s.products]), [["GPU Works", 1]]);
  } finally {
    await close();
  }
});
