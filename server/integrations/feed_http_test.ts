import assert from "node:assert/strict";
import { insertApiToken } from "../auth/api_tokens.ts";
import { startTestApp } from "../testing/test_app.ts";
import { signInOverHttp, startAuthTestApp } from "../auth/_auth_fixtures.ts";
import { genericOrderEvent } from "./order_events.ts";
import { insertCustomer, insertProduct, stockOf } from "../transactions/transactions_fixtures.ts";
import { insertIntegration } from "./integration_queries.ts";
import { shopifySignature, techmartSignature } from "./signatures.ts";

const shopifySecret = "shopify-test-secret-0123456789abcdef";
const genericSecret = "generic-test-secret-0123456789abcdef";
const encoder = new TextEncoder();

Deno.test("order feeds: signed webhooks create and update sales through the sale path", async (t) => {
  const ids = { phone: 0, cable: 0, shopify: 0, generic: 0 };
  let admin = "";
  const app = await startTestApp({
    prepare: async (services) => {
      const sql = services.db.sql;
      admin = (await insertApiToken(sql, { name: "ops", role: "admin", createdBy: 0 })).token;
      // A customer ahead of time: fraud scoring wants history, and the seed is off in tests
      await insertCustomer(sql, { name: "Someone Else" });
      ids.phone = await insertProduct(sql, { name: "Pixel", priceCents: 99900, stock: 10 });
      ids.cable = await insertProduct(sql, { name: "USB-C cable", priceCents: 1999, stock: 100 });
      await sql`update products set sku = 'PHN-PX9' where id = ${ids.phone}`;
      await sql`update products set sku = 'ACC-USBC' where id = ${ids.cable}`;
      await sql.begin(async (tx) => {
        ids.shopify = (await insertIntegration(tx, {
          kind: "shopify",
          name: "our-store",
          secret: shopifySecret,
          createdBy: null,
        })).id;
        ids.generic = (await insertIntegration(tx, {
          kind: "generic",
          name: "marketplace",
          secret: genericSecret,
          createdBy: null,
        })).id;
      });
    },
  });
  const sql = app.services.db.sql;
  const shopify = async (topic: string, payload: unknown, secret = shopifySecret) => {
    const body = JSON.stringify(payload);
    return await app.fetch("/api/v1/integrations/shopify/orders", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-shopify-topic": topic,
        "x-shopify-hmac-sha256": await shopifySignature(secret, encoder.encode(body)),
      },
      body,
    });
  };
  const generic = async (payload: unknown) => {
    const body = JSON.stringify(payload);
    return await app.fetch("/api/v1/integrations/orders", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-techmart-signature": await techmartSignature(genericSecret, encoder.encode(body)),
      },
      body,
    });
  };
  const order = {
    id: 5501234567890,
    name: "#1001",
    email: "Ada@Example.com",
    created_at: "2026-12-05T10:00:00+00:00",
    updated_at: "2026-12-05T10:00:05+00:00",
    financial_status: "paid",
    cancelled_at: null,
    payment_gateway_names: ["shopify_payments"],
    source_name: "web",
    customer: { email: "ada@example.com", first_name: "Ada", last_name: "Lovelace" },
    billing_address: { country_code: "GB" },
    line_items: [{ sku: "PHN-PX9", title: "Pixel", quantity: 1 }, {
      sku: "ACC-USBC",
      title: "Cable",
      quantity: 2,
    }],
  };
  const salesOf = (externalId: string) =>
    sql<{ id: number; status: string; code: string }[]>`
      select t.id, t.status, c.code from integration_orders o join transactions t on t.id = o.transaction_id
      join customers c on c.id = t.customer_id where o.external_id = ${externalId}`;

  try {
    await t.step("a bad signature is refused and creates nothing", async () => {
      const response = await shopify("orders/create", order, "not-the-secret-at-all-0123456789");
      assert.equal(response.status, 401);
      assert.match((await response.json()).error.message, /does not match any enabled shopify integration/);
      const unsigned = await app.fetch("/api/v1/integrations/orders", { method: "POST", body: "{}" });
      assert.equal(unsigned.status, 401);
      await unsigned.body?.cancel();
      assert.equal((await sql`select count(*)::int as n from transactions`)[0].n, 0);
    });

    await t.step(
      "a signed order becomes a sale: catalog prices, stock taken, customer by e-mail",
      async () => {
        const response = await shopify("orders/create", order);
        assert.equal(response.status, 201);
        const answer = await response.json();
        assert.equal(answer.outcome, "created");
        const [sale] = await salesOf(String(order.id));
        assert.deepEqual([sale.status, sale.code], ["completed", "ada@example.com"]);
        assert.equal(await stockOf(sql, ids.phone), 9);
        assert.equal(await stockOf(sql, ids.cable), 98);
        const [{ total }] =
          await sql`select total_cents::int as total from transactions where id = ${sale.id}`;
        assert.equal(total, 99900 + 2 * 1999);
      },
    );

    await t.step(
      "the same delivery again changes nothing (idempotent by the platform's order id)",
      async () => {
        const response = await shopify("orders/create", order);
        assert.equal(response.status, 200);
        assert.equal((await response.json()).outcome, "unchanged");
        assert.equal((await salesOf(String(order.id))).length, 1);
        assert.equal((await sql`select count(*)::int as n from transactions`)[0].n, 1);
        assert.equal(await stockOf(sql, ids.phone), 9);
      },
    );

    await t.step("a refund after the sale refunds it and puts the stock back, once", async () => {
      const refund = { id: 509562969, order_id: order.id, created_at: "2026-12-05T12:00:00+00:00" };
      const response = await shopify("refunds/create", refund);
      assert.equal(response.status, 200);
      assert.equal((await response.json()).outcome, "updated");
      assert.equal((await salesOf(String(order.id)))[0].status, "refunded");
      assert.equal(await stockOf(sql, ids.phone), 10);
      const again = await shopify("refunds/create", refund);
      assert.equal((await again.json()).outcome, "unchanged");
      assert.equal(await stockOf(sql, ids.phone), 10);
    });

    await t.step("a refund for an order not received yet asks for a retry (409)", async () => {
      const response = await shopify("refunds/create", {
        order_id: 42,
        created_at: "2026-12-05T12:00:00+00:00",
      });
      assert.equal(response.status, 409);
      await response.body?.cancel();
    });

    await t.step(
      "an update that arrives before the create: the newer state wins, the late create is stale",
      async () => {
        const event = {
          orderId: "MKT-77",
          createdAt: "2026-12-05T09:00:00Z",
          customer: { email: "grace@example.com", name: "Grace Hopper", country: "US" },
          items: [{ sku: "ACC-USBC", quantity: 3 }],
          paymentMethod: "paypal",
          channel: "marketplace",
        };
        const updated = await generic({
          ...event,
          event: "order.updated",
          updatedAt: "2026-12-05T09:30:00Z",
          status: "cancelled",
        });
        assert.equal(updated.status, 201);
        assert.equal((await updated.json()).outcome, "created");
        assert.equal((await salesOf("MKT-77"))[0].status, "cancelled");
        const stockAfterCancel = await stockOf(sql, ids.cable);
        const late = await generic({ ...event, event: "order.created", updatedAt: "2026-12-05T09:00:00Z" });
        assert.equal(late.status, 200);
        assert.equal((await late.json()).outcome, "stale");
        assert.equal((await salesOf("MKT-77"))[0].status, "cancelled");
        assert.equal(await stockOf(sql, ids.cable), stockAfterCancel);
      },
    );

    await t.step("bad payloads are refused with the field named, and logged", async () => {
      const unknownSku = await generic({
        event: "order.created",
        orderId: "MKT-78",
        createdAt: "2026-12-05T09:00:00Z",
        updatedAt: "2026-12-05T09:00:00Z",
        items: [{ sku: "NOPE-1", quantity: 1 }],
      });
      assert.equal(unknownSku.status, 422);
      assert.match((await unknownSku.json()).error.message, /No product with SKU "NOPE-1"/);
      const badQuantity = await generic({
        event: "order.created",
        orderId: "MKT-79",
        createdAt: "2026-12-05T09:00:00Z",
        updatedAt: "2026-12-05T09:00:00Z",
        items: [{ sku: "ACC-USBC", quantity: -1 }],
      });
      assert.equal(badQuantity.status, 422);
      assert.match((await badQuantity.json()).error.message, /^items\.0\.quantity: /);
    });

    await t.step("admins read the delivery log; others cannot", async () => {
      const response = await app.fetch(`/api/v1/integrations/deliveries?integrationId=${ids.generic}`, {
        headers: { authorization: `Bearer ${admin}` },
      });
      assert.equal(response.status, 200);
      const log = await response.json();
      assert.deepEqual(
        log.map((d: { outcome: string; externalId: string }) => [d.outcome, d.externalId]),
        [["rejected", null], ["rejected", "MKT-78"], ["stale", "MKT-77"], ["created", "MKT-77"]],
      );
      const [{ unsigned }] = await sql`
        select count(*)::int as unsigned from integration_deliveries where outcome = 'unsigned'`;
      assert.equal(unsigned, 2);
      const anonymous = await app.fetch("/api/v1/integrations/deliveries");
      assert.equal(anonymous.status, 401);
      await anonymous.body?.cancel();
    });
  } finally {
    await app.stop();
  }
});

Deno.test("Admin › Integrations says on the page how to connect a shop, with every field of a signed order, and names no file", async () => {
  const app = await startAuthTestApp();
  try {
    const admin = await signInOverHttp(app, "admin");
    const html = await (await app.fetch("/admin/integrations", { headers: { cookie: admin.cookie } })).text();
    assert.ok(!/docs\/|\.md\b/.test(html), "no repository path (it said See docs/import.md)");
    const howTo = html.slice(html.indexOf('data-testid="integration-how-to"'));
    assert.match(howTo, /How to connect a shop/);
    assert.match(howTo, /X-TechMart-Signature: sha256=/);
    assert.match(howTo, /X-Shopify-Hmac-Sha256/);
    // the page names every field our feed reads, so what it says and what is accepted stay one
    for (const field of Object.keys(genericOrderEvent.shape)) {
      assert.ok(howTo.includes(`<code>${field}</code>`), `the page names ${field}`);
    }
  } finally {
    await app.stop();
  }
});
