import assert from "node:assert/strict";
import { defaultAlertRules } from "../alerts/default_rules.ts";
import { prepareFirstStart, startUpJobs } from "./prepare.ts";
import { openTestServices } from "../testing/test_services.ts";

Deno.test("the first start brings the sample shop to life, and one running-low rule holds on it", async () => {
  const t = await openTestServices();
  const sql = t.services.db.sql;
  try {
    const report = await prepareFirstStart(t.services);
    assert.equal(report.seed?.alreadyPresent, false);

    const rules = await sql<{ name: string }[]>`select name from alert_rules order by id`;
    assert.deepEqual(rules.map((rule) => rule.name), defaultAlertRules.map((rule) => rule.name));

    // the start-up runs are recorded, so the Jobs page does not say "never"
    const runs = await sql<{ job: string; status: string }[]>`select job, status from job_runs`;
    for (const job of startUpJobs) {
      assert.ok(
        runs.some((run) => run.job === job && run.status === "succeeded"),
        `${job}: ${JSON.stringify(runs)}`,
      );
    }
    const [{ reports }] = await sql<
      [{ reports: number }]
    >`select count(*)::int as reports from daily_sales_reports`;
    assert.ok(reports >= 1, "yesterday's report is there");

    const orders = await sql<
      { status: string }[]
    >`select distinct status from purchase_orders order by status`;
    assert.deepEqual(orders.map((o) => o.status), ["cancelled", "ordered", "received"]);
    const labels = await sql<{ label: string }[]>`
      select distinct fraud_label as label from transactions where fraud_label is not null order by 1`;
    assert.deepEqual(labels.map((l) => l.label), ["fraud", "legit"]);
    // the review queue a new user opens has the last week's flagged sales in it, and nothing older
    const queue = await t.api("analyst").fraud.queue({ limit: 100 });
    assert.ok(queue.items.length > 0, "the review queue has work in it");
    const weekAgo = Date.now() - 7 * 86_400_000;
    for (const item of queue.items) assert.ok(item.createdAt.getTime() >= weekAgo - 3_600_000, item.orderRef);

    // alerts for the current state: one stock alert per product running short, as the KPI counts them
    const viewer = t.api("viewer");
    const overview = await viewer.dashboard.overview();
    const rows = await viewer.inventory.lowStock({ limit: 500 });
    assert.ok(overview.lowStock.count > 0, "the sample has products running short");
    assert.equal(overview.lowStock.count, rows.items.length);
    const open = await sql<{ entityId: number }[]>`
      select entity_id as "entityId" from alerts where type = 'low_stock' and status <> 'resolved'`;
    assert.deepEqual(
      open.map((a) => Number(a.entityId)).sort((a, b) => a - b),
      rows.items.map((item) => item.productId).sort((a, b) => a - b),
    );

    // a sale made in the app continues the sample's references
    const [{ highest }] = await sql<[{ highest: number }]>`
      select max(substring(order_ref from 4)::bigint)::int as highest from transactions where order_ref like 'TM-%'`;
    const [stocked] = await sql<[{ id: number }]>`
      select id from products where is_active and stock_quantity > 5 order by id limit 1`;
    const [customer] = await sql<[{ id: number }]>`select id from customers order by id limit 1`;
    const sale = await t.api("manager").transactions.create({
      customerId: customer.id,
      productId: stocked.id,
      paymentMethod: "card",
    });
    assert.equal(sale.orderRef, `TM-${highest + 1}`);
  } finally {
    await t.close();
  }
});
