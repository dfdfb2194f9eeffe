import assert from "node:assert/strict";
import { startAppWithFraudTokens } from "../fraud_fixtures.ts";
import { startTestApp } from "../../testing/test_app.ts";
import { insertCustomer } from "../../transactions/transactions_fixtures.ts";
import { dayStartMs } from "./operating_point.ts";
import { loadSaleModelInput } from "./sale_model_input.ts";
import { recordEvents, until } from "../../testing/events.ts";

const DAY = 86_400_000;

Deno.test("the cold-start review ceiling: read by analysts, changed by admins only, audited, in force at once", async (t) => {
  let customerId = 0;
  const { app, ...tokens } = await startAppWithFraudTokens(async (services) => {
    customerId = await insertCustomer(services.db.sql, { name: "Ceiling Customer" });
  });
  const f = { ...tokens, customerId };
  const sql = app.services.db.sql;
  const bus = app.services.bus;
  const call = (token: string, method: string, body?: unknown) =>
    app.fetch("/api/v1/fraud/settings", {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const stored = async () =>
    (await sql<[{ rate: number }]>`select cold_start_max_review_rate as rate from fraud_settings`)[0].rate;
  const audits = async () =>
    await sql<{ actor_name: string; details: { coldStartMaxReviewRate: { from: number; to: number } } }[]>`
      select actor_name, details from audit_log where action = 'fraud_settings.changed' order by id`;
  const today = dayStartMs(Date.now());
  const seen = recordEvents(bus);
  const onThisInstance = () =>
    loadSaleModelInput({ sql, bus }, { customerId: f.customerId, now: new Date() });
  try {
    await t.step(
      "5% by default, shown to an analyst; no point before the prior has scored sales",
      async () => {
        const response = await call(f.analyst, "GET");
        assert.equal(response.status, 200, await response.clone().text());
        const body = await response.json();
        assert.equal(body.coldStartMaxReviewRate, 0.05);
        assert.equal(body.updatedBy, null);
        assert.equal(body.operatingPoint, null);
      },
    );

    await t.step("an analyst may not change it; nothing is written", async () => {
      const response = await call(f.analyst, "PUT", { coldStartMaxReviewRate: 0.1 });
      assert.equal(response.status, 403, await response.text());
      assert.equal(await stored(), 0.05);
      assert.equal((await audits()).length, 0);
    });

    await t.step(
      "out of range or not a number: 400 with the range in words; nothing is written",
      async () => {
        for (const bad of [0.004, 0.26, 5, -0.1, "ten percent", null]) {
          const response = await call(f.admin, "PUT", { coldStartMaxReviewRate: bad });
          const text = await response.text();
          assert.equal(response.status, 400, `${bad}: ${text}`);
          assert.match(text, /share of sales between 0\.005 and 0\.25 \(0\.5% to 25%\)/, `${bad}: ${text}`);
        }
        assert.equal((await call(f.admin, "PUT", {})).status, 400);
        assert.equal(await stored(), 0.05);
        assert.equal((await audits()).length, 0);
      },
    );

    // 20% of the shop's sales on each of the 3 days before score 80-89 with the prior, the rest 10-19.
    for (const d of [3, 2, 1]) {
      await sql`
        insert into transactions (order_ref, customer_id, payment_method, subtotal_cents, total_cents, item_count,
          created_at, fraud_prior_score)
        select 'CEIL-' || ${d} || '-' || g, ${f.customerId}, 'card', 1000, 1000, 1,
          ${new Date(today - d * DAY)}::timestamptz + g * interval '10 minutes',
          case when g % 5 = 0 then 80 + g % 10 else 10 + g % 10 end
        from generate_series(1, 100) g`;
    }

    let at5 = 0;
    await t.step(
      "at 5% the threshold rises above the high scores' bottom; the sale path reads it",
      async () => {
        const body = await (await call(f.analyst, "GET")).json();
        assert.equal(body.operatingPoint.sharedReviewRate, 0.2);
        assert.ok(body.operatingPoint.priorThreshold > 80, JSON.stringify(body.operatingPoint));
        assert.ok(body.operatingPoint.reviewRate <= 0.05);
        assert.equal(body.operatingPoint.maxReviewRate, 0.05);
        at5 = body.operatingPoint.priorThreshold;
        const input = await loadSaleModelInput({ sql, bus }, { customerId: f.customerId, now: new Date() });
        assert.equal(input.operatingPoint?.priorThreshold, at5);
      },
    );

    await t.step(
      "an admin raises it to 25%: audited, today's point is computed again, the sale reads it",
      async () => {
        const response = await call(f.admin, "PUT", { coldStartMaxReviewRate: 0.25 });
        assert.equal(response.status, 200, await response.clone().text());
        const body = await response.json();
        assert.equal(body.coldStartMaxReviewRate, 0.25);
        assert.equal(body.updatedBy, "token:boss");
        // 20% of the shop's sales is under the new ceiling: the shared threshold is back, never lowered
        assert.equal(body.operatingPoint.priorThreshold, 50);
        assert.equal(body.operatingPoint.reviewRate, 0.2);
        assert.equal(body.operatingPoint.maxReviewRate, 0.25);
        assert.equal(await stored(), 0.25);
        const rows = await sql<{ prior_threshold: number; max_review_rate: number }[]>`
        select prior_threshold, max_review_rate from fraud_operating_points where effective_from = ${new Date(
          today,
        )}`;
        assert.equal(rows.length, 1, "the day's row is replaced, not doubled");
        assert.equal(Number(rows[0].prior_threshold), 50);
        assert.equal(Number(rows[0].max_review_rate), 0.25);
        const [entry] = await audits();
        assert.equal(entry.actor_name, "token:boss");
        assert.deepEqual(entry.details.coldStartMaxReviewRate, { from: 0.05, to: 0.25 });
        // the change was announced (and, with Redis, has come back before the next step looks at the cache)
        await until(
          () => seen.events.some((e) => e.type === "fraud.settings_changed"),
          "fraud.settings_changed",
        );
        // the instance that made the change dropped its cached point at once
        const input = await loadSaleModelInput({ sql, bus }, { customerId: f.customerId, now: new Date() });
        assert.equal(input.operatingPoint?.priorThreshold, 50);
      },
    );

    await t.step("a change announced by another instance drops this instance's cached point", async () => {
      // another instance writes the setting and announces it; this one still holds 25%'s point
      await sql`update fraud_settings set cold_start_max_review_rate = 0.05`;
      const cached = await onThisInstance();
      assert.equal(cached.operatingPoint?.priorThreshold, 50, "the cache is what is read before the event");
      // with Redis the event comes back through its subscription, a moment after the publish returned
      await bus.publish("fraud.settings_changed", { coldStartMaxReviewRate: 0.05, followLabels: false });
      await until(
        async () => (await onThisInstance()).operatingPoint?.priorThreshold === at5,
        "the point of 5% on this instance",
      );
    });

    await t.step("the range's ends are accepted and stored as sent", async () => {
      for (const rate of [0.005, 0.25]) {
        const response = await call(f.admin, "PUT", { coldStartMaxReviewRate: rate });
        assert.equal(response.status, 200, await response.clone().text());
        assert.equal((await response.json()).coldStartMaxReviewRate, rate);
        assert.equal(await stored(), rate);
      }
    });
  } finally {
    seen.stop();
    await app.stop();
  }
});

Deno.test({
  name:
    "a ceiling changed through one instance reaches the other instance's sales at once (PostgreSQL + Redis)",
  // two instances on one database behave as one only through Redis; embedded, each has its own database
  ignore: !Deno.env.get("REDIS_URL") || !Deno.env.get("DATABASE_URL"),
  async fn() {
    let customerId = 0;
    const { app: a, admin } = await startAppWithFraudTokens(async (services) => {
      customerId = await insertCustomer(services.db.sql, { name: "Two Instances" });
    });
    const b = await startTestApp({ env: { DATABASE_URL: a.services.db.url } });
    try {
      const sql = a.services.db.sql;
      const today = dayStartMs(Date.now());
      await sql`
        insert into transactions (order_ref, customer_id, payment_method, subtotal_cents, total_cents, item_count,
          created_at, fraud_prior_score)
        select 'TWO-' || g, ${customerId}, 'card', 1000, 1000, 1,
          ${new Date(today - 2 * DAY)}::timestamptz + g * interval '5 minutes',
          case when g % 5 = 0 then 80 + g % 10 else 10 + g % 10 end
        from generate_series(1, 400) g`;
      const onB = () =>
        loadSaleModelInput({ sql: b.services.db.sql, bus: b.services.bus }, { customerId, now: new Date() });
      const before = (await onB()).operatingPoint!;
      assert.ok(before.priorThreshold > 80, String(before.priorThreshold));
      const response = await a.fetch("/api/v1/fraud/settings", {
        method: "PUT",
        headers: { authorization: `Bearer ${admin}`, "content-type": "application/json" },
        body: JSON.stringify({ coldStartMaxReviewRate: 0.2 }),
      });
      assert.equal(response.status, 200, await response.text());
      // the event crosses Redis: B's next sale reads the point of the new ceiling (well before B's minute)
      await until(
        async () => (await onB()).operatingPoint?.priorThreshold === 50,
        "the new point on B",
        2_000,
      );
      assert.equal((await onB()).operatingPoint?.reviewRate, 0.2);
    } finally {
      await b.stop();
      await a.stop();
    }
  },
});
