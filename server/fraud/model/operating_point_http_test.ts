import assert from "node:assert/strict";
import { insertApiToken } from "../../auth/api_tokens.ts";
import { startTestApp } from "../../testing/test_app.ts";
import { insertCustomer, insertProduct } from "../../transactions/transactions_fixtures.ts";
import { forgetOperatingPoint, operatingPointFor } from "./operating_point_queries.ts";
import { loadSaleModelInput } from "./sale_model_input.ts";
import { dayStartMs, SURE_PRIOR_SCORE } from "./operating_point.ts";

const DAY = 86_400_000;

Deno.test("cold-start operating point: stored per day from earlier prior scores, shown, used by the sale", async (t) => {
  const f = { manager: "", analyst: "", customerId: 0, productId: 0 };
  const app = await startTestApp({
    prepare: async (services) => {
      const sql = services.db.sql;
      f.manager = (await insertApiToken(sql, { name: "till", role: "manager", createdBy: 0 })).token;
      f.analyst = (await insertApiToken(sql, { name: "eye", role: "analyst", createdBy: 0 })).token;
      f.customerId = await insertCustomer(sql, { name: "Operating Customer" });
      f.productId = await insertProduct(sql, { name: "Cable", priceCents: 999, stock: 100 });
    },
  });
  const sql = app.services.db.sql;
  const models = async () =>
    await (await app.fetch("/api/v1/fraud/models", {
      headers: { authorization: `Bearer ${f.analyst}` },
    })).json();
  const today = dayStartMs(Date.now());
  /** Sales with a stored prior score, spread over a day. */
  const insertScored = async (day: number, scores: number[], tag: string) => {
    for (const [i, score] of scores.entries()) {
      await sql`insert into transactions (order_ref, customer_id, payment_method, subtotal_cents, total_cents,
          item_count, created_at, fraud_prior_score)
        values (${`OP-${tag}-${i}`}, ${f.customerId}, 'card', 1000, 1000, 1,
          ${new Date(day + Math.floor(i * (DAY - 1000) / scores.length))}, ${score})`;
    }
  };
  try {
    await t.step(
      "a sale scored by the prior keeps the prior's own score; no point before earlier days",
      async () => {
        const response = await app.fetch("/api/v1/transactions", {
          method: "POST",
          headers: { authorization: `Bearer ${f.manager}`, "content-type": "application/json" },
          body: JSON.stringify({ customerId: f.customerId, productId: f.productId, paymentMethod: "card" }),
        });
        assert.equal(response.status, 201, await response.clone().text());
        const body = await response.json();
        const [row] = await sql<[{ fraud_prior_score: number | null }]>`
        select fraud_prior_score from transactions where id = ${body.id}`;
        assert.equal(typeof row.fraud_prior_score, "number");
        assert.ok(row.fraud_prior_score! >= 0 && row.fraud_prior_score! <= 100);
        const list = await models();
        assert.equal(list.inForce.version, null);
        assert.equal(list.inForce.operatingPoint, null);
      },
    );

    await t.step("sales written together (the one-line lane) keep their prior scores too", async () => {
      const responses = await Promise.all(Array.from({ length: 8 }, () =>
        app.fetch("/api/v1/transactions", {
          method: "POST",
          headers: { authorization: `Bearer ${f.manager}`, "content-type": "application/json" },
          body: JSON.stringify({ customerId: f.customerId, productId: f.productId, paymentMethod: "card" }),
        })));
      const ids: number[] = [];
      for (const response of responses) {
        assert.equal(response.status, 201);
        ids.push((await response.json()).id);
      }
      const [{ missing }] = await sql<[{ missing: number }]>`
        select count(*)::int as missing from transactions where id = any(${ids}) and fraud_prior_score is null`;
      assert.equal(missing, 0);
    });

    await t.step(
      "with 300 scored sales on the 3 days before, the threshold rises to the base rate",
      async () => {
        // 20% of the shop's sales score 80-89 with the prior, the rest 10-19.
        for (const d of [3, 2, 1]) {
          await insertScored(
            today - d * DAY,
            Array.from({ length: 100 }, (_, i) => i < 20 ? 80 + (i % 10) : 10 + (i % 10)),
            `d${d}`,
          );
        }
        forgetOperatingPoint(sql);
        const point = (await models()).inForce.operatingPoint;
        assert.ok(point, "a point is shown");
        assert.ok(point.priorThreshold > 80 && point.priorThreshold <= 90, String(point.priorThreshold));
        assert.ok(point.reviewRate <= 0.05, String(point.reviewRate));
        assert.equal(point.sharedReviewRate, 0.2, "today's sale is not in the window");
        assert.equal(point.sales, 300);
        assert.equal(point.days, 3);
        assert.equal(point.reviewsPerDay, point.reviewRate * 100);
        assert.equal(point.effectiveFrom, new Date(today).toISOString());
        const stored = await sql`select prior_threshold from fraud_operating_points`;
        assert.equal(stored.length, 1);
        assert.equal(Number(stored[0].prior_threshold), point.priorThreshold);
        // The sale request reads the same point.
        const input = await loadSaleModelInput({ sql, bus: app.services.bus }, {
          customerId: f.customerId,
          now: new Date(),
        });
        assert.equal(input.kind, "prior");
        assert.equal(input.operatingPoint?.priorThreshold, point.priorThreshold);
      },
    );

    await t.step("today's later sales never change today's point; they count from tomorrow", async () => {
      const before = (await operatingPointFor(sql, new Date()))!;
      await insertScored(today + 1000, Array(200).fill(99), "today");
      forgetOperatingPoint(sql);
      const again = (await operatingPointFor(sql, new Date(today + DAY - 1)))!;
      assert.equal(again.priorThreshold, before.priorThreshold);
      assert.equal(again.sales, before.sales);
      const tomorrow = (await operatingPointFor(sql, new Date(today + DAY + 1000)))!;
      assert.ok(tomorrow.sales > before.sales);
      assert.ok(tomorrow.priorThreshold > before.priorThreshold, `${tomorrow.priorThreshold}`);
      // the 200 sales the prior is sure of are more than the 5% limit: all of them still go to review
      assert.equal(tomorrow.priorThreshold, SURE_PRIOR_SCORE);
      assert.ok(tomorrow.reviewRate >= 200 / tomorrow.sales, `${tomorrow.reviewRate} of ${tomorrow.sales}`);
      assert.equal((await sql`select 1 from fraud_operating_points`).length, 2);
    });
  } finally {
    await app.stop();
  }
});
