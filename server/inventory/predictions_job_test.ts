import assert from "node:assert/strict";
import { insertDailySales, insertProduct } from "./inventory_fixtures.ts";
import { latestPredictions } from "./prediction_queries.ts";
import { openTestServices } from "../testing/test_services.ts";
import { runInventoryPredictions } from "./predictions_job.ts";

Deno.test("runInventoryPredictions() stores a 30-day forecast for every active product", async () => {
  const test = await openTestServices();
  try {
    const sql = test.services.db.sql;
    const steady = await insertProduct(sql, { name: "Steady seller" });
    const idle = await insertProduct(sql, { name: "Never sold" });
    const retired = await insertProduct(sql, { name: "Retired", active: false });
    // 8 weeks of a weekly pattern: 2 on weekdays, 6 on the weekend days of the pattern
    const week = [2, 2, 2, 2, 2, 6, 6];
    await insertDailySales(sql, steady, "2024-01-01", Array.from({ length: 56 }, (_, day) => week[day % 7]));
    await insertDailySales(sql, retired, "2024-02-20", [1, 1, 1]);

    const now = new Date("2024-02-26T09:00:00Z");
    const summary = await runInventoryPredictions(test.services, { now });
    assert.equal(summary.products, 2);
    assert.equal(summary.startsOn, "2024-02-26");

    const stored = await latestPredictions(sql, [steady, idle, retired]);
    assert.equal(stored.has(retired), false);
    const forecast = stored.get(steady)!;
    assert.equal(forecast.horizonDays, 30);
    assert.equal(forecast.startsOn, "2024-02-26");
    assert.equal(forecast.point.length, 30);
    assert.notEqual(forecast.model, "zero");
    assert.equal(forecast.params.historyDays, 56);
    // 2024-02-26 is day 56 of the pattern, a "2" day; days 61 and 62 are the "6" days
    assert.ok(Math.abs(forecast.point[0] - 2) < 0.5, `point[0] = ${forecast.point[0]}`);
    assert.ok(Math.abs(forecast.point[5] - 6) < 0.5, `point[5] = ${forecast.point[5]}`);
    for (let day = 0; day < 30; day++) {
      assert.ok(forecast.lower95[day] <= forecast.lower80[day] + 1e-6);
      assert.ok(forecast.lower80[day] <= forecast.point[day] + 1e-6);
      assert.ok(forecast.point[day] <= forecast.upper80[day] + 1e-6);
      assert.ok(forecast.upper80[day] <= forecast.upper95[day] + 1e-6);
    }
    assert.equal(typeof forecast.backtestMase, "number");
    assert.equal(stored.get(idle)?.model, "zero");
    assert.deepEqual(stored.get(idle)?.point, new Array(30).fill(0));

    // a later run supersedes the first, and old runs are pruned once a newer one exists
    const later = new Date(now.getTime() + 8 * 86_400_000);
    const second = await runInventoryPredictions(test.services, { now: later });
    assert.equal(second.startsOn, "2024-03-05");
    assert.equal(second.deleted, 2);
    const third = await runInventoryPredictions(test.services, { now: new Date(later.getTime() + 1000) });
    assert.equal(third.deleted, 0);
    const [{ count }] = await sql<
      [{ count: number }]
    >`select count(*)::int as count from inventory_predictions`;
    assert.equal(count, 4);
    assert.equal((await latestPredictions(sql, [steady])).get(steady)?.startsOn, "2024-03-05");
  } finally {
    await test.close();
  }
});
