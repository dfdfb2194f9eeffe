import assert from "node:assert/strict";
import { insertRoleUsers } from "../../server/auth/_auth_fixtures.ts";
import { insertDailySales, insertProduct } from "../../server/inventory/inventory_fixtures.ts";
import { startTestApp, type TestApp } from "../../server/testing/test_app.ts";
import { runInventoryPredictions } from "../../server/inventory/predictions_job.ts";
import { browserTest } from "./_browser.ts";
import { signIn } from "./_sign_in.ts";

let productId = 0;

/** An app with one product that sold 10 a day, then ran out for two weeks, with a sale ahead. */
async function startForecastApp(): Promise<TestApp> {
  return await startTestApp({
    env: { JOBS: "off", SEED_SAMPLE_DATA: "never" },
    prepare: async (services) => {
      await insertRoleUsers(services);
      const sql = services.db.sql;
      productId = await insertProduct(sql, { name: "Sold-out charger", stock: 0 });
      const today = new Date().toISOString().slice(0, 10);
      const start = new Date(Date.parse(`${today}T00:00:00Z`) - 70 * 86_400_000).toISOString().slice(0, 10);
      await insertDailySales(sql, productId, start, new Array(56).fill(10));
      const saleDay = new Date(Date.parse(`${today}T00:00:00Z`) + 3 * 86_400_000).toISOString().slice(0, 10);
      await sql`insert into calendar_events (day, kind, name) values (${saleDay}, 'promotion', 'Charger week')`;
      await runInventoryPredictions(services);
    },
  });
}

browserTest("the Inventory page explains a product's forecast", startForecastApp, async (app, browser) => {
  const page = await browser.newPage();
  await signIn(page, app.url, "manager", `/inventory?product=${productId}#forecast`);
  const text = async (id: string) =>
    (await page.locator(`[data-testid="${id}"]`).textContent() ?? "").replace(/\s+/g, " ").trim();
  assert.ok((await text("forecast-model")).length > 0);
  assert.match(
    await text("forecast-mase"),
    /^\d+\.\d\d ?· copying last week \d+\.\d\d/,
    await text("forecast-mase"),
  );
  assert.match(
    await text("forecast-coverage"),
    /\d+% of past days fell inside the 80% interval, \d+% inside the 95% interval/,
  );
  // 14 empty-shelf days (the 15th day, today's, is not history yet)
  assert.match(await text("forecast-stockout"), /^1[34] days excluded/);
  // days written as on the rest of the page ("9 Dec 2026"), not as ISO dates
  assert.match(await text("forecast-events"), /(^|, )\d{1,2} [A-Z][a-z]{2} \d{4} Charger week \(promotion\)/);
  assert.doesNotMatch(await text("forecast-events"), /\d{4}-\d\d-\d\d/);
  const fallback = page.locator('[data-testid="forecast-fallback"]');
  const params = await app.services.db.sql<{ fallback: number }[]>`
    select (params->>'fallback')::int as fallback from inventory_predictions where product_id = ${productId}`;
  assert.equal(
    await fallback.count(),
    params[0].fallback,
    "the plain sentence shows exactly when it fell back",
  );

  // Analytics: category forecasts beside the actual units, adding up to the shop's forecast.
  await page.goto(`${app.url}/analytics?days=30#categories`);
  const count = (value: string | null) => Number((value ?? "").replace(/[^\d]/g, ""));
  const categories = await page.locator('[data-testid="category-forecast"]').allTextContents();
  assert.ok(categories.length >= 1);
  const shop = count(await page.locator('[data-testid="shop-forecast"]').textContent());
  assert.ok(shop > 0, "the shop has a forecast");
  // Each category is rounded on its own: the sum may differ from the shop by up to 1 per category.
  assert.ok(Math.abs(categories.reduce((sum, text) => sum + count(text), 0) - shop) <= categories.length);
  assert.ok(count(await page.locator('[data-testid="shop-units"]').textContent()) > 0, "actuals beside it");
  await page.close();
});
