import assert from "node:assert/strict";
import { insertCustomer, insertHistoricalSale, insertProduct } from "../analytics/analytics_fixtures.ts";
import { openTestServices } from "../testing/test_services.ts";

Deno.test("transactions.list drills into a product, a customer segment and a minute", async () => {
  const { services, api, close } = await openTestServices();
  const { sql } = services.db;
  try {
    const gpu = await insertProduct(sql, { category: "GPU", priceCents: 45_000, stock: 100 });
    const cable = await insertProduct(sql, { category: "Cables", priceCents: 900, stock: 100 });
    const loyal = await insertCustomer(sql, { name: "Loyal" });
    const lost = await insertCustomer(sql, { name: "Lost" });
    await sql`
      insert into customer_purchase_patterns (customer_id, recency_days, frequency, monetary_cents,
        average_order_cents, r_score, f_score, m_score, segment)
      values (${loyal}, 2, 9, 400000, 45000, 5, 5, 5, 'Champions'), (${lost}, 300, 1, 900, 900, 1, 1, 1, 'Lost')`;
    const minute = new Date("2026-11-27T10:05:00Z");
    const inMinute = await insertHistoricalSale(sql, {
      at: new Date("2026-11-27T10:05:30Z"),
      customerId: loyal,
      items: [{ productId: gpu, quantity: 1 }],
    });
    const nextMinute = await insertHistoricalSale(sql, {
      at: new Date("2026-11-27T10:06:00Z"),
      customerId: lost,
      items: [{ productId: cable, quantity: 2 }],
    });
    const both = await insertHistoricalSale(sql, {
      at: new Date("2026-11-27T11:00:00Z"),
      customerId: lost,
      items: [{ productId: gpu, quantity: 1 }, { productId: cable, quantity: 1 }],
    });
    const ids = async (input: Parameters<ReturnType<typeof api>["transactions"]["list"]>[0]) =>
      (await api("viewer").transactions.list(input)).items.map((t) => t.id).sort((a, b) => a - b);

    assert.deepEqual(await ids({ productId: gpu }), [inMinute, both]);
    assert.deepEqual(await ids({ segment: "Champions" }), [inMinute]);
    assert.deepEqual(await ids({ segment: "Lost", productId: cable }), [nextMinute, both]);
    assert.deepEqual(await ids({ segment: "Nobody" }), []);
    // a minute is [start, start + 60 s): the sale on the next minute's first second is not in it
    assert.deepEqual(await ids({ from: minute, to: new Date(minute.getTime() + 60_000) }), [inMinute]);
  } finally {
    await close();
  }
});
