import assert from "node:assert/strict";
import { startAuthTestApp } from "../../server/auth/_auth_fixtures.ts";
import {
  insertCustomer,
  insertCustomers,
  insertProduct,
} from "../../server/transactions/transactions_fixtures.ts";
import { browserTest } from "./_browser.ts";
import { signIn } from "./_sign_in.ts";

browserTest(
  "a manager sells through the new-transaction form and a dashboard in a second tab shows the sale live",
  startAuthTestApp,
  async (app, browser) => {
    const { sql } = app.services.db;
    const productId = await insertProduct(sql, { name: "Test Headphones", priceCents: 4999, stock: 3 });
    const customerId = await insertCustomer(sql, { name: "Ada Shopper" });
    const context = await browser.newContext();
    const seller = await context.newPage();
    await signIn(seller, app.url, "manager");
    const watcher = await context.newPage();
    await watcher.goto(`${app.url}/`);
    await watcher.waitForSelector('[data-island="ConnectionStatus"] [data-state="live"]');
    await watcher.waitForSelector('[data-island="SalesPerMinute"][data-hydrated="true"]', {
      state: "attached",
    });
    assert.match(await watcher.textContent('[data-testid="last-hour"]') ?? "", /^£0\.00 from 0 completed/);

    await seller.goto(`${app.url}/transactions`);
    await seller.waitForSelector('[data-island="NewTransactionForm"][data-hydrated="true"]', {
      state: "attached",
    });
    await seller.click("#new-transaction > summary");
    const form = seller.locator('[data-testid="new-transaction-form"]');

    // The shared zod schema refuses a zero quantity before anything is sent
    await form.locator("#new-customerId").fill(String(customerId));
    await form.locator("select[name^='product-']").selectOption(String(productId));
    await form.locator("input[name^='quantity-']").fill("0");
    await form.locator('button[type="submit"]').click();
    await form.locator(".field-error").first().waitFor();
    assert.match(
      await form.locator('[data-testid="form-error"]').textContent() ?? "",
      /Check the highlighted/,
    );
    assert.equal((await sql`select count(*)::int as n from transactions`)[0].n, 0);

    // The server refuses more than is in stock, and the form shows its sentence
    await form.locator("input[name^='quantity-']").fill("5");
    await form.locator('button[type="submit"]').click();
    await seller.waitForFunction(() =>
      /stock/i.test(document.querySelector('[data-testid="form-error"]')?.textContent ?? "")
    );

    // Identity fields are optional; a bad one is named by the same schema before anything is sent
    await form.locator('[data-testid="identity-fields"] > summary').click();
    await form.locator("#new-billingCountry").fill("XX");
    await form.locator("input[name^='quantity-']").fill("2");
    await form.locator('button[type="submit"]').click();
    await form.locator("#new-billingCountry-error").waitFor();
    assert.equal((await sql`select count(*)::int as n from transactions`)[0].n, 0);
    await form.locator("#new-billingCountry").fill("gb");
    await form.locator("#new-email").fill("Ann@Example.com");
    await form.locator("#new-ipAddress").fill("203.0.113.7");
    await form.locator('button[type="submit"]').click();
    await form.locator('[data-testid="form-ok"]').waitFor();
    const [identity] = await sql`select email, ip_address, billing_country, device_id from transactions`;
    assert.deepEqual({ ...identity }, {
      email: "ann@example.com",
      ip_address: "203.0.113.7",
      billing_country: "GB",
      device_id: null,
    });
    const confirmation = await form.locator('[data-testid="form-ok"]').textContent() ?? "";
    assert.match(confirmation, /Created [A-Z]+-[0-9A-F]+: £99\.98, completed/);
    const [sale] = await sql<[{ id: number }]>`select id from transactions order by id desc limit 1`;

    await watcher.locator(`[data-testid="live-feed"] [data-transaction-id="${sale.id}"]`).waitFor({
      timeout: 5_000,
    });
    await watcher.waitForFunction(() =>
      /^£99\.98 from 1 completed/.test(
        document.querySelector('[data-testid="last-hour"]')?.textContent ?? "",
      )
    );
    await watcher.waitForFunction(() =>
      document.querySelector('[data-testid="kpi-transactions"]')?.textContent?.trim() === "1"
    );

    // The confirmation's link opens the sale in the drawer, with its items
    await form.locator('[data-testid="form-ok"] a').click();
    const drawer = seller.locator('[data-testid="transaction-drawer"]');
    await drawer.waitFor();
    assert.match(
      await drawer.locator('[data-testid="drawer-items"]').textContent() ?? "",
      /Test Headphones/,
    );
    // the payment method by its name, the count of items in the singular or plural as it falls
    const facts = await drawer.locator("dl").first().textContent() ?? "";
    assert.match(facts, /Payment\s*Card · /);
    assert.match(facts, /£99\.98 · 2 items/);
    assert.match(seller.url(), new RegExp(`open=${sale.id}`));
  },
);

