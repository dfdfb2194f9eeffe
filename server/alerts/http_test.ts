import assert from "node:assert/strict";
import { insertApiToken } from "../auth/api_tokens.ts";
import type { Role } from "../trpc/roles.ts";
import { insertHistoricalSale, insertProduct } from "../analytics/analytics_fixtures.ts";
import { invalidate } from "../cache.ts";
import { startTestApp } from "../testing/test_app.ts";
import { signInOverHttp, startAuthTestApp } from "../auth/_auth_fixtures.ts";
import { ensureDefaultAlertRules } from "./default_rules.ts";

// The reference's dashboard, analytics and alerts paths over HTTP, with real API tokens
Deno.test("REST dashboard, analytics and alerts paths on the running app", async (t) => {
  const tokens = {} as Record<Role, string>;
  const app = await startTestApp({
    env: { RATE_LIMIT_PER_MINUTE: "100000" },
    prepare: async (services) => {
      const { sql } = services.db;
      const product = await insertProduct(sql, { priceCents: 2_500, category: "Audio", stock: 40 });
      await insertHistoricalSale(sql, {
        at: new Date(Date.now() - 10 * 60_000),
        items: [{ productId: product, quantity: 2 }],
      });
      for (const role of ["viewer", "analyst", "manager"] as const) {
        tokens[role] = (await insertApiToken(sql, { name: `alerts-${role}`, role, createdBy: 0 })).token;
      }
    },
  });
  const as = (role: Role | null, init: RequestInit = {}): RequestInit => ({
    ...init,
    headers: {
      ...(role ? { authorization: `Bearer ${tokens[role]}` } : {}),
      ...(init.body ? { "content-type": "application/json" } : {}),
    },
  });
  try {
    await t.step("GET /dashboard/metrics/realtime answers 60 minutes", async () => {
      const response = await app.fetch("/api/v1/dashboard/metrics/realtime", as("viewer"));
      assert.equal(response.status, 200);
      const body = await response.json();
      assert.equal(body.minutes.length, 60);
      assert.equal(body.totals.revenueCents, 5_000);
    });

    await t.step("GET /dashboard/overview takes periodDays and answers camelCase figures", async () => {
      const response = await app.fetch("/api/v1/dashboard/overview?periodDays=30", as("viewer"));
      assert.equal(response.status, 200);
      const body = await response.json();
      assert.equal(body.periodDays, 30);
      assert.equal(body.period.revenueCents, 5_000);
      assert.equal(typeof body.openAlerts.bySeverity.critical, "number");
    });

    await t.step("GET /analytics/* answer with X-Cache, and a bad range is a 400", async () => {
      for (
        const path of [
          "/api/v1/analytics/hourly-sales?days=2",
          "/api/v1/analytics/top-products?by=units&limit=5",
          "/api/v1/analytics/customer-segments",
          "/api/v1/analytics/category-performance?days=7",
          "/api/v1/analytics/supplier-performance",
        ]
      ) {
        const response = await app.fetch(path, as("viewer"));
        assert.equal(response.status, 200, path);
        // a shared Redis may already hold it from another test run (cache keys are not per database)
        assert.match(response.headers.get("x-cache") ?? "", /^(hit|miss)$/, path);
        await response.body?.cancel();
        // other processes' events on a shared Redis may retire it in between: a hit must come soon
        let hit = false;
        for (let attempt = 0; attempt < 5 && !hit; attempt++) {
          const again = await app.fetch(path, as("viewer"));
          hit = again.headers.get("x-cache") === "hit";
          await again.body?.cancel();
        }
        assert.ok(hit, `${path} is served from the cache`);
      }
      // cache keys are not per database: retire what another test database may have cached under this one
      await invalidate(app.services.kv, ["analytics"]);
      const top = await (await app.fetch("/api/v1/analytics/top-products?by=units", as("viewer"))).json();
      assert.equal(top.items[0].units, 2);
      const bad = await app.fetch(
        "/api/v1/analytics/top-products?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z",
        as("viewer"),
      );
      assert.equal(bad.status, 400);
      const badField = await app.fetch("/api/v1/analytics/hourly-sales?granularity=week", as("viewer"));
      assert.equal(badField.status, 400);
      assert.equal((await badField.json()).error.issues[0].path, "granularity");
    });

    let id = 0;
    await t.step("POST /alerts needs an analyst and creates an alert", async () => {
      const body = JSON.stringify({ severity: "high", title: "Warehouse scanner offline" });
      const refused = await app.fetch("/api/v1/alerts", as("viewer", { method: "POST", body }));
      assert.equal(refused.status, 403);
      await refused.body?.cancel();
      const response = await app.fetch("/api/v1/alerts", as("analyst", { method: "POST", body }));
      assert.equal(response.status, 201);
      const created = await response.json();
      assert.equal(created.created, true);
      id = created.alert.id;
    });

    await t.step("GET /alerts filters by severity and status", async () => {
      const high = await (await app.fetch("/api/v1/alerts?severity=high&status=open", as("viewer"))).json();
      assert.deepEqual(high.items.map((a: { id: number }) => a.id), [id]);
      assert.equal(high.nextCursor, null);
      const none = await (await app.fetch("/api/v1/alerts?severity=low", as("viewer"))).json();
      assert.deepEqual(none.items, []);
    });

    await t.step("PATCH /alerts/{id}/resolve needs a manager and stores the note", async () => {
      const body = JSON.stringify({ note: "Scanner replaced" });
      const refused = await app.fetch(
        `/api/v1/alerts/${id}/resolve`,
        as("analyst", { method: "PATCH", body }),
      );
      assert.equal(refused.status, 403);
      await refused.body?.cancel();
      const response = await app.fetch(
        `/api/v1/alerts/${id}/resolve`,
        as("manager", { method: "PATCH", body }),
      );
      assert.equal(response.status, 200);
      const resolved = await response.json();
      assert.equal(resolved.status, "resolved");
      assert.equal(resolved.resolutionNote, "Scanner replaced");
      const twice = await app.fetch(`/api/v1/alerts/${id}/resolve`, as("manager", { method: "PATCH", body }));
      assert.equal(twice.status, 409);
      await twice.body?.cancel();
    });

    await t.step("DELETE /alerts/{id} removes it; a second delete is 404", async () => {
      const response = await app.fetch(`/api/v1/alerts/${id}`, as("manager", { method: "DELETE" }));
      assert.equal(response.status, 200);
      assert.deepEqual(await response.json(), { id, deleted: true });
      const again = await app.fetch(`/api/v1/alerts/${id}`, as("manager", { method: "DELETE" }));
      assert.equal(again.status, 404);
      await again.body?.cancel();
    });

    await t.step("POST /alert-rules creates a rule a manager can edit", async () => {
      const body = JSON.stringify({
        name: "No sales",
        metric: "orders",
        comparator: "<",
        threshold: 1,
        windowMinutes: 60,
        severity: "medium",
      });
      const response = await app.fetch("/api/v1/alert-rules", as("manager", { method: "POST", body }));
      assert.equal(response.status, 201);
      const rule = await response.json();
      const edited = await app.fetch(
        `/api/v1/alert-rules/${rule.id}`,
        as("manager", { method: "PATCH", body: JSON.stringify({ cooldownSeconds: 60 }) }),
      );
      assert.equal((await edited.json()).cooldownSeconds, 60);
    });
  } finally {
    await app.stop();
  }
});

Deno.test("the Alerts page reads each rule's condition as a sentence", async () => {
  const app = await startAuthTestApp();
  try {
    await ensureDefaultAlertRules(app.services.db.sql);
    const manager = await signInOverHttp(app, "manager");
    const html = await (await app.fetch("/alerts", { headers: { cookie: manager.cookie } })).text();
    const conditions = [...html.matchAll(/<p class="rule-condition">([^<]*)<\/p>/g)].map((match) => match[1]);
    assert.ok(conditions.includes("More than 0 products out of stock"), conditions.join(" | "));
    assert.ok(conditions.includes("At least 10 products running low"));
    assert.ok(!html.includes(" over 60 min"), "the old mechanical form is gone");
  } finally {
    await app.stop();
  }
});
