import assert from "node:assert/strict";
import { runInventoryPredictions } from "./predictions_job.ts";
import { runReorderSuggestions } from "./reorder_suggestions_job.ts";
import { insertApiToken } from "../auth/api_tokens.ts";
import { startTestApp } from "../testing/test_app.ts";
import { insertDailySales, insertOffer, insertProduct, insertSupplier } from "./inventory_fixtures.ts";

const DAY = 86_400_000;

Deno.test("the inventory REST API answers at the reference's paths", async (t) => {
  const fixtures = { manager: "", viewer: "", productId: 0 };
  const app = await startTestApp({
    prepare: async (services) => {
      const sql = services.db.sql;
      fixtures.manager = (await insertApiToken(sql, { name: "buyer", role: "manager", createdBy: 0 })).token;
      fixtures.viewer = (await insertApiToken(sql, { name: "wall", role: "viewer", createdBy: 0 })).token;
      const supplier = await insertSupplier(sql, { name: "FastCo" });
      fixtures.productId = await insertProduct(sql, { name: "Router", stock: 12 });
      await insertOffer(sql, {
        productId: fixtures.productId,
        supplierId: supplier,
        unitCostCents: 2500,
        leadTimeDays: 3,
      });
      const firstDay = new Date(Date.now() - 35 * DAY).toISOString().slice(0, 10);
      await insertDailySales(sql, fixtures.productId, firstDay, new Array(35).fill(4));
      await runInventoryPredictions(services);
      await runReorderSuggestions(services);
    },
  });
  const headers = (token: string) => ({
    authorization: `Bearer ${token}`,
    "content-type": "application/json",
  });
  try {
    await t.step("GET /inventory/predictions/{product_id} reads the path parameter", async () => {
      const response = await app.fetch(`/api/v1/inventory/predictions/${fixtures.productId}`, {
        headers: headers(fixtures.viewer),
      });
      assert.equal(response.status, 200, await response.clone().text());
      const body = await response.json();
      assert.equal(body.productId, fixtures.productId);
      assert.equal(body.forecast.point.length, 30);
      assert.equal(typeof body.forecast.generatedAt, "string");
      const missing = await app.fetch("/api/v1/inventory/predictions/999999", {
        headers: headers(fixtures.viewer),
      });
      assert.equal(missing.status, 404);
      await missing.body?.cancel();
      const bad = await app.fetch("/api/v1/inventory/predictions/abc", { headers: headers(fixtures.viewer) });
      assert.equal(bad.status, 400);
      await bad.body?.cancel();
    });

    await t.step("GET /inventory/low-stock answers from the cache the second time", async () => {
      const first = await app.fetch("/api/v1/inventory/low-stock", { headers: headers(fixtures.viewer) });
      assert.equal(first.status, 200);
      assert.equal(first.headers.get("x-cache"), "miss");
      const body = await first.json();
      assert.equal(body.items[0].productId, fixtures.productId);
      assert.equal(body.items[0].urgency, "critical");
      const second = await app.fetch("/api/v1/inventory/low-stock", { headers: headers(fixtures.viewer) });
      assert.equal(second.headers.get("x-cache"), "hit");
      await second.body?.cancel();
    });

    await t.step("POST /inventory/reorder-suggestions/{id}/approve creates a purchase order", async () => {
      const list = await app.fetch("/api/v1/inventory/reorder-suggestions", {
        headers: headers(fixtures.viewer),
      });
      const { items } = await list.json();
      assert.equal(items.length, 1);
      const path = `/api/v1/inventory/reorder-suggestions/${items[0].id}/approve`;
      const forbidden = await app.fetch(path, {
        method: "POST",
        headers: headers(fixtures.viewer),
        body: "{}",
      });
      assert.equal(forbidden.status, 403);
      await forbidden.body?.cancel();
      const approved = await app.fetch(path, {
        method: "POST",
        headers: headers(fixtures.manager),
        body: "{}",
      });
      assert.equal(approved.status, 201, await approved.clone().text());
      const { purchaseOrder } = await approved.json();
      assert.equal(purchaseOrder.status, "ordered");
      assert.equal(purchaseOrder.lines[0].productId, fixtures.productId);
      const again = await app.fetch(path, { method: "POST", headers: headers(fixtures.manager), body: "{}" });
      assert.equal(again.status, 409);
      await again.body?.cancel();

      const received = await app.fetch(`/api/v1/purchase-orders/${purchaseOrder.id}/receive`, {
        method: "POST",
        headers: headers(fixtures.manager),
        body: "{}",
      });
      assert.equal(received.status, 200, await received.clone().text());
      assert.equal((await received.json()).status, "received");
    });

    await t.step("the OpenAPI document lists the inventory paths", async () => {
      const document = await (await app.fetch("/api/v1/openapi.json")).json();
      for (
        const path of [
          "/inventory/low-stock",
          "/inventory/predictions/{product_id}",
          "/inventory/reorder-suggestions",
        ]
      ) {
        assert.ok(document.paths[path], `missing ${path}`);
      }
      assert.ok(document.paths["/inventory/reorder-suggestions/{id}/approve"].post);
    });
  } finally {
    await app.stop();
  }
});
