// A JSON body keeps its types. The REST handler coerced plain boolean inputs, so "false" read as true and
// disabled the user it meant to enable, and every number field, so `true` read as 1 and "12" as 12, in REST
// and then in tRPC too (server/http/json_body_types.ts pins a body's fields to their declared types).
import assert from "node:assert/strict";
import { z } from "zod";
import { instanceofZodTypeObject, unwrapZodType } from "trpc-to-openapi";
import { appRouter } from "../../server/api/app_router.ts";
import { createServerCaller } from "../../server/api/server_caller.ts";
import { keepJsonBodyTypes } from "../../server/http/json_body_types.ts";
import { insertCustomers, insertProduct } from "../../server/transactions/transactions_fixtures.ts";
import { insertRoleUsers, signInOverHttp } from "../../server/auth/_auth_fixtures.ts";
import { insertIntegration } from "../../server/integrations/integration_queries.ts";
import { startTestApp } from "../../server/testing/test_app.ts";

Deno.test("REST bodies: a boolean given as a string or a number is refused in words and changes nothing", async () => {
  const f = { spare: 0, integration: 0 };
  const app = await startTestApp({
    prepare: async (services) => {
      f.spare = (await insertRoleUsers(services)).spare;
      f.integration = (await services.db.sql.begin((tx) =>
        insertIntegration(tx, { kind: "shopify", name: "Shop", secret: "s".repeat(32), createdBy: null })
      )).id;
    },
  });
  try {
    const admin = await signInOverHttp(app, "admin");
    const { sql } = app.services.db;
    const cases = [
      { path: `/api/v1/users/${f.spare}/disabled`, method: "POST", field: "disabled" },
      { path: `/api/v1/integrations/${f.integration}/enabled`, method: "POST", field: "enabled" },
      { path: "/api/v1/fraud/settings", method: "PUT", field: "followLabels" },
    ];
    const state = async () => [
      (await sql`select is_disabled from users where id = ${f.spare}`)[0].is_disabled,
      (await sql`select enabled from integrations where id = ${f.integration}`)[0].enabled,
      (await sql`select follow_labels from fraud_settings`)[0].follow_labels,
    ];
    const before = await state();
    for (const { path, method, field } of cases) {
      for (const bad of ["false", "true", "no", 1, 0, null]) {
        const response = await app.fetch(path, {
          method,
          headers: admin.headers({ "content-type": "application/json" }),
          body: JSON.stringify({ [field]: bad }),
        });
        const text = await response.text();
        assert.equal(response.status, 400, `${path} ${JSON.stringify(bad)}: ${text}`);
        assert.match(text, new RegExp(`${field} is true or false`));
      }
    }
    assert.deepEqual(await state(), before);
  } finally {
    await app.stop();
  }
});

Deno.test('no query or path parameter is a plain boolean, which the REST handler reads from text ("false" as true)', () => {
  const plain: string[] = [];
  // the fields coerceSchema reaches: an input object's own, and those of objects nested in it
  const walk = (schema: unknown, where: string, text: (key: string) => boolean) => {
    const object = unwrapZodType(schema as Parameters<typeof unwrapZodType>[0], true);
    if (!instanceofZodTypeObject(object)) return;
    for (const [key, field] of Object.entries(object.shape)) {
      const inner = unwrapZodType(field as Parameters<typeof unwrapZodType>[0], false);
      if (inner instanceof z.ZodBoolean && text(key)) plain.push(`${where}.${key}`);
      else if (text(key)) walk(inner, `${where}.${key}`, () => true);
    }
  };
  const procedures = appRouter._def.procedures as unknown as Record<
    string,
    { _def: { meta?: { openapi?: { method: string; path: string } }; inputs: unknown[] } }
  >;
  let inputs = 0;
  for (const [path, procedure] of Object.entries(procedures)) {
    const openapi = procedure._def.meta?.openapi;
    if (!openapi) continue;
    // a query's fields are all text; a body's are JSON (kept strict), but for its path's parameters
    const query = openapi.method === "GET" || openapi.method === "DELETE";
    const inPath = (key: string) => openapi.path.includes(`{${key}}`);
    for (const input of procedure._def.inputs) {
      inputs++;
      walk(input, path, (key) => query || inPath(key));
    }
  }
  assert.ok(inputs > 50, `${inputs} REST inputs read`);
  assert.deepEqual(plain, [], "a flag in a query string is a union of the words it takes");
});

