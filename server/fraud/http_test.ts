import assert from "node:assert/strict";
import { signInOverHttp, startAuthTestApp } from "../auth/_auth_fixtures.ts";
import { insertFraudCustomer, insertFraudProduct, insertStoredTransaction } from "./fraud_fixtures.ts";

Deno.test("the /fraud page shows each queued transaction's reasons to analysts and the rules editor to admins", async () => {
  const app = await startAuthTestApp();
  try {
    const { sql } = app.services.db;
    const customerId = await insertFraudCustomer(sql, new Date("2024-01-01T00:00:00Z"));
    const productId = await insertFraudProduct(sql, { category: "Phones", priceCents: 80_000 });
    const id = await insertStoredTransaction(sql, {
      customerId,
      productId,
      unitPriceCents: 80_000,
      createdAt: new Date("2025-03-01T02:00:00Z"),
      score: 72,
      decision: "review",
      reasonCodes: ["velocity_count", "unusual_hour"],
    });

    const analyst = await signInOverHttp(app, "analyst");
    const page = await app.fetch("/fraud", { headers: { cookie: analyst.cookie } });
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.ok(html.includes(`data-id="${id}"`), "the queued transaction is listed");
    assert.ok(html.includes("velocity_count") && html.includes("unusual_hour"), "with its reasons");
    assert.ok(html.includes('data-testid="fraud-rule-stats"'));
    assert.ok(!html.includes('data-island="FraudRulesEditor"'), "analysts do not get the rules editor");

    const admin = await signInOverHttp(app, "admin");
    const adminHtml = await (await app.fetch("/fraud", { headers: { cookie: admin.cookie } })).text();
    assert.ok(adminHtml.includes('data-island="FraudRulesEditor"'));

    const viewer = await signInOverHttp(app, "viewer");
    assert.equal((await app.fetch("/fraud", { headers: { cookie: viewer.cookie } })).status, 403);

    // The same queue over REST
    const rest = await app.fetch("/api/v1/fraud/queue?limit=5", { headers: { cookie: analyst.cookie } });
    assert.equal(rest.status, 200);
    const body = await rest.json();
    assert.deepEqual(body.items.map((item: { id: number }) => item.id), [id]);
    const rules = await (await app.fetch("/api/v1/fraud/rules", { headers: { cookie: analyst.cookie } }))
      .json();
    assert.equal(rules.version, 1);
    assert.equal(rules.rules.timeZone, app.services.config.STORE_TZ);
  } finally {
    await app.stop();
  }
});

Deno.test("REST puts a customer on a list by code or id (PUT /api/v1/fraud/lists/{customerId}); an unknown code is a 404 naming it", async () => {
  const app = await startAuthTestApp();
  try {
    const { sql } = app.services.db;
    const customerId = await insertFraudCustomer(sql, new Date("2024-01-01T00:00:00Z"));
    const [{ code }] = await sql<[{ code: string }]>`select code from customers where id = ${customerId}`;
    const analyst = await signInOverHttp(app, "analyst");
    const put = (ref: string, list: string) =>
      app.fetch(`/api/v1/fraud/lists/${encodeURIComponent(ref)}`, {
        method: "PUT",
        headers: analyst.headers(),
        body: JSON.stringify({ list, reason: "Chargebacks" }),
      });

    const byCode = await put(code, "block");
    assert.equal(byCode.status, 200);
    const listed = await byCode.json();
    assert.deepEqual([listed.customerId, listed.customerCode, listed.list], [customerId, code, "block"]);
    const byId = await put(String(customerId), "allow");
    assert.equal(byId.status, 200);
    assert.equal((await byId.json()).list, "allow");

    const unknown = await put("CUS-99999999", "block");
    assert.equal(unknown.status, 404);
    assert.match((await unknown.json()).error.message, /No customer with code "CUS-99999999"/);
    // digits in the path may be a code as well as an id (shops import numeric codes): none has these
    const nobody = await put("0", "block");
    assert.equal(nobody.status, 404);
    assert.equal((await nobody.json()).error.message, "No customer with code or id 0");

    const removed = await app.fetch(`/api/v1/fraud/lists/${code}`, {
      method: "DELETE",
      headers: analyst.headers(),
    });
    assert.equal(removed.status, 200);
    assert.deepEqual(await removed.json(), { customerId, removedFrom: "allow" });

    const openapi = await (await app.fetch("/api/v1/openapi.json")).json();
    const parameter = openapi.paths["/fraud/lists/{customerId}"].put.parameters
      .find((p: { name: string }) => p.name === "customerId");
    assert.match(parameter.description, /customer code/);
  } finally {
    await app.stop();
  }
});
