import assert from "node:assert/strict";
import { runInventoryPredictions } from "../../server/inventory/predictions_job.ts";
import { runReorderSuggestions } from "../../server/inventory/reorder_suggestions_job.ts";
import { startAuthTestApp } from "../../server/auth/_auth_fixtures.ts";
import {
  insertOffer,
  insertPackedSeller,
  insertProduct,
  insertSupplier,
} from "../../server/inventory/inventory_fixtures.ts";
import { browserTest } from "./_browser.ts";
import { openOrderedDocks } from "./_purchase_order_page.ts";
import { signIn } from "./_sign_in.ts";

browserTest(
  "a manager receives part of a purchase order, sees the backorder, and closes it short after confirming",
  startAuthTestApp,
  async (app, browser) => {
    const { sql } = app.services.db;
    const { page, id, dock, row } = await openOrderedDocks(app, browser, "PartCo");
    await row.getByText("Receive part…").click();
    await row.getByLabel("Dock (of 10 to come)").fill("4");
    await row.getByRole("button", { name: "Receive these units" }).click();
    assert.match(
      await row.textContent() ?? "",
      /Add 4 units of PO #\d+ to stock\? The rest stays on backorder\./,
    );
    await row.getByTestId("confirm-yes").click();
    const ok = page.locator('[data-testid="form-ok"]');
    await ok.waitFor();
    assert.equal(await ok.textContent(), `Received PO #${id}: 4 units added to stock; 6 on backorder`);
    // the list is read again (and the live page may redraw it): wait for the row to say so
    await page.waitForFunction(
      (poId) => /partly received/.test(document.querySelector(`tr[data-po-id="${poId}"]`)?.textContent ?? ""),
      id,
    );
    assert.match(await row.textContent() ?? "", /4 of 10 × Dock/);
    const [{ stock_quantity }] = await sql`select stock_quantity from products where id = ${dock}`;
    assert.equal(stock_quantity, 6);

    await row.getByRole("button", { name: "Close short" }).click();
    assert.match(await row.textContent() ?? "", /without the 6 units still to come\? This cannot be undone/);
    await row.getByTestId("confirm-yes").click();
    await page.waitForFunction(() =>
      /^Closed PO/.test(document.querySelector('[data-testid="form-ok"]')?.textContent ?? "")
    );
    assert.equal(await ok.textContent(), `Closed PO #${id} short: 6 units will not come`);
    const [po] = await sql`select status from purchase_orders where id = ${id}`;
    assert.equal(po.status, "closed_short");
    assert.equal((await sql`select stock_quantity from products where id = ${dock}`)[0].stock_quantity, 6);
  },
  { embeddedOnly: true },
);

browserTest(
  "the reorder explanation says how the pack size and price break shaped the order, in the shop's currency",
  startAuthTestApp,
  async (app, browser) => {
    const { sql } = app.services.db;
    await insertPackedSeller(sql, [{
      minQty: 200,
      unitCostCents: 950,
    }]);
    await runInventoryPredictions(app.services);
    await runReorderSuggestions(app.services);

    const page = await browser.newPage();
    await signIn(page, app.url, "manager", "/inventory");
    const card = page.locator("article[data-suggestion-id]").first();
    await card.waitFor();
    const text = await card.textContent() ?? "";
    assert.match(text, /Rounded up from \d+ to \d00 units \(packs of 100\)\./);
    assert.match(text, /reach the price break from 200 units: £9\.50 each instead of £10\.00\./);
  },
  { embeddedOnly: true },
);

browserTest(
  "a manager sets a supplier's pack size and price breaks on the product; bad values are refused in units and pounds",
  startAuthTestApp,
  async (app, browser) => {
    const { sql } = app.services.db;
    const supplier = await insertSupplier(sql, { name: "BulkCo", reliability: 0.9 });
    const cable = await insertProduct(sql, { name: "Cable", stock: 40 });
    await insertOffer(sql, { productId: cable, supplierId: supplier, unitCostCents: 1000, leadTimeDays: 5 });
    const page = await browser.newPage();
    await signIn(page, app.url, "manager", `/products?edit=${cable}`);
    await page.waitForSelector('[data-island="ProductEditor"][data-hydrated="true"]', { state: "attached" });
    const terms = page.getByTestId(`supplier-terms-${supplier}`);
    await terms.getByText("Pack size and price breaks from BulkCo…").click();
    const form = page.getByTestId(`supplier-terms-form-${supplier}`);
    await form.waitFor();
    const field = (prefix: string) => form.locator(`[id^="terms-${supplier}-${prefix}"]`).first();

    // bad values: each refused beside its field, in units and pounds; nothing is written
    await field("orderMultiple").fill("0");
    await form.getByRole("button", { name: "Add a price break" }).click();
    await form.getByRole("button", { name: "Add a price break" }).click();
    await field("priceBreaks-0-minQty").fill("200");
    await field("priceBreaks-0-unitCost").fill("-3");
    await field("priceBreaks-1-minQty").fill("200");
    await field("priceBreaks-1-unitCost").fill("9");
    await form.getByRole("button", { name: "Save pack and price breaks" }).click();
    await form.locator(".field-error").first().waitFor();
    const refused = await terms.textContent() ?? "";
    assert.match(refused, /Pack size must be a whole number of units between 1 and 100,000/);
    assert.match(refused, /Unit cost must be an amount between £0\.00 and £1,000,000\.00/);
    assert.match(refused, /Two price breaks start at 200 units: give each its own starting quantity/);
    assert.doesNotMatch(refused, /\{"|"code":|expected|cents|100000000/);
    const [offer] = await sql`
      select order_multiple from product_suppliers where product_id = ${cable} and supplier_id = ${supplier}`;
    assert.equal(offer.order_multiple, 1);

    // good values: saved, said back in pounds, and read back after a reload
    await field("orderMultiple").fill("100");
    await field("priceBreaks-0-unitCost").fill("9.50");
    await field("priceBreaks-1-minQty").fill("500");
    await field("priceBreaks-1-unitCost").fill("9");
    await form.getByRole("button", { name: "Save pack and price breaks" }).click();
    const ok = terms.getByTestId("form-ok");
    await ok.waitFor();
    assert.equal(
      await ok.textContent(),
      "Saved BulkCo's terms: Packs of 100; from 200 units £9.50 each, from 500 units £9.00 each",
    );
    const breaks = await sql`
      select min_qty, unit_cost_cents::int as cost from supplier_price_breaks
      where product_id = ${cable} and supplier_id = ${supplier} order by min_qty`;
    assert.deepEqual(breaks.map((b) => [b.min_qty, b.cost]), [[200, 950], [500, 900]]);

    await page.reload();
    await page.getByTestId(`supplier-terms-${supplier}`).getByText(/Pack size and price breaks/).click();
    await page.getByTestId(`supplier-terms-form-${supplier}`).waitFor();
    assert.equal(await field("orderMultiple").inputValue(), "100");
    assert.equal(await field("priceBreaks-1-unitCost").inputValue(), "9.00");
  },
  { embeddedOnly: true },
);
