import assert from "node:assert/strict";
import { techmartSignature } from "../../server/integrations/signatures.ts";
import { browserTest } from "./_browser.ts";
import { startSampleApp } from "./_sample_app.ts";
import { signIn } from "./_sign_in.ts";

browserTest(
  "an admin adds an order feed, and a signed order shows in its delivery log",
  startSampleApp,
  async (app, browser) => {
    const page = await browser.newPage();
    await signIn(page, app.url, "admin", "/admin/integrations");
    await page.waitForSelector('[data-island="IntegrationAdmin"][data-hydrated="true"]');
    // the empty lists said only "No integrations yet." and "Nothing received yet."
    assert.match(
      await page.locator('[data-testid="integrations"]').innerText(),
      /No integrations yet: give one a name and a kind above and press Add integration/,
    );
    assert.match(await page.locator("main").innerText(), /deliveries appear here as your shop sends orders/);
    await page.getByLabel("Name").fill("marketplace-feed");
    await page.getByLabel("Kind").selectOption("generic");
    await page.getByRole("button", { name: "Add integration" }).click();
    const secret = (await page.locator('[data-testid="integration-secret"]').textContent())!.trim();
    assert.match(secret, /^\S{32,}$/);
    // the secret shows at once; the list is read again after it
    await page.locator('[data-testid="integrations"]').getByText("marketplace-feed").waitFor();

    const [product] = await app.services.db.sql<{ sku: string }[]>`
      select sku from products where is_active and stock_quantity > 5 order by id limit 1`;
    const body = JSON.stringify({
      event: "order.created",
      orderId: "MKT-1",
      createdAt: new Date().toISOString(),
      updatedAt: new Date().toISOString(),
      customer: { email: "buyer@example.com", name: "A Buyer" },
      items: [{ sku: product.sku, quantity: 1 }],
    });
    const response = await fetch(new URL("/api/v1/integrations/orders", app.url), {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-techmart-signature": await techmartSignature(secret, new TextEncoder().encode(body)),
      },
      body,
    });
    assert.equal(response.status, 201);
    await response.body?.cancel();

    await page.reload();
    const log = page.locator('[data-testid="deliveries"] tbody tr').first();
    await log.waitFor();
    const text = await log.textContent() ?? "";
    assert.match(text, /marketplace-feed/);
    assert.match(text, /MKT-1/);
    assert.match(text, /created/);
    // The delivery links to the sale it made
    await log.getByRole("link").click();
    await page.waitForURL(/\/transactions\/\d+$/);
  },
  { embeddedOnly: true },
);
