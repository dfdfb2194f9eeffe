import assert from "node:assert/strict";
import { insertRoleUsers } from "../../server/auth/_auth_fixtures.ts";
import { formatCount } from "../../server/shared/format.ts";
import { seedSampleData } from "../../server/import/seed.ts";
import { createServerCaller } from "../../server/api/server_caller.ts";
import { startTestApp, type TestApp } from "../../server/testing/test_app.ts";
import { browserTest } from "./_browser.ts";
import { signIn } from "./_sign_in.ts";

/** The seeded sample shop as imported, without first-start preparation, plus one account per role. */
function startSeededApp(): Promise<TestApp> {
  return startTestApp({
    prepare: async (services) => {
      await insertRoleUsers(services);
      await seedSampleData(services.db.sql);
    },
  });
}

browserTest(
  "the dashboard hydrates with the sample shop's real figures and keeps them live",
  startSeededApp,
  async (app, browser) => {
    const manager = createServerCaller(app.services, {
      userId: 0,
      username: "test-manager",
      role: "manager",
      via: "session",
    });
    const overview = await manager.dashboard.overview();
    assert.ok(overview.today.orders > 0, "the sample shop has sales today");

    const page = await browser.newPage();
    await signIn(page, app.url, "viewer");
    await page.waitForSelector('[data-island="DashboardKpis"][data-hydrated="true"]');
    const transactions = page.locator('[data-testid="kpi-transactions"]');
    assert.equal((await transactions.textContent())?.trim(), formatCount(overview.today.orders));

    // Only the hydrated island can change the number without a reload
    const [product] = await app.services.db.sql<{ id: number }[]>`
    select id from products where stock_quantity > 5 order by price_cents, id limit 1`;
    const [customer] = await app.services.db.sql<
      { id: number }[]
    >`select id from customers order by created_at, id limit 1`;
    // The cheapest item for a long-standing customer: nothing for the fraud rules to stop
    const sale = await manager.transactions.create({
      customerId: customer.id,
      items: [{ productId: product.id, quantity: 1 }],
      paymentMethod: "card",
    });
    assert.equal(sale.status, "completed");
    const expected = formatCount(overview.today.orders + 1);
    await page.waitForFunction(
      ([selector, text]) => document.querySelector(selector)?.textContent?.trim() === text,
      ['[data-testid="kpi-transactions"]', expected] as const,
      { timeout: 10_000 },
    );
  },
);
