import assert from "node:assert/strict";
import { insertApiToken } from "../auth/api_tokens.ts";
import { startTestApp } from "../testing/test_app.ts";
import { signInOverHttp, startAuthTestApp } from "../auth/_auth_fixtures.ts";
import { insertCustomer, insertProduct } from "./transactions_fixtures.ts";
import { loadEntityStats, shopAmountQuantiles } from "../fraud/model/entity_queries.ts";
import { quantiles } from "../fraud/model/memory.ts";
import { SHOP_AMOUNT_MIN, SHOP_SLOT_MS } from "../fraud/model/features.ts";

Deno.test("POST /api/v1/transactions stores the optional identity fields and rejects bad ones", async (t) => {
  const f = { token: "", customerId: 0, productId: 0 };
  const app = await startTestApp({
    prepare: async (services) => {
      const sql = services.db.sql;
      f.token = (await insertApiToken(sql, { name: "till", role: "manager", createdBy: 0 })).token;
      f.customerId = await insertCustomer(sql, { name: "Identity Customer" });
      f.productId = await insertProduct(sql, { name: "Cable", priceCents: 999, stock: 100 });
    },
  });
  const post = (body: Record<string, unknown>) =>
    app.fetch("/api/v1/transactions", {
      method: "POST",
      headers: { authorization: `Bearer ${f.token}`, "content-type": "application/json" },
      body: JSON.stringify({
        customerId: f.customerId,
        productId: f.productId,
        paymentMethod: "card",
        ...body,
      }),
    });
  try {
    await t.step("valid fields are normalised, stored and answered; the score stays 0-100", async () => {
      const response = await post({
        deviceId: "dev-42",
        ipAddress: "2001:DB8::1",
        email: "Ann@Example.com",
        cardBin: "41111111",
        cardLast4: "1234",
        billingCountry: "gb",
        shippingCountry: "DE",
        userAgent: "Mozilla/5.0",
      });
      assert.equal(response.status, 201, await response.clone().text());
      const body = await response.json();
      assert.deepEqual(
        [body.deviceId, body.ipAddress, body.email, body.cardBin, body.cardLast4],
        ["dev-42", "2001:db8::1", "ann@example.com", "41111111", "1234"],
      );
      assert.deepEqual([body.billingCountry, body.shippingCountry, body.userAgent], [
        "GB",
        "DE",
        "Mozilla/5.0",
      ]);
      assert.ok(body.fraudScore >= 0 && body.fraudScore <= 100);
      assert.ok(Array.isArray(body.fraudReasons));
      const [row] = await app.services.db.sql`select device_id, ip_address, billing_country
        from transactions where id = ${body.id}`;
      assert.deepEqual({ ...row }, { device_id: "dev-42", ip_address: "2001:db8::1", billing_country: "GB" });
    });

    await t.step("without them the sale is made and they answer null", async () => {
      const response = await post({});
      assert.equal(response.status, 201);
      const body = await response.json();
      assert.equal(body.deviceId, null);
      assert.equal(body.shippingCountry, null);
    });

    await t.step("each bad field is a 400 naming it, and nothing is written", async () => {
      const [{ count: before }] = await app.services.db.sql`select count(*)::int as count from transactions`;
      const cases: [Record<string, unknown>, string][] = [
        [{ ipAddress: "300.1.1.1" }, "ipAddress"],
        [{ ipAddress: "not-an-ip" }, "ipAddress"],
        [{ billingCountry: "XX" }, "billingCountry"],
        [{ shippingCountry: "GBR" }, "shippingCountry"],
        [{ cardBin: "4111" }, "cardBin"],
        [{ cardBin: "41111a" }, "cardBin"],
        [{ cardLast4: "12345" }, "cardLast4"],
        [{ email: "not-an-email" }, "email"],
      ];
      for (const [body, field] of cases) {
        const response = await post(body);
        const text = await response.text();
        assert.equal(response.status, 400, `${JSON.stringify(body)}: ${text}`);
        assert.ok(text.includes(field), `${field} not named in ${text}`);
      }
      const [{ count: after }] = await app.services.db.sql`select count(*)::int as count from transactions`;
      assert.equal(after, before);
    });

    await t.step(
      "the sale request reads entity links and whether the email domain was seen before",
      async () => {
        const sql = app.services.db.sql;
        const other = await insertCustomer(sql, { name: "Other Customer" });
        const identity = { email: "bo@fresh-domain.test", deviceId: "dev-shared" };
        const before = await loadEntityStats(sql, other, identity, new Date(Date.now() + 60_000));
        assert.equal(before.emailDomainSeen, false);
        assert.equal(before.device?.accounts, 0);
        assert.equal((await post({ email: "ann@Fresh-Domain.test", deviceId: "dev-shared" })).status, 201);
        const after = await loadEntityStats(sql, other, identity, new Date(Date.now() + 60_000));
        assert.equal(after.emailDomainSeen, true);
        assert.equal(after.device?.accounts, 1);
        // Forty days on, the device links no account (30-day window) but its last order is still known, as
        // the replay's memory that trained the model knows it (seconds_since_device_or_ip_seen).
        const later = await loadEntityStats(sql, other, identity, new Date(Date.now() + 40 * 86_400_000));
        assert.equal(later.device?.accounts, 0);
        assert.ok(later.device?.lastSeenMs, "the device's last order is known after the link window");
        assert.ok(Math.abs(later.device!.lastSeenMs! - after.device!.lastSeenMs!) < 1000);
        // Only sales before the moment scored count: nothing from its future leaks in.
        const past = await loadEntityStats(sql, other, identity, new Date(Date.now() - 3_600_000));
        assert.equal(past.emailDomainSeen, false);
        assert.equal(past.device?.accounts, 0);
        assert.equal(
          (await loadEntityStats(sql, other, { deviceId: "x" }, new Date())).emailDomainSeen,
          undefined,
        );
      },
    );

    await t.step(
      "the sale request reads the shop's amount quantiles as the replay computes them",
      async () => {
        const sql = app.services.db.sql;
        // A day ago, 60 completed sales of 1.00 to 60.00 and a declined one of 10,000.00 (not a sale).
        const start = Date.now() - 86_400_000;
        for (let i = 1; i <= SHOP_AMOUNT_MIN + 10; i++) {
          await sql`insert into transactions (order_ref, customer_id, payment_method, subtotal_cents, total_cents,
            item_count, created_at)
          values (${`Q-${i}`}, ${f.customerId}, 'card', ${i * 100}, ${i * 100}, 1, ${new Date(
            start + i * 1000,
          )})`;
        }
        await sql`insert into transactions (order_ref, customer_id, status, payment_method, subtotal_cents,
          total_cents, item_count, created_at)
        values ('Q-declined', ${f.customerId}, 'declined', 'card', 1000000, 1000000, 1, ${new Date(
          start + 100_000,
        )})`;
        // Before the 50th of them the shop's distribution is unknown.
        assert.equal(
          await shopAmountQuantiles(sql, new Date(start + (SHOP_AMOUNT_MIN - 1) * 1000 + 500)),
          undefined,
        );
        const now = new Date(start + 200_000 + SHOP_SLOT_MS);
        const rows = await sql<{ total_cents: string }[]>`select total_cents from transactions
        where status = 'completed' and created_at < ${now}`;
        const read = await shopAmountQuantiles(sql, now);
        const replayed = quantiles(rows.map((r) => Number(r.total_cents)));
        assert.equal(read?.length, 101);
        read!.forEach((q, i) =>
          assert.ok(Math.abs(q - replayed[i]) < 1e-6, `quantile ${i}: ${q} vs ${replayed[i]}`)
        );
        assert.ok(read![100] < 1000000, "the declined sale is not in the distribution");
      },
    );
  } finally {
    await app.stop();
  }
});

