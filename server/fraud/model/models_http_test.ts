import assert from "node:assert/strict";
import { startAppWithFraudTokens } from "../fraud_fixtures.ts";
import { activeModel, saveCandidateModel } from "./model_queries.ts";
import { loadPriorModel } from "./prior.ts";

Deno.test("fraud models: versions, activation and training on too few labels", async (t) => {
  const { app, ...f } = await startAppWithFraudTokens();
  const sql = app.services.db.sql;
  const call = (token: string, method: string, path: string) =>
    app.fetch(path, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      ...(method === "POST" ? { body: "{}" } : {}),
    });
  try {
    await t.step("with no labels, training saves nothing and says why; the prior is listed", async () => {
      const response = await call(f.admin, "POST", "/api/v1/fraud/models/train");
      const text = await response.text();
      assert.equal(response.status, 412, text);
      assert.match(text, /at least 200 labeled sales/);
      const list = await (await call(f.analyst, "GET", "/api/v1/fraud/models")).json();
      assert.deepEqual(list.versions, []);
      assert.match(list.prior.source, /generated streams/);
      assert.ok(list.topFeatures.length > 0);
      assert.equal(list.inForce.version, null, "the prior scores");
      assert.equal(list.inForce.curve.length, 19);
      assert.equal(list.labelsSinceTraining, 0);
      assert.equal(await activeModel(sql), null);
    });

    await t.step(
      "versions count up; activating one retires the previous; analysts cannot activate",
      async () => {
        const prior = await loadPriorModel();
        const first = await saveCandidateModel(sql, prior, "test");
        const second = await saveCandidateModel(
          sql,
          { ...prior, reviewMargin: prior.reviewMargin + 1 },
          "test",
        );
        assert.equal(second.version, first.version + 1);
        const denied = await call(f.analyst, "POST", `/api/v1/fraud/models/${first.version}/activate`);
        assert.equal(denied.status, 403, await denied.text());
        const activated = await call(f.admin, "POST", `/api/v1/fraud/models/${first.version}/activate`);
        assert.equal(activated.status, 200, await activated.clone().text());
        assert.equal((await activated.json()).status, "active");
        assert.equal((await activeModel(sql))?.reviewMargin, prior.reviewMargin);
        await call(f.admin, "POST", `/api/v1/fraud/models/${second.version}/activate`);
        const list = await (await call(f.analyst, "GET", "/api/v1/fraud/models")).json();
        assert.deepEqual(
          list.versions.map((v: { version: number; status: string }) => [v.version, v.status]),
          [[second.version, "active"], [first.version, "retired"]],
        );
        assert.equal((await activeModel(sql))?.reviewMargin, prior.reviewMargin + 1);
        assert.equal(list.inForce.version, second.version);
        assert.equal((await call(f.admin, "POST", "/api/v1/fraud/models/999/activate")).status, 404);
      },
    );
  } finally {
    await app.stop();
  }
});
