import assert from "node:assert/strict";
import { insertApiToken } from "../auth/api_tokens.ts";
import { publishAccessRevoked } from "../auth/access_revoked.ts";
import { insertCatalogFixtures } from "../products/catalog_fixtures.ts";
import { startTestApp } from "../testing/test_app.ts";
import { matchesEtag } from "./direct_read_answer.ts";
import { createApp } from "../app/app.tsx";
import { site } from "../../fresh.config.ts";

Deno.test("matchesEtag() reads If-None-Match lists, weak forms and the wildcard", () => {
  const etag = '"abc"';
  assert.equal(matchesEtag(undefined, etag), false);
  assert.equal(matchesEtag('"abc"', etag), true);
  assert.equal(matchesEtag('"x", W/"abc"', etag), true);
  assert.equal(matchesEtag("*", etag), true);
  assert.equal(matchesEtag('"abd"', etag), false);
});

// The hot GETs are served without trpc-to-openapi: they must answer exactly like the general path
Deno.test("cached REST reads: bytes with an ETag, 304 on If-None-Match, a new ETag after a sale", async (t) => {
  let viewer = "", manager = "";
  let productId = 0, customerId = 0;
  const app = await startTestApp({
    env: { RATE_LIMIT_PER_MINUTE: "0" },
    prepare: async (services) => {
      const fixtures = await insertCatalogFixtures(services.db.sql);
      productId = fixtures.productIds[0];
      customerId = fixtures.customerIds[0];
      await services.db
        .sql`update products set stock_quantity = 100, is_active = true where id = ${productId}`;
      viewer = (await insertApiToken(services.db.sql, { name: "etag-viewer", role: "viewer", createdBy: 0 }))
        .token;
      manager = (await insertApiToken(services.db.sql, { name: "etag-mgr", role: "manager", createdBy: 0 }))
        .token;
    },
  });
  const auth = (token: string, extra: Record<string, string> = {}) => ({
    headers: { authorization: `Bearer ${token}`, ...extra },
  });
  try {
    let etag = "";
    let body = "";
    await t.step("a miss, then a hit with the same ETag and the same bytes", async () => {
      const first = await app.fetch("/api/v1/dashboard/overview", auth(viewer));
      assert.equal(first.status, 200);
      assert.equal(first.headers.get("x-cache"), "miss");
      etag = first.headers.get("etag") ?? "";
      assert.match(etag, /^"[0-9a-f]{24}"$/);
      assert.equal(first.headers.get("cache-control"), "private, no-cache");
      body = await first.text();
      const second = await app.fetch("/api/v1/dashboard/overview", auth(viewer));
      assert.equal(second.headers.get("x-cache"), "hit");
      assert.equal(second.headers.get("etag"), etag);
      assert.equal(await second.text(), body);
      assert.equal(JSON.parse(body).periodDays, 7);
    });

    await t.step("If-None-Match with the ETag answers 304 without a body", async () => {
      const response = await app.fetch("/api/v1/dashboard/overview", auth(viewer, { "if-none-match": etag }));
      assert.equal(response.status, 304);
      assert.equal(response.headers.get("etag"), etag);
      assert.equal(await response.text(), "");
      const other = await app.fetch("/api/v1/dashboard/overview", auth(viewer, { "if-none-match": '"x"' }));
      assert.equal(other.status, 200);
      await other.body?.cancel();
    });

    await t.step("the query goes to the procedure: bad input is a 400 naming the field", async () => {
      const ok = await app.fetch("/api/v1/dashboard/overview?periodDays=30", auth(viewer));
      assert.equal(ok.status, 200);
      assert.equal((await ok.json()).periodDays, 30);
      const bad = await app.fetch("/api/v1/dashboard/overview?periodDays=500", auth(viewer));
      assert.equal(bad.status, 400);
      const error = (await bad.json()).error;
      assert.equal(error.code, "BAD_REQUEST");
      assert.equal(error.issues[0].path, "periodDays");
    });

    await t.step("no credentials: 401 in the documented shape, the request id in its header", async () => {
      const response = await app.fetch("/api/v1/dashboard/overview", {
        headers: { "x-request-id": "etag-test-1" },
      });
      assert.equal(response.status, 401);
      assert.equal(response.headers.get("x-request-id"), "etag-test-1");
      assert.deepEqual(await response.json(), {
        error: { code: "UNAUTHORIZED", message: "Sign in to continue" },
      });
    });

    // Hits of a URL already answered, and the 401s, come from the fast lane (fast_lane.ts) ahead of
    // the middleware chain; a first request to a URL goes down the chain
    const headerNames = (response: Response) =>
      [...response.headers.keys()].filter((name) => name !== "date" && name !== "content-length").sort();

    await t.step("the fast lane answers with the chain's headers, and the same bytes", async () => {
      const chain = await app.fetch("/api/v1/dashboard/overview?periodDays=14", auth(viewer));
      assert.equal(chain.headers.get("x-cache"), "miss");
      const lane = await app.fetch("/api/v1/dashboard/overview?periodDays=14", auth(viewer));
      assert.equal(lane.headers.get("x-cache"), "hit");
      assert.deepEqual(headerNames(lane), headerNames(chain));
      assert.equal(lane.headers.get("etag"), chain.headers.get("etag"));
      assert.equal(await lane.text(), await chain.text());
      // a 401 of a route without a fast lane, against the lane's 401
      const general = await app.fetch("/api/v1/products");
      const fast = await app.fetch("/api/v1/dashboard/overview");
      assert.equal(general.status, 401);
      assert.equal(fast.status, 401);
      assert.deepEqual(headerNames(fast), headerNames(general));
      // the lane's 401 is one answer copied: the same bytes as the chain's, each with its own request id
      assert.equal(await fast.text(), await general.text());
      const again = await app.fetch("/api/v1/dashboard/overview");
      assert.equal(again.status, 401);
      assert.notEqual(again.headers.get("x-request-id"), fast.headers.get("x-request-id"));
      assert.equal(await again.text(), '{"error":{"code":"UNAUTHORIZED","message":"Sign in to continue"}}');
    });

    await t.step("a revoked token stops at the fast lane too", async () => {
      const doomed = await insertApiToken(app.services.db.sql, {
        name: "etag-doomed",
        role: "viewer",
        createdBy: 0,
      });
      const before = await app.fetch("/api/v1/dashboard/overview", auth(doomed.token));
      assert.equal(before.headers.get("x-cache"), "hit");
      await before.body?.cancel();
      await app.services.db.sql`update api_tokens set revoked_at = now() where id = ${doomed.id}`;
      await publishAccessRevoked(app.services, { tokenId: doomed.id, reason: "token_revoked" });
      // the event reaches the instance over the bus: within a second, not necessarily at once
      const deadline = Date.now() + 1_000;
      let status = 200;
      while (status !== 401 && Date.now() < deadline) {
        const after = await app.fetch("/api/v1/dashboard/overview", auth(doomed.token));
        status = after.status;
        await after.body?.cancel();
        if (status !== 401) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      assert.equal(status, 401);
    });

    await t.step("a sale retires the entry: the old ETag no longer matches", async () => {
      const sale = await app.fetch("/api/v1/transactions", {
        method: "POST",
        headers: { authorization: `Bearer ${manager}`, "content-type": "application/json" },
        body: JSON.stringify({ customerId, items: [{ productId, quantity: 1 }], paymentMethod: "card" }),
      });
      assert.equal(sale.status, 201);
      await sale.body?.cancel();
      // invalidation follows the commit on the bus; wait for the entry to change
      let status = 304;
      for (let i = 0; i < 50 && status === 304; i++) {
        const response = await app.fetch(
          "/api/v1/dashboard/overview",
          auth(viewer, { "if-none-match": etag }),
        );
        status = response.status;
        await response.body?.cancel();
        if (status === 304) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assert.equal(status, 200);
    });
  } finally {
    await app.stop();
  }
});

// The lane's point on a hit: no promise at all when this instance holds both the caller and the entry
Deno.test("a held hit is answered without a promise; a caller not yet held is looked up first", async () => {
  let token = "";
  const app = await startTestApp({
    env: { RATE_LIMIT_PER_MINUTE: "0" },
    prepare: async (services) => {
      token =
        (await insertApiToken(services.db.sql, { name: "sync-hit", role: "viewer", createdBy: 0 })).token;
    },
  });
  // the app as Deno.serve calls it (no pages are asked: no islands needed)
  const hono = createApp(app.services, { manifest: () => ({ sourceHash: "", files: {} }), site });
  const env = { remoteAddr: { hostname: "127.0.0.1" } };
  const ask = (bearer: string) =>
    hono.fetch(
      new Request(`${app.url}/api/v1/dashboard/overview`, { headers: { authorization: `Bearer ${bearer}` } }),
      env,
    );
  try {
    const miss = await ask(token);
    assert.equal(miss.headers.get("x-cache"), "miss");
    await miss.body?.cancel();
    const hit = ask(token);
    assert.ok(hit instanceof Response, "a held hit is a Response, not a promise");
    assert.equal(hit.headers.get("x-cache"), "hit");
    await hit.body?.cancel();
    // a token this instance has not looked up yet is looked up first
    const other =
      (await insertApiToken(app.services.db.sql, { name: "sync-hit-2", role: "viewer", createdBy: 0 }))
        .token;
    const unheld = ask(other);
    assert.ok(unheld instanceof Promise);
    assert.equal((await unheld).headers.get("x-cache"), "hit");
  } finally {
    await app.stop();
  }
});