Deno.test("REST bodies: a number given as text or a boolean is refused in words, in REST and then in tRPC; paths and queries still read text", async () => {
  const f = { product: 0, customer: 0 };
  const app = await startTestApp({
    prepare: async (services) => {
      await insertRoleUsers(services);
      f.product = await insertProduct(services.db.sql, { name: "Earbuds", priceCents: 4999, stock: 50 });
      [f.customer] = await insertCustomers(services.db.sql, 1);
    },
  });
  try {
    const manager = await signInOverHttp(app, "manager");
    const { sql } = app.services.db;
    const state = async () => [
      (await sql`select price_cents, stock_quantity from products where id = ${f.product}`)[0],
      (await sql`select count(*)::int as sales from transactions`)[0].sales,
    ];
    const before = await state();
    const send = (method: string, path: string, body: unknown) =>
      app.fetch(path, {
        method,
        headers: manager.headers({ "content-type": "application/json" }),
        body: JSON.stringify(body),
      });
    const sale = {
      customerId: f.customer,
      items: [{ productId: f.product, quantity: 1 }],
      paymentMethod: "card",
    };
    const cases: [string, string, unknown, string][] = [
      ["PATCH", `/api/v1/products/${f.product}`, { priceCents: "1999" }, "priceCents"],
      ["PATCH", `/api/v1/products/${f.product}`, { stockQuantity: true }, "stockQuantity"],
      ["POST", "/api/v1/transactions", { ...sale, customerId: String(f.customer) }, "customerId"],
      [
        "POST",
        "/api/v1/transactions",
        { ...sale, items: [{ productId: f.product, quantity: true }] },
        "items.0.quantity",
      ],
      [
        "POST",
        "/api/v1/transactions",
        { ...sale, items: [{ productId: `${f.product}`, quantity: 1 }] },
        "items.0.productId",
      ],
    ];
    for (const [method, path, body, field] of cases) {
      const response = await send(method, path, body);
      const answer = await response.json();
      assert.equal(response.status, 400, `${method} ${path} ${JSON.stringify(body)}`);
      assert.deepEqual(answer.error.issues.map((issue: { path: string }) => issue.path), [field]);
      assert.ok(answer.error.issues[0].message.length > 0);
    }
    assert.deepEqual(await state(), before, "nothing was written");
    // the path's id and a query's numbers are text, and still read as numbers
    const changed = await send("PATCH", `/api/v1/products/${f.product}`, { priceCents: 1999 });
    assert.equal(changed.status, 200, await changed.text());
    const listed = await app.fetch(`/api/v1/transactions?customerId=${f.customer}&limit=5`, {
      headers: manager.headers(),
    });
    assert.equal(listed.status, 200, await listed.text());
    // the REST handler has served these procedures; tRPC shares their schemas and refuses text too
    const [{ id }] = await sql`select id from users where username = 'manager'`;
    const trpc = createServerCaller(app.services, {
      userId: id,
      role: "manager",
      username: "manager",
      via: "token",
    });
    await assert.rejects(
      trpc.products.update({ id: f.product, priceCents: "1999" as unknown as number }),
      /number/i,
    );
  } finally {
    await app.stop();
  }
});

Deno.test("no schema object is both a body's number and a query's or path's (it could not be strict and read text)", () => {
  const types = keepJsonBodyTypes(appRouter);
  assert.deepEqual(
    types.conflicts,
    [],
    "declare a body's field apart from a path's or a query's (server/shared/ids.ts)",
  );
  assert.ok(types.pinned > 50, `${types.pinned} body fields pinned`);
});

Deno.test("REST bodies: a time is ISO 8601 text; a number, a boolean or loose text is refused in words and nothing is written", async () => {
  const app = await startTestApp({ prepare: async (services) => void await insertRoleUsers(services) });
  try {
    const admin = await signInOverHttp(app, "admin");
    const { sql } = app.services.db;
    const count = async () =>
      (await sql`select (select count(*)::int from silences) + (select count(*)::int from api_tokens) as n`)[
        0
      ].n;
    const before = await count();
    const send = (path: string, body: unknown) =>
      app.fetch(path, {
        method: "POST",
        headers: admin.headers({ "content-type": "application/json" }),
        body: JSON.stringify(body),
      });
    const silence = { matchers: [{ label: "severity", value: "low" }], comment: "maintenance" };
    const later = new Date(Date.now() + 3_600_000).toISOString();
    const cases: [string, Record<string, unknown>, string][] = [
      ["/api/v1/silences", { ...silence, startsAt: true, endsAt: later }, "startsAt"],
      ["/api/v1/silences", { ...silence, endsAt: 4_102_444_800_000 }, "endsAt"],
      ["/api/v1/silences", { ...silence, endsAt: "next tuesday" }, "endsAt"],
      ["/api/v1/auth/tokens", { name: "till", role: "viewer", expiresAt: true }, "expiresAt"],
    ];
    for (const [path, body, field] of cases) {
      const response = await send(path, body);
      const answer = await response.json();
      assert.equal(response.status, 400, `${path} ${JSON.stringify(body)}`);
      assert.deepEqual(answer.error.issues.map((issue: { path: string }) => issue.path), [field]);
      assert.match(answer.error.issues[0].message, new RegExp(`${field} is a time in ISO 8601`));
    }
    assert.equal(await count(), before, "nothing was written");
    const made = await send("/api/v1/silences", { ...silence, endsAt: later.replace(/\.\d+Z$/, "") });
    assert.equal(made.status, 201, await made.text());
    const [{ ends_at }] = await sql`select ends_at from silences order by id desc limit 1`;
    assert.equal(
      new Date(ends_at).toISOString(),
      later.replace(/\.\d+Z$/, ".000Z"),
      "a time without an offset is UTC",
    );
  } finally {
    await app.stop();
  }
});
