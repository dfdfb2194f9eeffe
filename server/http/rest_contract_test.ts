import assert from "node:assert/strict";
import { insertApiToken } from "../auth/api_tokens.ts";
import type { Role } from "../trpc/roles.ts";
import { type CatalogFixtures, insertCatalogFixtures } from "../products/catalog_fixtures.ts";
import { startTestApp } from "../testing/test_app.ts";

// The REST face of the real app, called over HTTP with real API tokens
Deno.test("REST /api/v1 on the running app", async (t) => {
  let fixtures: CatalogFixtures | undefined;
  const tokens = {} as Record<Role, string>;
  const app = await startTestApp({
    env: { RATE_LIMIT_PER_MINUTE: "100000" },
    prepare: async (services) => {
      fixtures = await insertCatalogFixtures(services.db.sql);
      for (const role of ["viewer", "analyst", "manager", "admin"] as const) {
        tokens[role] =
          (await insertApiToken(services.db.sql, { name: `rest-${role}`, role, createdBy: 0 })).token;
      }
    },
  });
  const as = (role: Role | null, init: RequestInit = {}): RequestInit => ({
    ...init,
    headers: {
      ...(role ? { authorization: `Bearer ${tokens[role]}` } : {}),
      ...(init.body ? { "content-type": "application/json" } : {}),
      ...init.headers as Record<string, string>,
    },
  });
  try {
    const ids = fixtures!.productIds;

    await t.step("GET /api/v1/products lists a page with a cursor that fetches the next one", async () => {
      const first = await app.fetch("/api/v1/products?limit=5&sort=price&order=desc", as("viewer"));
      assert.equal(first.status, 200);
      const page = await first.json();
      assert.equal(page.items.length, 5);
      assert.equal(page.items[0].sku, "SKU-012");
      assert.equal(typeof page.items[0].updatedAt, "string");
      const next = await app.fetch(
        `/api/v1/products?limit=5&sort=price&order=desc&cursor=${page.nextCursor}`,
        as("viewer"),
      );
      const second = await next.json();
      assert.equal(second.items[0].sku, "SKU-007");
    });

    await t.step("bad query parameters and a tampered cursor are 400 with the field named", async () => {
      const tooMany = await app.fetch("/api/v1/products?limit=500", as("viewer"));
      assert.equal(tooMany.status, 400);
      const body = await tooMany.json();
      assert.equal(body.error.code, "BAD_REQUEST");
      assert.equal(body.error.issues[0].path, "limit");
      const notNumber = await app.fetch("/api/v1/products/abc", as("viewer"));
      assert.equal(notNumber.status, 400);
      assert.equal((await notNumber.json()).error.issues[0].path, "id");
      const tampered = await app.fetch(
        "/api/v1/products?cursor=eyJzIjoibmFtZS5hc2MiLCJrIjpbIngiLC0xXX0",
        as("viewer"),
      );
      assert.equal(tampered.status, 400);
      assert.match((await tampered.json()).error.message, /Invalid cursor/);
    });

    await t.step("GET /api/v1/products/{id} answers the product with its suppliers, or 404", async () => {
      const found = await app.fetch(`/api/v1/products/${ids[0]}`, as("viewer"));
      assert.equal(found.status, 200);
      assert.deepEqual((await found.json()).suppliers.map((s: { code: string }) => s.code), [
        "GLOBEX",
        "ACME",
      ]);
      const missing = await app.fetch("/api/v1/products/999999", as("viewer"));
      assert.equal(missing.status, 404);
      assert.deepEqual((await missing.json()).error.message, "No product with id 999999");
    });

    await t.step("no token is 401, a viewer's PATCH 403, a manager's PATCH 200", async () => {
      const anonymous = await app.fetch("/api/v1/products", as(null));
      assert.equal(anonymous.status, 401);
      await anonymous.body?.cancel();
      const body = JSON.stringify({ stockQuantity: 50, reorderPoint: 10 });
      const viewer = await app.fetch(`/api/v1/products/${ids[3]}`, as("viewer", { method: "PATCH", body }));
      assert.equal(viewer.status, 403);
      assert.equal((await viewer.json()).error.code, "FORBIDDEN");
      const manager = await app.fetch(`/api/v1/products/${ids[3]}`, as("manager", { method: "PATCH", body }));
      assert.equal(manager.status, 200);
      const product = await manager.json();
      assert.deepEqual([product.stockQuantity, product.reorderPoint], [50, 10]);
    });

    await t.step("POST /api/v1/products answers 201; the same SKU again 409; bad JSON 400", async () => {
      const body = JSON.stringify({
        sku: "REST-1",
        name: "Rest speaker",
        category: "Audio",
        priceCents: 4_999,
      });
      const created = await app.fetch("/api/v1/products", as("manager", { method: "POST", body }));
      assert.equal(created.status, 201);
      assert.equal((await created.json()).sku, "REST-1");
      const again = await app.fetch("/api/v1/products", as("manager", { method: "POST", body }));
      assert.equal(again.status, 409);
      assert.equal((await again.json()).error.code, "CONFLICT");
      const malformed = await app.fetch(
        "/api/v1/products",
        as("manager", { method: "POST", body: '{"sku":' }),
      );
      assert.equal(malformed.status, 400);
      assert.equal((await malformed.json()).error.code, "BAD_REQUEST");
    });

    await t.step("suppliers and customers answer as documented", async () => {
      const suppliers = await (await app.fetch("/api/v1/suppliers?status=all", as("viewer"))).json();
      assert.deepEqual(suppliers.items.map((s: { code: string }) => s.code), ["ACME", "GLOBEX", "INITECH"]);
      const gold = await (await app.fetch("/api/v1/customers?tier=gold", as("viewer"))).json();
      assert.deepEqual(gold.items.map((c: { code: string }) => c.code), ["C002", "C003"]);
      const customer = await app.fetch(`/api/v1/customers/${fixtures!.customerIds[0]}`, as("viewer"));
      assert.equal((await customer.json()).loyaltyTier, "platinum");
    });

    await t.step("a cached read answers X-Cache miss, then hit", async () => {
      const first = await app.fetch("/api/v1/dashboard/overview", as("viewer"));
      assert.equal(first.status, 200);
      assert.equal(first.headers.get("x-cache"), "miss");
      await first.body?.cancel();
      const second = await app.fetch("/api/v1/dashboard/overview", as("viewer"));
      assert.equal(second.headers.get("x-cache"), "hit");
      await second.body?.cancel();
    });

    await t.step(
      "GET /api/v1/openapi.json and /docs are served from our origin under the strict CSP",
      async () => {
        const document = await app.fetch("/api/v1/openapi.json");
        assert.equal(document.status, 200);
        assert.equal((await document.json()).info.title, "TechMart Analytics API");
        const page = await app.fetch("/docs");
        assert.equal(page.status, 200);
        assert.match(page.headers.get("content-security-policy") ?? "", /script-src 'self' 'nonce-/);
        const html = await page.text();
        const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]);
        assert.ok(assets.length >= 3);
        for (const asset of assets) {
          assert.ok(asset.startsWith("/docs/assets/"), `${asset} comes from our origin`);
          const response = await app.fetch(asset);
          assert.equal(response.status, 200, asset);
          assert.ok((await response.arrayBuffer()).byteLength > 0);
        }
        const outside = await app.fetch("/docs/assets/package.json");
        assert.equal(outside.status, 404, "only the listed files are served");
        await outside.body?.cancel();
      },
    );
  } finally {
    await app.stop();
  }
});
