// A boolean in a REST body is true or false: the REST handler coerces plain boolean inputs, so "false" read
// as true and disabled the user it meant to enable (server/shared/json_boolean.ts).
import assert from "node:assert/strict";
import { z } from "zod";
import { instanceofZodTypeObject, unwrapZodType } from "trpc-to-openapi";
import { appRouter } from "../../server/api/app_router.ts";
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

Deno.test('no REST input takes a plain boolean, which trpc-to-openapi would coerce ("false" read as true)', () => {
  const plain: string[] = [];
  // the fields coerceSchema reaches: an input object's own, and those of objects nested in it
  const walk = (schema: unknown, where: string) => {
    const object = unwrapZodType(schema as Parameters<typeof unwrapZodType>[0], true);
    if (!instanceofZodTypeObject(object)) return;
    for (const [key, field] of Object.entries(object.shape)) {
      const inner = unwrapZodType(field as Parameters<typeof unwrapZodType>[0], false);
      if (inner instanceof z.ZodBoolean) plain.push(`${where}.${key}`);
      else walk(inner, `${where}.${key}`);
    }
  };
  const procedures = appRouter._def.procedures as unknown as Record<
    string,
    { _def: { meta?: { openapi?: unknown }; inputs: unknown[] } }
  >;
  let inputs = 0;
  for (const [path, procedure] of Object.entries(procedures)) {
    if (!procedure._def.meta?.openapi) continue;
    for (const input of procedure._def.inputs) {
      inputs++;
      walk(input, path);
    }
  }
  assert.ok(inputs > 50, `${inputs} REST inputs read`);
  assert.deepEqual(plain, [], "use jsonBoolean (server/shared/json_boolean.ts) or a query flag union");
});
