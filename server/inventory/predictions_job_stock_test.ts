import assert from "node:assert/strict";
import { insertDailySales, insertProduct } from "./inventory_fixtures.ts";
import { latestPredictions } from "./prediction_queries.ts";
import { openTestServices } from "../testing/test_services.ts";
import { runInventoryPredictions } from "./predictions_job.ts";

Deno.test("runInventoryPredictions() records stock history and treats out-of-stock days as missing demand", async () => {
  const test = await openTestServices();
  try {
    const sql = test.services.db.sql;
    // 10 a day for 8 weeks, then two weeks with nothing on the shelf (stock 0 now, no sales).
    const product = await insertProduct(sql, { name: "Sold out", stock: 0 });
    await insertDailySales(sql, product, "2024-01-01", new Array(56).fill(10));
    const now = new Date("2024-03-11T09:00:00Z");
    await runInventoryPredictions(test.services, { now });

    const history = await sql<{ day: string; endStock: number }[]>`
      select day::text as day, end_stock as "endStock" from stock_history
      where product_id = ${product} and day >= '2024-02-24' order by day`;
    assert.equal(history[0].day, "2024-02-24");
    // 2024-02-25 was the last day of sales: 10 left at the end of the 24th, 0 from the 25th on.
    assert.equal(history[0].endStock, 10);
    assert.ok(history.slice(1).every((row) => row.endStock === 0));

    const forecast = (await latestPredictions(sql, [product])).get(product)!;
    assert.equal(forecast.params.missingDays, 14);
    const mean = forecast.point.reduce((sum, value) => sum + value, 0) / forecast.point.length;
    assert.ok(mean > 8, `forecast ${mean} a day: the empty shelf is not zero demand`);

    const holidays = await sql<{ count: number }[]>`
      select count(*)::int as count from calendar_events where source = 'holidays' and day = '2024-12-25'`;
    assert.equal(holidays[0].count, 1, "the store country's (GB) Christmas Day is a calendar event");
  } finally {
    await test.close();
  }
});