browserTest(
  "filters live in the URL: a category filter pages through 30 sales by keyset and the back button returns",
  startAuthTestApp,
  async (app, browser) => {
    const { sql } = app.services.db;
    const audio = await insertProduct(sql, { category: "Audio", priceCents: 2500, stock: 500 });
    const laptop = await insertProduct(sql, { category: "Laptops", priceCents: 80000, stock: 500 });
    const customers = await insertCustomers(sql, 35);
    const page = await browser.newPage();
    await signIn(page, app.url, "manager");
    // Sales through the API, as the page's session: one per customer, so no velocity rule fires
    const statuses = await page.evaluate(async ({ customers, audio, laptop }) => {
      const csrf = decodeURIComponent(/(?:^|;\s*)techmart_csrf=([^;]+)/.exec(document.cookie)?.[1] ?? "");
      const results: number[] = [];
      for (const [index, customerId] of customers.entries()) {
        const response = await fetch("/api/v1/transactions", {
          method: "POST",
          headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
          body: JSON.stringify({
            customerId,
            productId: index < 30 ? audio : laptop,
            quantity: 1,
            paymentMethod: "card",
          }),
        });
        results.push(response.status);
      }
      return results;
    }, { customers, audio, laptop });
    assert.deepEqual([...new Set(statuses)], [201]);

    await page.goto(`${app.url}/transactions`);
    await page.selectOption("#filter-category", "Audio");
    await Promise.all([
      page.waitForURL(/category=Audio/),
      page.click('form[role="search"] button[type="submit"]'),
    ]);
    const rowIds = () =>
      page.$$eval(
        '[data-testid="transactions-table"] tbody tr[data-transaction-id]',
        (rows) => rows.map((row) => Number(row.getAttribute("data-transaction-id"))),
      );
    const first = await rowIds();
    assert.equal(first.length, 25);
    assert.match(
      await page.textContent('[data-testid="pager-status"]') ?? "",
      /Page 1 · 25 transactions shown/,
    );

    await Promise.all([page.waitForURL(/cursor=/), page.click('a[rel="next"]')]);
    assert.match(page.url(), /category=Audio/, "the next page keeps the filter");
    const second = await rowIds();
    assert.equal(second.length, 5);
    assert.equal(new Set([...first, ...second]).size, 30, "no sale shows on both pages");
    assert.match(
      await page.textContent('[data-testid="pager-status"]') ?? "",
      /Page 2 · 5 transactions shown · end/,
    );

    await page.goBack();
    assert.deepEqual(await rowIds(), first, "back shows the first page again");

    // An amount filter, typed in pounds: only the five laptops cost more than £100
    await page.goto(`${app.url}/transactions?min=100`);
    assert.equal((await rowIds()).length, 5);
    assert.equal(await page.inputValue("#filter-min"), "100", "the form shows the filter back");
    // Sorting by amount keeps the filter and drops the cursor
    await Promise.all([page.waitForURL(/sort=amount/), page.click('th a.sort-link:has-text("Total")')]);
    assert.match(page.url(), /min=100/);
  },
);
