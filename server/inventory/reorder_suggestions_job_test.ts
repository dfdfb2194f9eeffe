import assert from "node:assert/strict";
import { recordEvents, until } from "../testing/events.ts";
import { insertDailySales, insertOffer, insertProduct, insertSupplier } from "./inventory_fixtures.ts";
import { listSuggestions } from "./suggestion_queries.ts";
import { openTestServices } from "../testing/test_services.ts";
import { runInventoryPredictions } from "./predictions_job.ts";
import { runReorderSuggestions } from "./reorder_suggestions_job.ts";

const DAY = 86_400_000;

Deno.test("runReorderSuggestions() keeps one open suggestion per product that needs stock", async (t) => {
  const test = await openTestServices();
  const { events, stop } = recordEvents(test.services.bus);
  try {
    const sql = test.services.db.sql;
    const fastCo = await insertSupplier(sql, { name: "FastCo", reliability: 0.95 });
    const cheapCo = await insertSupplier(sql, { name: "CheapCo", reliability: 0.6 });
    const short = await insertProduct(sql, { name: "Short", stock: 30 });
    const plenty = await insertProduct(sql, { name: "Plenty", stock: 5000 });
    const orphan = await insertProduct(sql, { name: "No supplier", stock: 1 });
    await insertOffer(sql, { productId: short, supplierId: fastCo, unitCostCents: 1000, leadTimeDays: 4 });
    await insertOffer(sql, { productId: short, supplierId: cheapCo, unitCostCents: 950, leadTimeDays: 21 });
    await insertOffer(sql, { productId: plenty, supplierId: fastCo, unitCostCents: 1000, leadTimeDays: 4 });
    for (const product of [short, plenty, orphan]) {
      await insertDailySales(sql, product, "2024-01-01", new Array(56).fill(10));
    }
    const now = new Date("2024-02-26T09:00:00Z");
    await runInventoryPredictions(test.services, { now });

    await t.step("a product whose stock runs short within the lead time gets a suggestion", async () => {
      const summary = await runReorderSuggestions(test.services, { now });
      assert.deepEqual(
        { planned: summary.planned, created: summary.created, refreshed: summary.refreshed },
        { planned: 3, created: 1, refreshed: 0 },
      );
      const [suggestion, ...others] = await listSuggestions(sql, { status: "open", limit: 10, now });
      assert.equal(others.length, 0);
      assert.equal(suggestion.productId, short);
      assert.equal(suggestion.supplierName, "FastCo");
      assert.equal(suggestion.leadTimeDays, 4);
      // 30 units at about 10 a day: 3 days left, fewer than the 4-day lead time
      assert.equal(suggestion.urgency, "critical");
      assert.ok(Math.abs(suggestion.daysUntilStockout! - 3) < 0.5);
      // covers lead time + 30 days at ~10 a day, less the 30 in stock
      assert.ok(suggestion.quantity > 280 && suggestion.quantity < 400, `quantity ${suggestion.quantity}`);
      assert.equal(suggestion.estimatedCostCents, suggestion.quantity * 1000);
      assert.equal(suggestion.stockAtSuggestion, 30);
      assert.deepEqual(suggestion.supplierScores.map((s) => s.name), ["FastCo", "CheapCo"]);
      assert.match(suggestion.supplierReason, /^FastCo scores/);
      assert.match(
        suggestion.reason,
        // what the lead time leaves in words a buyer reads, not "leaves -10"
        /^Stock 30, less about 40 units forecast to sell in the 4-day lead time, leaves none, 10 short: /,
      );
      await until(() => events.some((event) => event.type === "suggestion.changed"), "suggestion.changed");
    });

    await t.step("a second run refreshes the open suggestion instead of adding one", async () => {
      await sql`update products set stock_quantity = 20 where id = ${short}`;
      const summary = await runReorderSuggestions(test.services, { now: new Date(now.getTime() + 1000) });
      assert.equal(summary.created, 0);
      assert.equal(summary.refreshed, 1);
      const open = await listSuggestions(sql, { status: "active", limit: 10, now });
      assert.equal(open.length, 1);
      assert.equal(open[0].stockAtSuggestion, 20);
    });

    await t.step("a suggestion no longer needed is withdrawn", async () => {
      await sql`update products set stock_quantity = 5000 where id = ${short}`;
      const summary = await runReorderSuggestions(test.services, { now: new Date(now.getTime() + 2000) });
      assert.equal(summary.withdrawn, 1);
      assert.equal((await listSuggestions(sql, { status: "active", limit: 10, now })).length, 0);
      assert.equal((await listSuggestions(sql, { status: "withdrawn", limit: 10, now })).length, 1);
    });

    await t.step("a snoozed suggestion stays snoozed until its date, then reopens", async () => {
      await sql`update products set stock_quantity = 30 where id = ${short}`;
      assert.equal((await runReorderSuggestions(test.services, { now })).created, 1);
      const until = new Date(now.getTime() + DAY);
      await sql`update reorder_suggestions set status = 'snoozed', snoozed_until = ${until} where status = 'open'`;
      const during = await runReorderSuggestions(test.services, { now: new Date(now.getTime() + DAY / 2) });
      assert.deepEqual([during.created, during.stillSnoozed, during.reopened], [0, 1, 0]);
      const after = await runReorderSuggestions(test.services, { now: new Date(now.getTime() + 2 * DAY) });
      assert.deepEqual([after.created, after.reopened, after.refreshed], [0, 1, 1]);
    });
  } finally {
    stop();
    await test.close();
  }
});
