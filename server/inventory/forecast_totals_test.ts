import assert from "node:assert/strict";
import { runInventoryPredictions } from "./predictions_job.ts";
import { openTestServices } from "../testing/test_services.ts";
import { bottomUpTotals, loadForecastTotals } from "./forecast_totals.ts";
import { insertDailySales, insertProduct } from "./inventory_fixtures.ts";

Deno.test("bottomUpTotals(): categories sum their products by date, and the shop sums the categories", () => {
  const totals = bottomUpTotals(
    [
      { category: "Audio", startsOn: "2024-03-01", mean: [1, 2, 3] },
      { category: "Audio", startsOn: "2024-02-29", mean: [9, 4, 5, 6] },
      { category: "Cables", startsOn: "2024-03-01", mean: [0.5, 0.5] },
    ],
    "2024-03-01",
    3,
  );
  assert.deepEqual(totals.categories, { Audio: [5, 7, 9], Cables: [0.5, 0.5, 0] });
  assert.deepEqual(totals.shop, [5.5, 7.5, 9]);
});

Deno.test("loadForecastTotals(): the shop's forecast adds up from the stored product forecasts", async () => {
  const test = await openTestServices();
  try {
    const sql = test.services.db.sql;
    const a = await insertProduct(sql, { category: "Audio", stock: 100 });
    const b = await insertProduct(sql, { category: "Audio", stock: 100 });
    const c = await insertProduct(sql, { category: "Cables", stock: 100 });
    await insertDailySales(sql, a, "2024-01-01", new Array(56).fill(4));
    await insertDailySales(sql, b, "2024-01-01", new Array(56).fill(2));
    await insertDailySales(sql, c, "2024-01-01", new Array(56).fill(1));
    await runInventoryPredictions(test.services, { now: new Date("2024-02-26T09:00:00Z") });
    const totals = await loadForecastTotals(sql, { today: "2024-02-26", horizon: 30 });
    assert.equal(totals.shop.length, 30);
    for (let day = 0; day < 30; day++) {
      const sum = totals.categories.Audio[day] + totals.categories.Cables[day];
      assert.ok(Math.abs(totals.shop[day] - sum) < 1e-9, "shop = sum of categories");
    }
    assert.ok(Math.abs(totals.categories.Audio[0] - 6) < 0.5, `Audio ${totals.categories.Audio[0]}`);
    assert.ok(Math.abs(totals.categories.Cables[0] - 1) < 0.25, `Cables ${totals.categories.Cables[0]}`);
  } finally {
    await test.close();
  }
});
