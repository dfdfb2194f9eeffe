// A boolean in a REST body is true or false: the REST handler coerces plain boolean inputs, so "false" read
// as true and disabled the user it meant to enable (server/shared/json_boolean.ts).
import assert from "node:assert/strict";
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
