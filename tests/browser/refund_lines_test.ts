import assert from "node:assert/strict";
import { startAuthTestApp } from "../../server/auth/_auth_fixtures.ts";
import { insertSale } from "../../server/inventory/inventory_fixtures.ts";
import { insertProduct, stockOf } from "../../server/transactions/transactions_fixtures.ts";
import { browserTest } from "./_browser.ts";
import { signIn } from "./_sign_in.ts";

browserTest(
  "a manager refunds some units of two lines in the drawer, one line restocked and one written off, after a confirm step",
  startAuthTestApp,
  async (app, browser) => {
    const { sql } = app.services.db;
    const cable = await insertProduct(sql, { name: "Braided cable", priceCents: 1000, stock: 10 });
    const mug = await insertProduct(sql, { name: "Store mug", priceCents: 600, stock: 10 });
    const saleId = await insertSale(sql, {
      at: new Date(Date.now() - 3_600_000),
      items: [{ productId: cable, quantity: 3 }, { productId: mug, quantity: 2 }],
    });
    const page = await browser.newPage();
    await signIn(page, app.url, "manager");
    await page.goto(`${app.url}/transactions?open=${saleId}`);
    await page.waitForSelector('[data-island="TransactionDrawer"][data-hydrated="true"]', {
      state: "attached",
    });
    const form = page.locator('[data-testid="refund-lines-form"]');
    await form.waitFor();

    // nothing chosen: the button cannot start
    assert.equal(await form.getByRole("button", { name: "Refund selected units" }).isDisabled(), true);
    await form.locator(`[name="refund-${cable}"]`).fill("2");
    await form.locator(`[name="refund-${mug}"]`).fill("1");
    await form.locator(`[name="restock-${mug}"]`).uncheck();
    await form.locator('[name="reason"]').fill("Mug chipped");
    await form.getByRole("button", { name: "Refund selected units" }).click();
    const question = await form.locator(".confirm-text").textContent() ?? "";
    assert.match(question, /^Refund 3 units of .+ \(2 back to stock\)\? This cannot be undone\.$/);

    // "No" sends nothing
    await form.getByTestId("confirm-no").click();
    assert.equal((await sql`select count(*)::int as n from transaction_refunds`)[0].n, 0);

    await form.getByRole("button", { name: "Refund selected units" }).click();
    await form.getByTestId("confirm-yes").click();
    await form.locator('[data-testid="form-ok"]').waitFor();
    assert.equal(
      await form.locator('[data-testid="form-ok"]').textContent(),
      "Refunded £26.00; 2 units back in stock",
    );
    assert.equal(await page.locator('[data-testid="refunded-so-far"]').textContent(), "£26.00 so far");
    assert.equal(await stockOf(sql, cable), 12);
    assert.equal(await stockOf(sql, mug), 10);
    const [sale] = await sql<[{ status: string }]>`select status from transactions where id = ${saleId}`;
    assert.equal(sale.status, "completed");
    // the form now offers only what is left: 1 cable, 1 mug
    assert.equal(await form.locator(`[name="refund-${cable}"]`).getAttribute("max"), "1");
  },
  { embeddedOnly: true },
);
