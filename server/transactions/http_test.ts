import assert from "node:assert/strict";
import { insertApiToken } from "../auth/api_tokens.ts";
import { startTestApp } from "../testing/test_app.ts";
import { insertCustomer, insertCustomers, insertProduct, stockOf } from "./transactions_fixtures.ts";

interface Fixtures {
  manager: string;
  viewer: string;
  customerId: number;
  customers: number[];
  productId: number;
  scarceId: number;
}

Deno.test("the transactions REST API under /api/v1", async (t) => {
  const fixtures = {} as Fixtures;
  const app = await startTestApp({
    // 200 requests of one token in a burst is the point of the race below, not abuse
    env: { RATE_LIMIT_PER_MINUTE: "100000" },
    prepare: async (services) => {
      const sql = services.db.sql;
      fixtures.manager = (await insertApiToken(sql, { name: "till", role: "manager", createdBy: 0 })).token;
      fixtures.viewer = (await insertApiToken(sql, { name: "wall", role: "viewer", createdBy: 0 })).token;
      fixtures.customerId = await insertCustomer(sql, { name: "Rest Customer" });
      fixtures.customers = await insertCustomers(sql, 200);
      fixtures.productId = await insertProduct(sql, { name: "Headphones", priceCents: 5999, stock: 100 });
      fixtures.scarceId = await insertProduct(sql, { name: "Limited drop", priceCents: 999, stock: 50 });
    },
  });
  const sql = app.services.db.sql;
  const as = (token: string, extra: Record<string, string> = {}) => ({
    authorization: `Bearer ${token}`,
    "content-type": "application/json",
    ...extra,
  });
  const post = (path: string, body: unknown, extra: Record<string, string> = {}) =>
    app.fetch(path, { method: "POST", headers: as(fixtures.manager, extra), body: JSON.stringify(body) });

  try {
    let createdId = 0;
    await t.step(
      "POST /transactions answers 201 with the transaction in the reference's body form",
      async () => {
        const response = await post("/api/v1/transactions", {
          customerId: fixtures.customerId,
          productId: fixtures.productId,
          quantity: 2,
          paymentMethod: "card",
        });
        assert.equal(response.status, 201, await response.clone().text());
        const body = await response.json();
        createdId = body.id;
        assert.equal(body.status, "completed");
        assert.equal(body.totalCents, 11_998);
        assert.equal(typeof body.fraudScore, "number");
        assert.ok(Array.isArray(body.fraudReasons));
        assert.deepEqual(body.items.map((i: { productName: string }) => i.productName), ["Headphones"]);
      },
    );

    await t.step(
      "POST /transactions refuses a payment method outside the list with 400 and sells nothing",
      async () => {
        const [before] = await sql`select count(*)::int as n from transactions`;
        const response = await post("/api/v1/transactions", {
          customerId: fixtures.customerId,
          productId: fixtures.productId,
          quantity: 1,
          paymentMethod: "bitcoin",
        });
        assert.equal(response.status, 400);
        const body = await response.json();
        assert.match(body.error.message, /paymentMethod: Choose a payment method: card, paypal, apple_pay/);
        const [after] = await sql`select count(*)::int as n from transactions`;
        assert.equal(after.n, before.n);
      },
    );

    await t.step("GET /transactions/{id}, /transactions and /transactions/suspicious answer", async () => {
      const one = await app.fetch(`/api/v1/transactions/${createdId}`, { headers: as(fixtures.viewer) });
      assert.equal(one.status, 200);
      assert.equal((await one.json()).customer.name, "Rest Customer");
      const missing = await app.fetch("/api/v1/transactions/99999999", { headers: as(fixtures.viewer) });
      assert.equal(missing.status, 404);
      assert.equal((await missing.json()).error.message, "No transaction with id 99999999");
      const list = await app.fetch(
        `/api/v1/transactions?customerId=${fixtures.customerId}&suspicious=false&limit=10&sort=amount`,
        { headers: as(fixtures.viewer) },
      );
      assert.equal(list.status, 200);
      const page = await list.json();
      assert.deepEqual(page.items.map((i: { id: number }) => i.id), [createdId]);
      assert.equal(page.nextCursor, null);
      const suspicious = await app.fetch("/api/v1/transactions/suspicious", { headers: as(fixtures.viewer) });
      assert.equal(suspicious.status, 200);
      assert.deepEqual((await suspicious.json()).items, []);
    });

    await t.step("bad input is a 400 naming each field", async () => {
      const response = await post("/api/v1/transactions", {
        customerId: fixtures.customerId,
        items: [{ productId: fixtures.productId, quantity: -1 }],
        paymentMethod: "card",
      });
      assert.equal(response.status, 400);
      const { error } = await response.json();
      assert.deepEqual(error.issues.map((i: { path: string }) => i.path), ["items.0.quantity"]);
      const badQuery = await app.fetch("/api/v1/transactions?limit=1000", { headers: as(fixtures.viewer) });
      assert.equal(badQuery.status, 400);
      const viewerPost = await app.fetch("/api/v1/transactions", {
        method: "POST",
        headers: as(fixtures.viewer),
        body: JSON.stringify({
          customerId: fixtures.customerId,
          productId: fixtures.productId,
          paymentMethod: "card",
        }),
      });
      assert.equal(viewerPost.status, 403);
    });

    await t.step(
      "the Idempotency-Key header makes a retry return the first result; another body is 409",
      async () => {
        const body = {
          customerId: fixtures.customerId,
          items: [{ productId: fixtures.productId, quantity: 1 }],
          paymentMethod: "card",
        };
        const key = { "Idempotency-Key": "http-retry-0001" };
        const before = await stockOf(sql, fixtures.productId);
        const first = await post("/api/v1/transactions", body, key);
        assert.equal(first.status, 201);
        const retry = await post("/api/v1/transactions", body, key);
        assert.equal(retry.status, 200);
        const [a, b] = [await first.json(), await retry.json()];
        assert.equal(b.id, a.id);
        assert.equal(b.replayed, true);
        assert.equal(await stockOf(sql, fixtures.productId), before - 1);
        const other = await post("/api/v1/transactions", { ...body, paymentMethod: "paypal" }, key);
        assert.equal(other.status, 409);
        const badKey = await post("/api/v1/transactions", body, { "Idempotency-Key": "short" });
        assert.equal(badKey.status, 400);
      },
    );

    await t.step("refund twice: 200 then 409; label as analyst-or-above", async () => {
      const refund = await post(`/api/v1/transactions/${createdId}/refund`, { reason: "Return" });
      assert.equal(refund.status, 200, await refund.clone().text());
      assert.equal((await refund.json()).status, "refunded");
      const again = await post(`/api/v1/transactions/${createdId}/refund`, {});
      assert.equal(again.status, 409);
      const cancel = await post(`/api/v1/transactions/${createdId}/cancel`, {});
      assert.equal(cancel.status, 409);
      const label = await post(`/api/v1/transactions/${createdId}/label`, { label: "legit" });
      assert.equal(label.status, 200);
      assert.equal((await label.json()).fraudLabel, "legit");
    });

    await t.step(
      "POST /transactions/{id}/refunds refunds some units of a line; bad input is a 400",
      async () => {
        const sale = await post("/api/v1/transactions", {
          customerId: fixtures.customerId,
          productId: fixtures.productId,
          quantity: 3,
          paymentMethod: "card",
        });
        const { id } = await sale.json();
        const before = await stockOf(sql, fixtures.productId);
        const refund = await post(`/api/v1/transactions/${id}/refunds`, {
          lines: [{ productId: fixtures.productId, quantity: 1, restock: true }],
          reason: "Wrong colour",
        });
        assert.equal(refund.status, 200, await refund.clone().text());
        const body = await refund.json();
        assert.equal(body.status, "completed");
        assert.equal(body.refunds[0].reason, "Wrong colour");
        assert.equal(body.refunds[0].lines[0].amountCents, 5999);
        const bad = await post(`/api/v1/transactions/${id}/refunds`, {
          lines: [{ productId: fixtures.productId, quantity: 0, restock: true }],
        });
        assert.equal(bad.status, 400);
        await bad.body?.cancel();
        const over = await post(`/api/v1/transactions/${id}/refunds`, {
          lines: [{ productId: fixtures.productId, quantity: 3, restock: true }],
        });
        assert.equal(over.status, 409);
        assert.equal(
          (await over.json()).error.message,
          `Only 2 of 3 units of product ${fixtures.productId} are left to refund`,
        );
        assert.equal(await stockOf(sql, fixtures.productId), before + 1);
      },
    );

    await t.step(
      "200 concurrent POSTs for 50 in stock: exactly 50 are 201, the rest 409, stock ends at 0",
      async () => {
        const responses = await Promise.all(
          fixtures.customers.map((customerId) =>
            post("/api/v1/transactions", {
              customerId,
              productId: fixtures.scarceId,
              quantity: 1,
              paymentMethod: "card",
            })
          ),
        );
        const statuses = responses.map((r) => r.status);
        const bodies = await Promise.all(responses.map((r) => r.json()));
        assert.equal(
          statuses.filter((s) => s === 201).length,
          50,
          JSON.stringify(bodies.find((b) => b.error)),
        );
        assert.equal(statuses.filter((s) => s === 409).length, 150);
        for (const body of bodies.filter((b) => b.error)) {
          assert.equal(body.error.message, "Insufficient stock for Limited drop: 0 left");
        }
        assert.equal(await stockOf(sql, fixtures.scarceId), 0);
      },
    );
  } finally {
    await app.stop();
  }
});
