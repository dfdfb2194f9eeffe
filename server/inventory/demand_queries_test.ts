import assert from "node:assert/strict";
import { openTestDatabase } from "../testing/test_database.ts";
import { historyDays, loadDemandHistories } from "./demand_queries.ts";
import { insertProduct, insertSale } from "./inventory_fixtures.ts";

Deno.test("loadDemandHistories() reads daily units per product in the store's time zone", async (t) => {
  const db = await openTestDatabase();
  try {
    const phone = await insertProduct(db.sql, { name: "Phone" });
    const cable = await insertProduct(db.sql, { name: "Cable" });
    const idle = await insertProduct(db.sql, { name: "Never sold" });
    const retired = await insertProduct(db.sql, { name: "Retired", active: false });
    // 23:30 UTC on 1 March is already 2 March in Berlin
    await insertSale(db.sql, {
      at: new Date("2024-03-01T23:30:00Z"),
      items: [{ productId: phone, quantity: 2 }],
    });
    await insertSale(db.sql, {
      at: new Date("2024-03-02T10:00:00Z"),
      items: [{ productId: phone, quantity: 1 }, { productId: cable, quantity: 4 }],
    });
    await insertSale(db.sql, {
      at: new Date("2024-03-04T10:00:00Z"),
      items: [{ productId: phone, quantity: 3 }],
    });
    // refunded, cancelled and pending orders are not demand
    for (const status of ["refunded", "cancelled", "pending"] as const) {
      await insertSale(db.sql, {
        at: new Date("2024-03-03T10:00:00Z"),
        items: [{ productId: phone, quantity: 50 }],
        status,
      });
    }
    // outside the window
    await insertSale(db.sql, {
      at: new Date("2024-02-01T10:00:00Z"),
      items: [{ productId: cable, quantity: 9 }],
    });
    await insertSale(db.sql, {
      at: new Date("2024-03-06T10:00:00Z"),
      items: [{ productId: cable, quantity: 9 }],
    });
    await insertSale(db.sql, {
      at: new Date("2024-03-03T10:00:00Z"),
      items: [{ productId: retired, quantity: 1 }],
    });

    await t.step(
      "zero days are filled up to the last day, and each series starts at its first sale",
      async () => {
        const histories = await loadDemandHistories(db.sql, {
          timeZone: "Europe/Berlin",
          lastDay: "2024-03-05",
          days: 14,
        });
        assert.deepEqual([...histories.keys()].sort((a, b) => a - b), [phone, cable, idle]);
        assert.deepEqual(histories.get(phone), { start: "2024-03-02", units: [3, 0, 3, 0] });
        assert.deepEqual(historyDays(histories.get(phone)!), [
          "2024-03-02",
          "2024-03-03",
          "2024-03-04",
          "2024-03-05",
        ]);
        assert.deepEqual(histories.get(cable)?.units, [4, 0, 0, 0]);
        assert.deepEqual(histories.get(idle), { start: null, units: [] });
      },
    );

    await t.step("in UTC the late sale falls on the day before", async () => {
      const histories = await loadDemandHistories(db.sql, {
        timeZone: "UTC",
        lastDay: "2024-03-05",
        days: 14,
      });
      assert.deepEqual(histories.get(phone)?.units, [2, 1, 0, 3, 0]);
    });

    await t.step("named products are read even when inactive, and only them", async () => {
      const histories = await loadDemandHistories(db.sql, {
        timeZone: "UTC",
        lastDay: "2024-03-05",
        days: 3,
        productIds: [retired, cable],
      });
      assert.deepEqual([...histories.keys()].sort((a, b) => a - b), [cable, retired].sort((a, b) => a - b));
      assert.deepEqual(histories.get(retired)?.units, [1, 0, 0]);
      assert.deepEqual(histories.get(cable), { start: null, units: [] });
    });
  } finally {
    await db.close();
  }
});
