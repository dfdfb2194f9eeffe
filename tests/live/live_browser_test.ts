import assert from "node:assert/strict";
import { fixturePassword, startAuthTestApp } from "../../server/auth/_auth_fixtures.ts";
import { insertCustomer, insertProduct } from "../../server/transactions/transactions_fixtures.ts";
import { browserTest } from "../browser/_browser.ts";

browserTest(
  "a transaction created in one browser page shows in another page's live feed without a reload",
  startAuthTestApp,
  async (app, browser) => {
    const productId = await insertProduct(app.services.db.sql, { priceCents: 4200, stock: 20 });
    const customerId = await insertCustomer(app.services.db.sql);
    const context = await browser.newContext();
    const seller = await context.newPage();
    await seller.goto(`${app.url}/login`);
    await seller.fill('input[name="username"]', "manager");
    await seller.fill('input[name="password"]', fixturePassword);
    await Promise.all([seller.waitForURL(`${app.url}/`), seller.click('button[type="submit"]')]);
    const watcher = await context.newPage();
    await watcher.goto(`${app.url}/`);
    await watcher.waitForSelector('[data-island="ConnectionStatus"] [data-state="live"]');
    const ordersBefore = await watcher.textContent('[data-testid="live-orders"]');

    // The seller's page creates the sale with its session (and the CSRF token islands send)
    const created = await seller.evaluate(async (body) => {
      const csrf = /(?:^|;\s*)techmart_csrf=([^;]+)/.exec(document.cookie)?.[1] ?? "";
      const response = await fetch("/api/v1/transactions", {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": decodeURIComponent(csrf) },
        body: JSON.stringify(body),
      });
      return { status: response.status, body: await response.json() };
    }, { customerId, productId, quantity: 1, paymentMethod: "card" });
    assert.equal(created.status, 201, JSON.stringify(created.body));

    const row = watcher.locator(`[data-testid="live-feed"] [data-transaction-id="${created.body.id}"]`);
    await row.waitFor({ timeout: 5_000 });
    assert.match(await row.textContent() ?? "", /£42\.00/);
    await watcher.waitForFunction(
      (before) => document.querySelector('[data-testid="live-orders"]')?.textContent !== before,
      ordersBefore,
      { timeout: 5_000 },
    );
    // the seller's own page got it too, without a reload
    await seller.locator(`[data-transaction-id="${created.body.id}"]`).waitFor({ timeout: 5_000 });
  },
);
