import assert from "node:assert/strict";
import { startAppWithFraudTokens } from "../fraud_fixtures.ts";
import { dayStartMs } from "./operating_point.ts";
import {
  forgetLabelCounts,
  LABEL_COUNTS_RECHECK_MS,
  labelCeilingProposalNow,
} from "./label_ceiling_queries.ts";

const DAY = 86_400_000;

/** An app with an admin and an analyst token, and a reader of `GET /api/v1/fraud/settings`. */
async function startWithTokens() {
  const { app, ...f } = await startAppWithFraudTokens();
  const get = async (token: string) => {
    const response = await app.fetch("/api/v1/fraud/settings", {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(response.status, 200, await response.clone().text());
    return await response.json();
  };
  return { f, app, sql: app.services.db.sql, get };
}

Deno.test("the ceiling the shop's labels suggest: answered with the settings, from labels known before today", async (t) => {
  const { f, app, sql, get } = await startWithTokens();
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
  /**
   * Labels the window's sales from the `skip`th on, `n` of them, as `label`, known at `at`. Written with SQL,
   * which publishes nothing: the instance's kept counts are dropped by hand.
   */
  const label = async (n: number, label: string, at: Date, skip = 0) => {
    await sql`
      update transactions set fraud_label = ${label}, labeled_at = ${at}, labeled_by = 'analyst'
      where id in (select id from transactions where order_ref like 'LBL-%' and order_ref not like 'LBL-today-%'
        order by id offset ${skip} limit ${n})`;
    forgetLabelCounts(sql);
  };
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
        forgetLabelCounts(sql);
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

Deno.test("the labels' proposal is counted once per day and instance, and again after a label or an earlier-dated sale", async (t) => {
  const { f, app, sql, get } = await startWithTokens();
  const confirmed = async () => (await get(f.analyst)).labelProposal?.confirmedFraud ?? 0;
  // the bus may deliver through Redis: wait for the count the event leads to, a few seconds at most
  const eventually = async (want: number) => {
    let seen = await confirmed();
    for (let i = 0; i < 50 && seen !== want; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      seen = await confirmed();
    }
    return seen;
  };
  const today = dayStartMs(Date.now());
  const yesterday = new Date(today - DAY);
  await sql`insert into customers (code, name) values ('KEEP-1', 'Kept Customer')`;
  const insertSales = (prefix: string, n: number, label: string | null) =>
    sql`
      insert into transactions (order_ref, customer_id, payment_method, subtotal_cents, total_cents, item_count,
        created_at, fraud_label, labeled_at)
      select ${prefix} || g, (select min(id) from customers), 'card', 1000, 1000, 1,
        ${new Date(today - 10 * DAY)}::timestamptz + g * interval '30 minutes', ${label},
        ${label === null ? null : yesterday}
      from generate_series(1, ${n}) g`;
  try {
    await insertSales("KEEP-FRAUD-", 20, "fraud");
    await insertSales("KEEP-SALE-", 380, null);
    forgetLabelCounts(sql);
    assert.equal(await confirmed(), 20);

    await t.step("labels written without an event are not counted again on the next page load", async () => {
      await insertSales("KEEP-MORE-", 20, "fraud");
      assert.equal(await confirmed(), 20);
      assert.equal(await confirmed(), 20);
    });

    await t.step("an analyst's label through the API drops the kept counts at once", async () => {
      const [sale] = await sql<
        [{ id: number }]
      >`select id from transactions where order_ref = 'KEEP-FRAUD-1'`;
      const response = await app.fetch(`/api/v1/transactions/${sale.id}/label`, {
        method: "POST",
        headers: { authorization: `Bearer ${f.analyst}`, "content-type": "application/json" },
        body: JSON.stringify({ label: "legit" }),
      });
      assert.equal(response.status, 200, await response.clone().text());
      // 40 labeled fraud yesterday, one of them now legit
      assert.equal(await eventually(39), 39);
    });

    // a sale's event as the sale path publishes it (the counts follow the event, not the row)
    const saleCreated = (id: number, orderRef: string, createdAt: Date) =>
      app.services.bus.publish("transaction.created", {
        id,
        orderRef,
        status: "completed",
        customerId: null,
        totalCents: 1000,
        itemCount: 1,
        fraudScore: null,
        fraudDecision: null,
        simulated: false,
        items: [],
        createdAt: createdAt.toISOString(),
      });

    await t.step("a sale dated before today drops them; a sale of today does not", async () => {
      await insertSales("KEEP-LATE-", 1, "fraud");
      await saleCreated(1, "KEEP-TODAY", new Date());
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(await confirmed(), 39);
      await saleCreated(2, "KEEP-LATE-1", yesterday);
      assert.equal(await eventually(40), 40);
    });

    await t.step("without any event the counts are read again after the recheck time", async () => {
      await insertSales("KEEP-IMPORTED-", 5, "fraud");
      const deps = { sql, bus: app.services.bus };
      assert.equal((await labelCeilingProposalNow(deps))?.confirmedFraud, 40);
      const later = Date.now() + LABEL_COUNTS_RECHECK_MS;
      // the recheck must fall on the same UTC day for the assertion to be about the recheck, not the day
      if (dayStartMs(later) === today) {
        assert.equal((await labelCeilingProposalNow(deps, later))?.confirmedFraud, 45);
      }
    });
  } finally {
    await app.stop();
  }
});
