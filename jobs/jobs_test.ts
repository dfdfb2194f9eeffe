import assert from "node:assert/strict";
import {
  insertCustomer,
  insertHistoricalSale,
  insertProduct,
} from "../server/analytics/analytics_fixtures.ts";
import { domainJobs } from "../server/api/domains.ts";
import { openTestServices } from "../server/testing/test_services.ts";
import { refreshedViews } from "../server/views/refresh.ts";
import { runRefreshViews } from "./refresh_views.ts";

Deno.test("every domain's jobs are listed once, in the jobs page's order, with valid kebab names", () => {
  const names = domainJobs.map((job) => job.name);
  assert.deepEqual(names, [
    "refresh-views",
    "customer-patterns",
    "inventory-predictions",
    "reorder-suggestions",
    "stock-alerts",
    "daily-sales-report",
    "slow-queries",
    "fraud-model-training",
  ]);
  for (const job of domainJobs) {
    assert.match(job.name, /^[a-z]+(-[a-z]+)*$/);
    assert.equal(job.schedule.split(" ").length, 5);
  }
});

Deno.test("the views job refreshes every view and announces it", async () => {
  const test = await openTestServices();
  const { sql } = test.services.db;
  const events: string[] = [];
  const stop = test.services.bus.subscribe((event) => events.push(event.type));
  try {
    const product = await insertProduct(sql, { priceCents: 2_000, stock: 3, reorderPoint: 10 });
    const now = new Date();
    for (const customerId of [await insertCustomer(sql), await insertCustomer(sql)]) {
      await insertHistoricalSale(sql, {
        at: new Date(now.getTime() - 86_400_000 * 3),
        items: [{ productId: product, quantity: 1 }],
        customerId,
      });
    }
    const refreshed = await runRefreshViews(test.services);
    assert.equal(refreshed.rows, refreshedViews.length);
    const [{ views }] = await sql`select count(*)::int as views from materialized_view_refreshes`;
    assert.equal(views, refreshedViews.length);
    // the bus delivers after the refresh's commit, on its own turn: wait for it rather than a fixed time
    for (const deadline = Date.now() + 10_000; !events.includes("views.refreshed");) {
      assert.ok(Date.now() < deadline, "views.refreshed was not published within 10 s");
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  } finally {
    stop();
    await test.close();
  }
});
