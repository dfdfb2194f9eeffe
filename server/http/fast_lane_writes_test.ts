import assert from "node:assert/strict";
import { insertApiToken } from "../auth/api_tokens.ts";
import { startTestApp } from "../testing/test_app.ts";
import { answerHotWrite, hotWriteRoutes } from "./fast_lane_writes.ts";
import { insertCustomers, insertProduct, stockOf } from "../transactions/transactions_fixtures.ts";

// Rate limits off: only then do sales from API tokens take the fast lane (fast_lane_writes.ts). A body
// sent as a stream declares no length and goes down the chain (trpc-to-openapi): the pairs below compare
// the two answers of one request.
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
  const sell = (body: unknown, headers: Record<string, string> = {}, token = manager, stream = false) =>
    app.fetch("/api/v1/transactions", {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...headers },
      body: stream ? new Blob([JSON.stringify(body)]).stream() : JSON.stringify(body),
    });
  const names = (response: Response) =>
    [...response.headers.keys()].filter((name) => name !== "date" && name !== "content-length").sort();
  try {
    await t.step(
      "the same sale through the lane and through the chain: same status, headers, fields",
      async () => {
        // a number sent as text or as a boolean is refused the same way in the lane and down the chain, the
        // lane's call first (before the chain has served the procedure) and the chain's after
        const wrong = {
          customerId: String(customers[5]),
          items: [{ productId, quantity: true }],
          paymentMethod: "card",
        };
        for (const stream of [false, true, false]) {
          const refused = await sell(wrong, {}, manager, stream);
          assert.equal(refused.status, 400, stream ? "the chain" : "the lane");
          const issues = (await refused.json()).error.issues.map((issue: { path: string }) => issue.path)
            .sort();
          assert.deepEqual(issues, ["customerId", "items.0.quantity"]);
        }
        const fast = await sell(
          { customerId: customers[0], items: [{ productId, quantity: 1 }], paymentMethod: "card" },
          { "x-request-id": "fast-lane-sale-1" },
        );
        const chain = await sell(
          {
            customerId: customers[1],
            items: [{ productId, quantity: 1 }],
            paymentMethod: "card",
          },
          {},
          manager,
          true,
        );
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

    await t.step(
      "bad input: the lane answers itself, status and body byte for byte trpc-to-openapi's",
      async () => {
        const sale = { customerId: customers[4], items: [{ productId, quantity: 1 }], paymentMethod: "card" };
        const huge = JSON.stringify({
          ...sale,
          items: Array.from({ length: 2_000 }, () => ({ productId, quantity: 1 })),
        });
        const bad: [string, string, string?][] = [
          ["malformed JSON", '{"customerId": '],
          ["malformed JSON from an unknown token", '{"customerId": ', "tm_not-a-real-token-at-all"],
          ["an empty body", ""],
          ["trailing garbage", JSON.stringify(sale) + "x"],
          ["null", "null"],
          ["an array", JSON.stringify([sale])],
          ["a string", '"card"'],
          ["a number", "42"],
          ["an empty object", "{}"],
          ["a payment method that does not exist", JSON.stringify({ ...sale, paymentMethod: "bitcoin" })],
          ["a customer id as a word", JSON.stringify({ ...sale, customerId: "seven" })],
          ["a customer id as null", JSON.stringify({ ...sale, customerId: null })],
          ["a fractional quantity", JSON.stringify({ ...sale, items: [{ productId, quantity: 1.5 }] })],
          [
            "a quantity as an object",
            JSON.stringify({ ...sale, items: [{ productId, quantity: { n: 1 } }] }),
          ],
          ["items as a string", JSON.stringify({ ...sale, items: "all of them" })],
          ["no items", JSON.stringify({ ...sale, items: [] })],
          ["missing fields", JSON.stringify({ paymentMethod: "card" })],
          ["both forms", JSON.stringify({ ...sale, productId, quantity: 2 })],
          ["2,000 lines (under the body limit)", huge],
          [
            "SQL in the payment method",
            JSON.stringify({ ...sale, paymentMethod: "card'; drop table products; --" }),
          ],
          ["SQL in the customer id", JSON.stringify({ ...sale, customerId: "1 or 1=1" })],
          ["a short idempotency key", JSON.stringify({ ...sale, idempotencyKey: "x" })],
          ["a prototype key", '{"__proto__": {"customerId": 1}, "paymentMethod": "card"}'],
          ["an unknown customer", JSON.stringify({ ...sale, customerId: 987654321 })],
          ["an unknown product", JSON.stringify({ ...sale, items: [{ productId: 987654321, quantity: 1 }] })],
          ["an id past the largest safe integer", JSON.stringify({ ...sale, customerId: 2 ** 60 })],
          ["bad input from a viewer", JSON.stringify({ ...sale, paymentMethod: "bitcoin" }), viewer],
          [
            "bad input from an unknown token",
            JSON.stringify({ ...sale, paymentMethod: "bitcoin" }),
            "tm_nope-nope",
          ],
        ];
        const post = (body: BodyInit, token: string, requestId: string) =>
          app.fetch("/api/v1/transactions", {
            method: "POST",
            headers: {
              authorization: `Bearer ${token}`,
              "content-type": "application/json",
              "x-request-id": requestId,
            },
            body,
          });
        // a streamed body declares no length: the lane hands it to the chain, i.e. trpc-to-openapi
        const streamed = (text: string) => new Blob([text]).stream();
        const route = hotWriteRoutes().get("/transactions")!;
        for (const [name, text, token = manager] of bad) {
          const fast = await post(text, token, "bad-input");
          const chain = await post(streamed(text), token, "bad-input");
          assert.equal(fast.status, chain.status, name);
          assert.ok(fast.status >= 400 && fast.status < 500, `${name}: ${fast.status}`);
          assert.equal(await fast.text(), await chain.text(), name);
          assert.deepEqual(names(fast), names(chain), name);
          // and the lane answered it itself: nothing was handed on
          const handed: string[] = [];
          const direct = await answerHotWrite(
            app.services,
            new Request(`${app.url}/api/v1/transactions`, {
              method: "POST",
              headers: {
                authorization: `Bearer ${token}`,
                "content-type": "application/json",
                "content-length": String(new TextEncoder().encode(text).length),
              },
              body: text,
            }),
            route,
            [],
            "127.0.0.1",
            (request) => {
              handed.push(request.url);
              return new Response(null, { status: 599 });
            },
          );
          await direct.body?.cancel();
          assert.deepEqual(handed, [], `${name}: handed to the chain`);
          assert.equal(direct.status, fast.status, name);
        }
      },
    );

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
