import assert from "node:assert/strict";
import { startAppWithFraudTokens } from "../fraud_fixtures.ts";
import { openTestDatabase } from "../../testing/test_database.ts";
import { migrate, readMigrations } from "../../db/migrate.ts";
import { dayStartMs } from "./operating_point.ts";
import { forgetOperatingPoint } from "./operating_point_queries.ts";
import { forgetLabelCounts } from "./label_ceiling_queries.ts";

const DAY = 86_400_000;

Deno.test("the cold-start ceiling follows the shop's fraud labels each day until an admin sets a number", async (t) => {
  const { app, ...f } = await startAppWithFraudTokens();
  const sql = app.services.db.sql;
  const today = dayStartMs(Date.now());
  const call = async (token: string, method: "GET" | "PUT", body?: unknown) => {
    const response = await app.fetch("/api/v1/fraud/settings", {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() };
  };
  const settings = async () => {
    forgetOperatingPoint(sql);
    const { status, body } = await call(f.analyst, "GET");
    assert.equal(status, 200, JSON.stringify(body));
    return body;
  };
  try {
    // 300 prior-scored sales over the 3 days before today: 20% scored 80-89 by the prior, the rest 10-19
    await sql`insert into customers (code, name) values ('FOL-1', 'Follow Customer')`;
    await sql`
      insert into transactions (order_ref, customer_id, payment_method, subtotal_cents, total_cents, item_count,
        created_at, fraud_prior_score, fraud_link_flags)
      select 'FOL-' || g, (select min(id) from customers), 'card', 1000, 1000, 1,
        ${new Date(today - 3 * DAY)}::timestamptz + g * interval '14 minutes',
        case when g % 5 = 0 then 80 + g % 10 else 10 + g % 10 end, 0
      from generate_series(0, 299) g`;

    await t.step("a new shop follows its labels; without 10 confirmed fraud the 5% stands", async () => {
      const body = await settings();
      assert.equal(body.followLabels, true);
      assert.equal(body.labelProposal, null);
      assert.equal(body.operatingPoint.maxReviewRate, 0.05);
      assert.equal(body.operatingPoint.fromLabels, true);
      assert.ok(body.operatingPoint.priorThreshold > 80, JSON.stringify(body.operatingPoint));
    });

    await t.step(
      "with 45 of 300 confirmed fraud before today the day's ceiling is 15%, at once",
      async () => {
        await sql`
        update transactions set fraud_label = 'fraud', labeled_at = ${new Date(
          today - 1000,
        )}, labeled_by = 'x'
        where order_ref in (select 'FOL-' || g from generate_series(0, 224, 5) g)`;
        forgetLabelCounts(sql);
        await sql`delete from fraud_operating_points`;
        const body = await settings();
        assert.equal(body.labelProposal.ceiling, 0.15);
        assert.equal(body.operatingPoint.maxReviewRate, 0.15);
        assert.equal(body.operatingPoint.fromLabels, true);
        // the prior's scores here are 80 and 85 (10% each): 85 and up is the most that fits 15%
        assert.deepEqual([body.operatingPoint.priorThreshold, body.operatingPoint.reviewRate], [85, 0.1]);
        assert.equal(
          body.coldStartMaxReviewRate,
          0.05,
          "the stored number is kept for when labels are too few",
        );
      },
    );

    await t.step(
      "an admin's own number stops following, audit-logged; the point uses it at once",
      async () => {
        const { status, body } = await call(f.admin, "PUT", { coldStartMaxReviewRate: 0.08 });
        assert.equal(status, 200, JSON.stringify(body));
        assert.equal(body.followLabels, false);
        assert.equal(body.operatingPoint.maxReviewRate, 0.08);
        assert.equal(body.operatingPoint.fromLabels, false);
        const [audit] = await sql<[{ details: Record<string, { from: unknown; to: unknown }> }]>`
        select details from audit_log where action = 'fraud_settings.changed' order by id desc limit 1`;
        assert.deepEqual(audit.details.followLabels, { from: true, to: false });
        assert.deepEqual(audit.details.coldStartMaxReviewRate, { from: 0.05, to: 0.08 });
      },
    );

    await t.step("following again puts the labels' ceiling back, the number stays stored", async () => {
      const { status, body } = await call(f.admin, "PUT", { followLabels: true });
      assert.equal(status, 200, JSON.stringify(body));
      assert.equal(body.followLabels, true);
      assert.equal(body.coldStartMaxReviewRate, 0.08);
      assert.equal(body.operatingPoint.maxReviewRate, 0.15);
      // the sale path reads the same point
      assert.equal((await settings()).operatingPoint.maxReviewRate, 0.15);
    });

    await t.step("both at once, and nothing or the wrong type refused in words", async () => {
      const both = await call(f.admin, "PUT", { coldStartMaxReviewRate: 0.1, followLabels: true });
      assert.equal(both.status, 200);
      assert.deepEqual([both.body.coldStartMaxReviewRate, both.body.followLabels], [0.1, true]);
      for (
        const [bad, words] of [[{}, /coldStartMaxReviewRate, followLabels or both/], [
          { followLabels: "yes" },
          /followLabels is true or false/,
        ]] as const
      ) {
        const refused = await call(f.admin, "PUT", bad);
        assert.equal(refused.status, 400, JSON.stringify(refused.body));
        assert.match(JSON.stringify(refused.body), words);
      }
      assert.equal((await call(f.analyst, "PUT", { followLabels: false })).status, 403);
      assert.equal((await settings()).followLabels, true);
    });
  } finally {
    await app.stop();
  }
});

Deno.test("migration 0244: a shop whose admin had set a ceiling keeps it; others follow their labels", async () => {
  const db = await openTestDatabase({ migrated: false });
  try {
    const migrations = await readMigrations();
    const at = migrations.findIndex((migration) => migration.name.startsWith("0244"));
    assert.ok(at > 0);
    await migrate(db.sql, migrations.slice(0, at));
    await db.sql`update fraud_settings set cold_start_max_review_rate = 0.12, updated_by = 'admin'`;
    await migrate(db.sql, migrations);
    const [row] = await db.sql`select cold_start_max_review_rate, follow_labels from fraud_settings`;
    assert.deepEqual([Number(row.cold_start_max_review_rate), row.follow_labels], [0.12, false]);
    await db.sql`delete from fraud_settings`;
    await db.sql`insert into fraud_settings default values`;
    const [fresh] = await db.sql`select follow_labels from fraud_settings`;
    assert.equal(fresh.follow_labels, true);
  } finally {
    await db.close();
  }
});
