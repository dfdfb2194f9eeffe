import assert from "node:assert/strict";
import { browserTest } from "./_browser.ts";
import { startSampleApp } from "./_sample_app.ts";
import { signIn } from "./_sign_in.ts";

const shopifyExport =
  new URL("../../data/fixtures/platforms/shopify_orders_export.csv", import.meta.url).pathname;

browserTest(
  "an admin imports a Shopify export in the browser: preview, mapping, dry run, import with progress",
  startSampleApp,
  async (app, browser, t) => {
    const sql = app.services.db.sql;
    const page = await browser.newPage();
    await signIn(page, app.url, "admin", "/admin/import");
    await page.waitForSelector('[data-island="ImportWizard"][data-hydrated="true"]');

    await t.step(
      "upload: the columns and first rows are shown, and the matching mapping is picked",
      async () => {
        await page.setInputFiles('[data-testid="import-files"]', shopifyExport);
        await page.getByRole("button", { name: "Upload" }).click();
        const preview = page.locator('[data-testid="import-preview"]');
        await preview.waitFor();
        const text = await preview.textContent() ?? "";
        assert.match(text, /shopify_orders_export\.csv/);
        assert.match(text, /Lineitem sku/);
        assert.match(text, /PHN-PX9P-256/, "a sample row");
        assert.equal(await page.locator('[data-testid="import-mapping"]').inputValue(), "shopify-orders");
      },
    );

    await t.step("a dry run says what would happen, line by line, and writes nothing", async () => {
      await page.getByRole("button", { name: "Dry run" }).click();
      const result = page.locator('[data-testid="dry-run-result"]');
      await result.waitFor();
      const text = await result.textContent() ?? "";
      assert.match(text, /8 lines read: 5 would be imported, 0 already there, 3 rejected/);
      assert.match(text, /no rate for USD to GBP/);
      assert.match(text, /Lineitem quantity: must be a whole number of units, got "two"/);
      const [{ n }] = await sql`select count(*)::int as n from transactions where order_ref like '#10%'`;
      assert.equal(n, 0);
    });

    await t.step("adjusting the mapping (a rate for USD) changes the dry run; it can be saved", async () => {
      const editor = page.locator('[data-testid="import-mapping-text"]');
      const spec = JSON.parse(await editor.inputValue());
      spec.name = "our-shopify";
      spec.rates = { USD: 0.8 };
      await editor.fill(JSON.stringify(spec, null, 2));
      await page.getByRole("button", { name: "Save mapping" }).click();
      await page.getByText('Saved mapping "our-shopify"').waitFor();
      await page.getByRole("button", { name: "Dry run" }).click();
      await page.getByText(/8 lines read: 6 would be imported, 0 already there, 2 rejected/).waitFor();
      const [saved] =
        await sql`select spec->'rates'->>'USD' as usd from import_mappings where name = 'our-shopify'`;
      assert.equal(saved.usd, "0.8");
    });

    await t.step("the import runs with a progress bar and applies what the dry run said", async () => {
      await page.getByRole("button", { name: "Import", exact: true }).click();
      await page.locator('[data-testid="import-progress"]').waitFor();
      const result = page.locator('[data-testid="import-result"]');
      await result.waitFor({ timeout: 60_000 });
      assert.match(await result.textContent() ?? "", /6 imported, 0 already there, 2 rejected/);
      assert.match(await page.locator('[data-testid="import-progress"]').textContent() ?? "", /Imported/);
      const orders =
        await sql`select order_ref from transactions where order_ref like '#10%' order by order_ref`;
      assert.deepEqual(orders.map((o) => o.order_ref), ["#1001", "#1002", "#1003", "#1004", "#1005"]);
    });
  },
  { embeddedOnly: true },
);
