// Errors and amounts in the user's words: what a shop manager sees after typing something wrong, or
// opening a page that does not exist, and money in the shop's own currency.
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { startAuthTestApp } from "../../server/auth/_auth_fixtures.ts";
import { insertProduct } from "../../server/transactions/transactions_fixtures.ts";
import { browserTest } from "./_browser.ts";
import { signIn } from "./_sign_in.ts";
import { assertNoDeveloperText } from "./_user_words.ts";

async function mainText(page: Page): Promise<string> {
  return await page.locator("main").innerText();
}

browserTest(
  "a Min £500 / Max £100 filter explains itself beside Max; an unknown page is a 404 page in the layout",
  startAuthTestApp,
  async (app, browser) => {
    const page = await browser.newPage();
    await signIn(page, app.url, "manager");

    await page.goto(`${app.url}/transactions?min=500&max=100`);
    const maxError = page.locator("#filter-max-error");
    assert.equal(await maxError.textContent(), "Max amount must be at least the min amount");
    assert.equal(await page.inputValue("#filter-min"), "500", "the typed pounds stay in the form");
    assert.equal(await page.inputValue("#filter-max"), "100");
    assertNoDeveloperText(await mainText(page), "the transactions page");

    await page.goto(`${app.url}/transactions?min=abc&from=2024-03-05&to=2024-03-01`);
    assert.match(
      await page.locator("#filter-min-error").textContent() ?? "",
      /^Min amount must be an amount/,
    );
    assert.equal(
      await page.locator("#filter-to-error").textContent(),
      "To must be on or after the From date",
    );
    assertNoDeveloperText(await mainText(page), "the transactions page");

    const response = await page.goto(`${app.url}/no-such-page`);
    assert.equal(response?.status(), 404);
    assert.match(response?.headers()["content-type"] ?? "", /text\/html/);
    assert.equal(await page.locator(".error-page h2").textContent(), "Page not found");
    assert.ok(await page.locator('nav[aria-label="Main"] a[href="/transactions"]').count(), "in the layout");
    assertNoDeveloperText(await page.locator("body").innerText(), "the 404 page");

    // API clients keep the JSON shape
    const api = await app.fetch("/api/v1/no-such-endpoint", { headers: { accept: "application/json" } });
    assert.equal(api.status, 404);
    assert.equal((await api.json()).error.code, "NOT_FOUND");
  },
  { embeddedOnly: true },
);

browserTest(
  "the product editor explains a refused price in pounds and keeps what the user typed",
  startAuthTestApp,
  async (app, browser) => {
    const { sql } = app.services.db;
    const id = await insertProduct(sql, {
      name: "Bench Amp",
      category: "Audio",
      priceCents: 12900,
      stock: 7,
    });
    const page = await browser.newPage();
    await signIn(page, app.url, "manager");
    await page.goto(`${app.url}/products?edit=${id}`);
    await page.waitForSelector('[data-island="ProductEditor"][data-hydrated="true"]', { state: "attached" });
    const editor = page.locator('[data-testid="product-editor"]');

    await editor.locator("#edit-price").fill("200000000");
    await editor.locator("#edit-stockQuantity").fill("2.5");
    await editor.locator('button[type="submit"]').click();
    await editor.locator("#edit-price-error").waitFor();
    assert.equal(
      await editor.locator("#edit-price-error").textContent(),
      "Price must be an amount between £0.01 and £100,000,000.00",
    );
    assert.equal(
      await editor.locator("#edit-stockQuantity-error").textContent(),
      "Stock must be a whole number between 0 and 1,000,000",
    );
    assert.equal(await editor.locator("#edit-price").inputValue(), "200000000", "the user's value stays");
    assert.equal(await editor.locator("#edit-stockQuantity").inputValue(), "2.5");
    assertNoDeveloperText(
      (await editor.innerText()).replace("£100,000,000.00", ""),
      "the product editor",
    );
    assert.equal((await sql`select price_cents from products where id = ${id}`)[0].price_cents, 12900);
  },
  { embeddedOnly: true },
);

browserTest(
  "a euro shop (STORE_CURRENCY=EUR, STORE_LOCALE=de-DE) writes every amount in euros, on pages and in islands",
  () => startAuthTestApp({ STORE_CURRENCY: "EUR", STORE_LOCALE: "de-DE", STORE_TZ: "Europe/Berlin" }),
  async (app, browser) => {
    const { sql } = app.services.db;
    const id = await insertProduct(sql, {
      name: "Euro Amp",
      category: "Audio",
      priceCents: 194697,
      stock: 7,
    });
    const page = await browser.newPage();
    await signIn(page, app.url, "manager");
    await page.goto(`${app.url}/products?search=Euro&edit=${id}`);
    await page.waitForSelector('[data-island="ProductEditor"][data-hydrated="true"]', { state: "attached" });
    const row = await page.textContent(`tr[data-product-id="${id}"]`) ?? "";
    assert.match(row.replace(/\s/g, " "), /1\.946,97 €/);
    assert.doesNotMatch(row, /£|\$/);
    // the island, hydrated in the browser, reads the shop's settings from the page
    assert.equal(await page.locator('label[for="edit-price"]').innerText(), "Price (€)");
    assert.equal(await page.getAttribute("html", "lang"), "de-DE");
  },
  { embeddedOnly: true },
);
