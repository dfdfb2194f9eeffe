import assert from "node:assert/strict";
import { findCustomerPattern } from "./patterns_queries.ts";
import { insertCustomer, insertProduct, insertSale } from "../inventory/inventory_fixtures.ts";
import { openTestServices } from "../testing/test_services.ts";
import { runCustomerPatterns } from "./patterns_job.ts";

const DAY = 86_400_000;

Deno.test("runCustomerPatterns() stores recency, frequency, money, favourite category, interval and segment", async () => {
  const test = await openTestServices();
  try {
    const sql = test.services.db.sql;
    const now = new Date("2024-06-30T12:00:00Z");
    const ago = (days: number) => new Date(now.getTime() - days * DAY);
    const phone = await insertProduct(sql, { category: "Phones", priceCents: 50_000 });
    const cable = await insertProduct(sql, { category: "Accessories", priceCents: 1_000 });
    const regular = await insertCustomer(sql, { name: "Regular" });
    const newcomer = await insertCustomer(sql, { name: "Newcomer" });
    const gone = await insertCustomer(sql, { name: "Gone" });
    const browser = await insertCustomer(sql, { name: "Never bought" });
    const refunder = await insertCustomer(sql, { name: "Refunded only" });
    // Regular: three orders 10 days apart, the last 2 days ago; more cables by count, more spend on phones
    await insertSale(sql, { at: ago(22), customerId: regular, items: [{ productId: phone, quantity: 1 }] });
    await insertSale(sql, { at: ago(12), customerId: regular, items: [{ productId: cable, quantity: 5 }] });
    await insertSale(sql, { at: ago(2), customerId: regular, items: [{ productId: cable, quantity: 5 }] });
    await insertSale(sql, { at: ago(1), customerId: newcomer, items: [{ productId: cable, quantity: 1 }] });
    await insertSale(sql, { at: ago(300), customerId: gone, items: [{ productId: cable, quantity: 2 }] });
    await insertSale(sql, {
      at: ago(3),
      customerId: refunder,
      items: [{ productId: phone, quantity: 1 }],
      status: "refunded",
    });
    // after "now": not yet happened for this run
    await insertSale(sql, {
      at: new Date(now.getTime() + DAY),
      customerId: gone,
      items: [{ productId: phone, quantity: 1 }],
    });

    const summary = await runCustomerPatterns(test.services, { now });
    assert.equal(summary.customers, 3);

    const pattern = await findCustomerPattern(sql, regular);
    assert.ok(pattern);
    assert.equal(pattern.recencyDays, 2);
    assert.equal(pattern.frequency, 3);
    assert.equal(pattern.monetaryCents, 60_000);
    assert.equal(pattern.averageOrderCents, 20_000);
    assert.equal(pattern.favouriteCategory, "Phones");
    assert.equal(pattern.averageIntervalDays, 10);
    assert.deepEqual([pattern.r, pattern.f, pattern.m], [3, 5, 5]);
    assert.equal(pattern.segment, "Loyal");

    const first = await findCustomerPattern(sql, newcomer);
    assert.equal(first?.averageIntervalDays, null);
    assert.equal(first?.segment, "New");
    assert.equal((await findCustomerPattern(sql, gone))?.segment, "Lost");
    assert.equal(await findCustomerPattern(sql, browser), undefined);
    assert.equal(await findCustomerPattern(sql, refunder), undefined);
    assert.deepEqual(summary.segments, { Loyal: 1, New: 1, Lost: 1 });

    // a second run replaces the rows instead of adding to them
    await runCustomerPatterns(test.services, { now: ago(-10) });
    const [{ count }] = await sql<
      [{ count: number }]
    >`select count(*)::int as count from customer_purchase_patterns`;
    assert.equal(count, 3);
    assert.equal((await findCustomerPattern(sql, regular))?.recencyDays, 12);
  } finally {
    await test.close();
  }
});
