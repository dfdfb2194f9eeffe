import assert from "node:assert/strict";
import { insertAdminAndAnalystTokens } from "../fraud_fixtures.ts";
import { startTestApp } from "../../testing/test_app.ts";
import { dayStartMs } from "./operating_point.ts";

const DAY = 86_400_000;

Deno.test("the ceiling the shop's labels suggest: answered with the settings, from labels known before today", async (t) => {
  const f = { admin: "", analyst: "" };
  const app = await startTestApp({
    prepare: async (services) => {
      Object.assign(f, await insertAdminAndAnalystTokens(services.db.sql));
    },
  });
  const sql = app.services.db.sql;
  const get = async (token: string) => {
    const response = await app.fetch("/api/v1/fraud/settings", {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(response.status, 200, await response.clone().text());
    return await response.json();
  };
  const today = dayStartMs(Date.now());
  // 400 sales over the 20 days before today, and 2 today
  await sql`insert into customers (code, name) values ('LBL-1', 'Label Customer')`;
  await sql`
    insert into transactions (order_ref, customer_id, payment_method, subtotal_cents, total_cents, item_count,
      created_at)
    select 'LBL-' || g, (select min(id) from customers), 'card', 1000, 1000, 1,
      ${new Date(today - 20 * DAY)}::timestamptz + g * interval '72 minutes'
    from generate_series(0, 399) g`;
  await sql`
    insert into transactions (order_ref, customer_id, payment_method, subtotal_cents, total_cents, item_count,
      created_at)
    select 'LBL-today-' || g, (select min(id) from customers), 'card', 1000, 1000, 1, now()
    from generate_series(1, 2) g`;
  /** Labels the window's sales from the `skip`th on, `n` of them, as `label`, known at `at`. */
  const label = (n: number, label: string, at: Date, skip = 0) =>
    sql`
      update transactions set fraud_label = ${label}, labeled_at = ${at}, labeled_by = 'analyst'
      where id in (select id from transactions where order_ref like 'LBL-%' and order_ref not like 'LBL-today-%'
        order by id offset ${skip} limit ${n})`;
  try {
    await t.step("no proposal while fewer than 10 sales are confirmed fraud", async () => {
      await label(9, "fraud", new Date(today - DAY));
      assert.equal((await get(f.analyst)).labelProposal, null);
    });

    await t.step("a label set today does not count yet (only labels known before today)", async () => {
      await label(3, "fraud", new Date(), 9);
      // the three new ones are today's: still 9 known before today
      assert.equal((await get(f.analyst)).labelProposal, null);
    });

    await t.step(
      "with 20 confirmed of 400 sales: about 5% fraud, a 5% ceiling; legit labels do not count",
      async () => {
        await label(20, "fraud", new Date(today - 2 * DAY));
        await sql`
        update transactions set fraud_label = 'legit', labeled_at = ${new Date(today - DAY)}
        where order_ref in ('LBL-300', 'LBL-301', 'LBL-302')`;
        // today's own sales do not enter the window, labeled or not
        await sql`update transactions set fraud_label = 'fraud', labeled_at = ${new Date(today - 1)}
        where order_ref like 'LBL-today-%'`;
        const body = await get(f.analyst);
        assert.deepEqual(body.labelProposal, {
          confirmedFraudRate: 0.05,
          ceiling: 0.05,
          confirmedFraud: 20,
          sales: 400,
        });
      },
    );

    await t.step("an admin applies it with the same PUT; the answer carries the proposal too", async () => {
      await label(60, "fraud", new Date(today - DAY));
      const proposal = (await get(f.admin)).labelProposal;
      assert.equal(proposal.ceiling, 0.15);
      const response = await app.fetch("/api/v1/fraud/settings", {
        method: "PUT",
        headers: { authorization: `Bearer ${f.admin}`, "content-type": "application/json" },
        body: JSON.stringify({ coldStartMaxReviewRate: proposal.ceiling }),
      });
      assert.equal(response.status, 200, await response.clone().text());
      const saved = await response.json();
      assert.equal(saved.coldStartMaxReviewRate, 0.15);
      assert.deepEqual(saved.labelProposal, proposal);
    });
  } finally {
    await app.stop();
  }
});
