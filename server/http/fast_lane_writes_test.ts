import assert from "node:assert/strict";
import { insertApiToken } from "../auth/api_tokens.ts";
import { startTestApp } from "../testing/test_app.ts";
import { insertCustomers, insertProduct, stockOf } from "../transactions/transactions_fixtures.ts";

// Rate limits off: only then do sales from API tokens take the fast lane (fast_lane_writes.ts). A body
// the strict parser refuses (a number sent as a string, which trpc-to-openapi coerces) goes down the
// chain: the pair below compares the two answers of one request.
Deno.test("POST /api/v1/transactions in the fast lane answers as the chain does", async (t) => {
  let manager = "", viewer = "";
  let customers: number[] = [];
  let productId = 0, scarceId = 0;
  const app = await startTestApp({
    env: { RATE_LIMIT_PER_MINUTE: "0" },
    prepare: async (services) => {
      const sql = services.db.sql;
      manager = (await insertApiToken(sql, { name: "fast-till", role: "manager", createdBy: 0 })).token;
      viewer = (await insertApiToken(sql, { name: "fast-wall", role: "viewer", createdBy: 0 })).token;
      customers = await insertCustomers(sql, 40);
      productId = await insertProduct(sql, { name: "Earbuds", priceCents: 4999, stock: 100 });
      scarceId = await insertProduct(sql, { name: "Launch phone", priceCents: 89900, stock: 10 });
    },
  });
  const sql = app.services.db.sql;
  const sell = (body: unknown, headers: Record<string, string> = {}, token = manager) =>
    app.fetch("/api/v1/transactions", {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    });
  const names = (response: Response) =>
    [...response.headers.keys()].filter((name) => name !== "date" && name !== "content-length").sort();
  try {
    await t.step(
      "the same sale through the lane and through the chain: same status, headers, fields",
      async () => {
        const fast = await sell(
          { customerId: customers[0], items: [{ productId, quantity: 1 }], paymentMethod: "card" },
          { "x-request-id": "fast-lane-sale-1" },
        );
        const chain = await sell({
          customerId: String(customers[1]),
          items: [{ productId, quantity: 1 }],
          paymentMethod: "card",
        });
        assert.equal(fast.status, 201);
        assert.equal(chain.status, 201);
        assert.deepEqual(names(fast), names(chain));
        assert.equal(fast.headers.get("x-request-id"), "fast-lane-sale-1");
        const [a, b] = [await fast.json(), await chain.json()];
        assert.deepEqual(Object.keys(a).sort(), Object.keys(b).sort());
        assert.equal(typeof a.fraudScore, "number");
        assert.match(a.orderRef, /^TM-/);
        assert.equal(a.replayed, false);
        // the audit entry names the request and the address, as the chain's context gives them
        const [entry] = await sql<[{ request_id: string; ip: string | null }]>`
        select request_id, ip from audit_log
        where entity_type = 'transaction' and entity_id = ${String(a.id)}`;
        assert.equal(entry.request_id, "fast-lane-sale-1");
        assert.ok(entry.ip, "the client's address is recorded");
      },
    );

    await t.step("refusals keep the documented shape: 401, 403, 404, 409, 400", async () => {
      const order = { customerId: customers[2], items: [{ productId, quantity: 1 }], paymentMethod: "card" };
      const unknown = await sell(order, {}, "tm_not-a-real-token-at-all");
      assert.equal(unknown.status, 401);
      assert.equal((await unknown.json()).error.code, "UNAUTHORIZED");
      const low = await sell(order, {}, viewer);
      assert.equal(low.status, 403);
      assert.equal((await low.json()).error.code, "FORBIDDEN");
      const missing = await sell({ ...order, items: [{ productId: 987654321, quantity: 1 }] });
      assert.equal(missing.status, 404);
      assert.deepEqual(Object.keys((await missing.json()).error).sort(), ["code", "message", "requestId"]);
      const tooMany = await sell({ ...order, items: [{ productId: scarceId, quantity: 11 }] });
      assert.equal(tooMany.status, 409);
      assert.match((await tooMany.json()).error.message, /Insufficient stock for Launch phone: 10 left/);
      const bad = await sell({ ...order, paymentMethod: "bitcoin" });
      assert.equal(bad.status, 400);
      assert.equal((await bad.json()).error.issues[0].path, "paymentMethod");
      const notJson = await app.fetch("/api/v1/transactions", {
        method: "POST",
        headers: { authorization: `Bearer ${manager}`, "content-type": "application/json" },
        body: '{"customerId": ',
      });
      assert.equal(notJson.status, 400);
      assert.equal((await notJson.json()).error.message, "The request body is not valid JSON");
    });

    await t.step("an Idempotency-Key retry answers the first sale once, 200 and replayed", async () => {
      const order = { customerId: customers[3], items: [{ productId, quantity: 2 }], paymentMethod: "card" };
      const first = await sell(order, { "idempotency-key": "fast-lane-key-1" });
      const again = await sell(order, { "idempotency-key": "fast-lane-key-1" });
      assert.equal(first.status, 201);
      assert.equal(again.status, 200);
      const [a, b] = [await first.json(), await again.json()];
      assert.equal(b.id, a.id);
      assert.equal(b.replayed, true);
      const other = await sell({ ...order, items: [{ productId, quantity: 3 }] }, {
        "idempotency-key": "fast-lane-key-1",
      });
      assert.equal(other.status, 409);
      await other.body?.cancel();
    });

    await t.step("30 buyers at once for 10 in stock: exactly 10 sold, the rest 409", async () => {
      const responses = await Promise.all(
        customers.slice(10, 40).map((customerId) =>
          sell({ customerId, items: [{ productId: scarceId, quantity: 1 }], paymentMethod: "card" })
        ),
      );
      const statuses = responses.map((response) => response.status);
      await Promise.all(responses.map((response) => response.body?.cancel()));
      assert.equal(statuses.filter((status) => status === 201).length, 10);
      assert.equal(statuses.filter((status) => status === 409).length, 20);
      assert.equal(await stockOf(sql, scarceId), 0);
    });
  } finally {
    await app.stop();
  }
});
