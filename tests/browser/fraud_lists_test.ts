import assert from "node:assert/strict";
import { startAuthTestApp } from "../../server/auth/_auth_fixtures.ts";
import { insertFraudCustomer } from "../../server/fraud/fraud_fixtures.ts";
import { browserTest } from "./_browser.ts";
import { signIn } from "./_sign_in.ts";

browserTest(
  "on the Fraud page an analyst blocks a customer by the code shown everywhere, and the list shows that code",
  startAuthTestApp,
  async (app, browser) => {
    const sql = app.services.db.sql;
    const customerId = await insertFraudCustomer(sql, new Date("2024-01-01T00:00:00Z"));
    const [{ code, name }] = await sql<[{ code: string; name: string }]>`
      select code, name from customers where id = ${customerId}`;
    const page = await browser.newPage();
    await signIn(page, app.url, "analyst", "/fraud");
    await page.waitForSelector('[data-island="FraudLists"][data-hydrated="true"]', { state: "attached" });
    const form = page.getByRole("form", { name: "Add a customer to a list" });

    await form.getByLabel("Customer code").fill("CUS-NOBODY");
    await form.getByRole("button", { name: "Add" }).click();
    await page.getByText('No customer with code "CUS-NOBODY"').waitFor();

    await form.getByLabel("Customer code").fill(code);
    await form.getByLabel("Reason").fill("Chargebacks");
    await form.getByRole("button", { name: "Add" }).click();
    await page.getByText(`${code} is on the block list`).waitFor();
    const cell = page.locator(`[data-testid="fraud-lists"] tr[data-customer-id="${customerId}"] td`).first();
    assert.equal((await cell.textContent())?.trim(), `${name} ${code}`);
    // the old cell said "id 867"; the id's digits may well occur in a code or name, so the words are checked
    assert.doesNotMatch(await cell.textContent() ?? "", /\bid\s*\d/i, "no internal id on the page");
    await page.close();
  },
  { embeddedOnly: true },
);
