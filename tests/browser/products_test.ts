import assert from "node:assert/strict";
import { startAuthTestApp } from "../../server/auth/_auth_fixtures.ts";
import { insertProduct } from "../../server/transactions/transactions_fixtures.ts";
import { browserTest } from "./_browser.ts";
import { signIn } from "./_sign_in.ts";

browserTest(
  "a manager edits a product's price and stock in the drawer; a refused value shows its message",
  startAuthTestApp,
  async (app, browser) => {
    const { sql } = app.services.db;
    const id = await insertProduct(sql, {
      name: "Studio Monitor",
      category: "Audio",
      priceCents: 12900,
      stock: 7,
    });
    const page = await browser.newPage();
    await signIn(page, app.url, "manager");
    await page.goto(`${app.url}/products?search=Studio`);
    await page.waitForSelector('[data-island="ProductEditor"][data-hydrated="true"]', {
      state: "attached",
    });
    await page.click(`a[data-edit-product="${id}"]`);
    const editor = page.locator('[data-testid="product-editor"]');
    await editor.locator('[data-testid="product-form"]').waitFor();
    assert.match(page.url(), new RegExp(`edit=${id}`), "the open drawer is in the URL");

    // The API's schema refuses a zero price in the browser
    await editor.locator("#edit-price").fill("0");
    await editor.locator('button[type="submit"]').click();
    await editor.locator("#edit-price-error").waitFor();
    assert.equal((await sql`select price_cents from products where id = ${id}`)[0].price_cents, 12900);

    await editor.locator("#edit-price").fill("119.50");
    await editor.locator("#edit-stockQuantity").fill("12");
    await editor.locator('button[type="submit"]').click();
    await editor.locator('[data-testid="form-ok"]').waitFor();
    assert.match(await editor.locator('[data-testid="form-ok"]').textContent() ?? "", /Saved 2 change/);
    const [row] = await sql`select price_cents, stock_quantity from products where id = ${id}`;
    assert.deepEqual({ ...row }, { price_cents: 11950, stock_quantity: 12 });

    // Closing reloads the catalog with its search kept, showing the new price
    await Promise.all([page.waitForURL(/search=Studio$/), page.keyboard.press("Escape")]);
    const cells = await page.textContent(`tr[data-product-id="${id}"]`) ?? "";
    assert.match(cells, /£119\.50/);

    // A viewer sees the catalog without edit links, each row with its suppliers' terms, cheapest first
    const stand = await insertProduct(sql, { name: "Studio Stand", category: "Audio", priceCents: 4900 });
    const suppliers = await sql<{ id: number }[]>`
      insert into suppliers (code, name, reliability)
      values ('SOUNDCO', 'Sound Co', 0.9), ('WAVEHOUSE', 'Wave House', 0.8)
      returning id`;
    await sql`
      insert into product_suppliers (product_id, supplier_id, unit_cost_cents, lead_time_days, min_order_qty)
      values (${id}, ${suppliers[0].id}, 7400, 12, 1), (${id}, ${suppliers[1].id}, 6850, 3, 4)`;
    const viewer = await (await browser.newContext()).newPage();
    await signIn(viewer, app.url, "viewer");
    await viewer.goto(`${app.url}/products?search=Studio`);
    assert.equal(await viewer.locator("a[data-edit-product]").count(), 0);
    assert.match(await viewer.textContent('[data-testid="products-table"]') ?? "", /Studio Monitor/);
    assert.deepEqual(
      await viewer.locator(`tr[data-product-id="${id}"] .supplier-list li`).allTextContents(),
      ["Wave House3 d · £68.50", "Sound Co12 d · £74.00"],
    );
    assert.equal(await viewer.locator(`tr[data-product-id="${stand}"] .supplier-list`).count(), 0);
    assert.match(await viewer.textContent(`tr[data-product-id="${stand}"]`) ?? "", /none/);
  },
  { embeddedOnly: true },
);