Deno.test("the drawer says a sale's browser in short (the User-Agent as sent on hover) and its countries by name", async () => {
  const app = await startAuthTestApp();
  try {
    const sql = app.services.db.sql;
    const customerId = await insertCustomer(sql, { name: "Browser Customer" });
    const productId = await insertProduct(sql, { name: "Cable", priceCents: 999, stock: 100 });
    const userAgent = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) " +
      "Chrome/131.0.0.0 Safari/537.36";
    const manager = await signInOverHttp(app, "manager");
    const created = await app.fetch("/api/v1/transactions", {
      method: "POST",
      headers: manager.headers(),
      body: JSON.stringify({
        customerId,
        productId,
        quantity: 1,
        paymentMethod: "card",
        userAgent,
        billingCountry: "IE",
        shippingCountry: "GB",
      }),
    });
    assert.equal(created.status, 201, await created.clone().text());
    const sale = await created.json();
    const html =
      await (await app.fetch(`/transactions?open=${sale.id}`, { headers: { cookie: manager.cookie } }))
        .text();
    const browser = html.match(
      /<dt>Browser<\/dt><dd data-testid="drawer-identity" title="([^"]*)">([^<]*)<\/dd>/,
    );
    assert.ok(browser, "the drawer lists the browser");
    assert.deepEqual([browser[2], browser[1]], ["Chrome 131 on Windows", userAgent]);
    // the countries were ISO codes: "billing IE · shipping GB"
    assert.match(html, /<dt>Countries<\/dt><dd[^>]*>billing Ireland · shipping United Kingdom<\/dd>/);
  } finally {
    await app.stop();
  }
});
