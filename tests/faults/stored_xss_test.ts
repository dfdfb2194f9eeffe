import assert from "node:assert/strict";
import { exportTables } from "../../server/http/csv_export.ts";
import { pageRoutes } from "../../fresh.config.ts";
import { startTestApp } from "../../server/testing/test_app.ts";
import { insertCustomer, insertProduct } from "../../server/transactions/transactions_fixtures.ts";
import { createToken } from "../live/_live_fixtures.ts";

// Each payload carries a unique word, so the test can find where it was rendered
const payloads = {
  product: `<script>alert("xss-product")</script><img src=x onerror=alert(1)>`,
  customer: `=HYPERLINK("http://evil.example") </script><svg onload=alert("xss-customer")>`,
  alert: `<iframe src="javascript:alert('xss-alert')"></iframe>`,
};
const rawMarkup = [/<script>alert\(/, /<img src=x onerror/, /<svg onload/, /<iframe src="javascript/];

Deno.test("product names, customer names and alert texts with markup render as text in pages, JSON and CSV", async (t) => {
  const app = await startTestApp({ env: { RATE_LIMIT_PER_MINUTE: "0" } });
  try {
    const sql = app.services.db.sql;
    const admin = await createToken(app.services, "admin");
    const auth = { Authorization: `Bearer ${admin}` };
    const productId = await insertProduct(sql, { name: payloads.product, stock: 3, reorderPoint: 5 });
    const customerId = await insertCustomer(sql, { name: payloads.customer });
    await sql`
      insert into alerts (type, severity, title, message, entity_type, entity_id)
      values ('low_stock', 'high', ${payloads.alert}, ${payloads.alert}, 'product', ${productId})`;
    const sale = await app.fetch("/api/v1/transactions", {
      method: "POST",
      headers: { ...auth, "Content-Type": "application/json" },
      body: JSON.stringify({ customerId, productId, quantity: 1, paymentMethod: "card" }),
    });
    assert.equal(sale.status, 201, await sale.clone().text());
    const { id: transactionId } = await sale.json();

    await t.step(
      "every page escapes the markup (and the islands' props cannot close their script tag)",
      async () => {
        const paths = pageRoutes.map((route) => route.path)
          .map((path) => path.replace(":id", String(transactionId)))
          .filter((path) => !path.includes(":") && path !== "/login");
        paths.push(`/transactions/${transactionId}`, `/products/${productId}`, `/customers/${customerId}`);
        let rendered = 0;
        for (const path of [...new Set(paths)]) {
          const response = await app.fetch(path, { headers: auth });
          const html = await response.text();
          if (response.status === 404) continue;
          assert.ok(response.status < 500, `${path}: ${response.status}`);
          for (const pattern of rawMarkup) assert.doesNotMatch(html, pattern, `${path} renders markup raw`);
          if (/xss-(product|customer|alert)/.test(html)) rendered++;
        }
        assert.ok(rendered > 0, "at least one page shows the stored names (else this test proves nothing)");
      },
    );

    await t.step("the API returns the names as JSON strings, byte for byte, never as HTML", async () => {
      const response = await app.fetch(`/api/v1/transactions/${transactionId}`, { headers: auth });
      assert.match(response.headers.get("content-type") ?? "", /application\/json/);
      assert.equal(response.headers.get("x-content-type-options"), "nosniff");
      const detail = await response.json();
      assert.equal(detail.customer.name, payloads.customer);
      assert.equal(detail.items[0].productName ?? detail.items[0].name, payloads.product);
      const alerts = await (await app.fetch("/api/v1/alerts", { headers: auth })).json();
      assert.ok(alerts.items.some((alert: { title: string }) => alert.title === payloads.alert));
    });

    await t.step("CSV exports carry the text as data, never as a formula or markup", async () => {
      let seen = 0;
      for (const name of Object.keys(exportTables)) {
        const response = await app.fetch(`/export/${name}.csv`, { headers: auth });
        const text = await response.text();
        if (response.status !== 200) continue;
        assert.match(response.headers.get("content-type") ?? "", /text\/csv/);
        if (text.includes("xss-")) seen++;
        for (const line of text.split("\n")) {
          for (const cell of line.split(",")) {
            assert.doesNotMatch(cell, /^"?[=+@]/, `${name}.csv: a formula cell`);
          }
        }
      }
      assert.ok(seen > 0, "some export holds the stored names");
    });
  } finally {
    await app.stop();
  }
});
