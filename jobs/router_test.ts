import assert from "node:assert/strict";
import { TRPCError } from "@trpc/server";
import { insertHistoricalSale, insertProduct } from "../server/analytics/analytics_fixtures.ts";
import { signInOverHttp, startAuthTestApp } from "../server/auth/_auth_fixtures.ts";
import { openTestServices } from "../server/testing/test_services.ts";
import { buildDailySalesReport } from "../server/reports/report_queries.ts";

Deno.test("jobs.list shows every job to admins only, and runNow runs one and records who asked", async () => {
  const test = await openTestServices();
  try {
    await assert.rejects(
      () => test.api("manager").jobs.list(),
      (error: TRPCError) => error.code === "FORBIDDEN",
    );
    const before = await test.api("admin").jobs.list();
    assert.equal(before.jobs.length, 8);
    assert.equal(before.enabled, true);
    assert.deepEqual(before.jobs.find((job) => job.name === "refresh-views")?.lastRuns, []);

    const started = await test.api("admin", { username: "ops" }).jobs.runNow({ name: "customer-patterns" });
    assert.equal(started.status, "running");
    assert.ok(started.runId);
    let run = await test.api("admin").jobs.run({ id: started.runId });
    for (let i = 0; i < 100 && run.status === "running"; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      run = await test.api("admin").jobs.run({ id: started.runId });
    }
    assert.equal(run.status, "succeeded");
    assert.equal(run.instance, "manual:ops");

    const after = await test.api("admin").jobs.list();
    const patterns = after.jobs.find((job) => job.name === "customer-patterns");
    assert.equal(patterns?.lastRuns.length, 1);
    assert.equal(patterns?.runs, 1);
    assert.equal(patterns?.failures, 0);
    const [audit] = await test.services.db.sql<[{ action: string; actor: string; entity: string }]>`
      select action, actor_name as actor, entity_id as entity from audit_log where action = 'job.run_now'`;
    assert.deepEqual({ ...audit }, { action: "job.run_now", actor: "ops", entity: "customer-patterns" });

    await assert.rejects(
      () => test.api("admin").jobs.runNow({ name: "no-such-job" }),
      (error: TRPCError) => error.code === "NOT_FOUND" && error.message === 'No job named "no-such-job"',
    );
  } finally {
    await test.close();
  }
});

Deno.test("reports list and show stored daily reports to viewers; a missing day is NOT_FOUND", async () => {
  const test = await openTestServices();
  try {
    const product = await insertProduct(test.services.db.sql, { priceCents: 1_500 });
    await insertHistoricalSale(test.services.db.sql, {
      at: new Date("2026-02-03T12:00:00Z"),
      items: [{ productId: product, quantity: 2 }],
    });
    await buildDailySalesReport(test.services.db.sql, { date: "2026-02-03", timeZone: "UTC" });
    const list = await test.api("viewer").reports.daily();
    assert.deepEqual(list.items.map((r) => [r.reportDate, r.orders, r.revenueCents]), [[
      "2026-02-03",
      1,
      3_000,
    ]]);
    const report = await test.api("viewer").reports.dailyReport({ date: "2026-02-03" });
    assert.equal(report.units, 2);
    await assert.rejects(
      () => test.api("viewer").reports.dailyReport({ date: "2026-02-04" }),
      (error: TRPCError) => error.code === "NOT_FOUND",
    );
  } finally {
    await test.close();
  }
});

Deno.test("a daily report downloads as CSV for analysts, not viewers, and the pages render", async () => {
  const app = await startAuthTestApp();
  try {
    const { sql } = app.services.db;
    const product = await insertProduct(sql, { name: "=cmd|' /C calc'!A0", priceCents: 999 });
    await insertHistoricalSale(sql, {
      at: new Date("2026-02-03T09:30:00Z"),
      items: [{ productId: product, quantity: 1 }],
    });
    await buildDailySalesReport(sql, { date: "2026-02-03", timeZone: "UTC" });

    const analyst = await signInOverHttp(app, "analyst");
    const response = await app.fetch("/api/v1/reports/daily/2026-02-03.csv", {
      headers: { cookie: analyst.cookie },
    });
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type") ?? "", /^text\/csv/);
    assert.match(response.headers.get("content-disposition") ?? "", /techmart-daily-sales-2026-02-03\.csv/);
    const csv = await response.text();
    assert.ok(csv.startsWith("date,section,key,name,orders,units,revenue_cents,customers\r\n"));
    assert.ok(csv.includes("2026-02-03,total,,,1,1,999,0\r\n"));
    // A product name that a spreadsheet would run as a formula is defused
    assert.ok(csv.includes(`,"'=cmd|' /C calc'!A0",`) || csv.includes(`,'=cmd|' /C calc'!A0,`));

    const missing = await app.fetch("/api/v1/reports/daily/2026-02-04.csv", {
      headers: { cookie: analyst.cookie },
    });
    assert.equal(missing.status, 404);
    await missing.body?.cancel();
    const viewer = await signInOverHttp(app, "viewer");
    const forbidden = await app.fetch("/api/v1/reports/daily/2026-02-03.csv", {
      headers: { cookie: viewer.cookie },
    });
    assert.equal(forbidden.status, 403);
    await forbidden.body?.cancel();
    const anonymous = await app.fetch("/api/v1/reports/daily/2026-02-03.csv");
    assert.equal(anonymous.status, 401);
    await anonymous.body?.cancel();

    const page = await app.fetch("/reports?date=2026-02-03", { headers: { cookie: viewer.cookie } });
    assert.equal(page.status, 200);
    const html = await page.text();
    // days and payment methods in words, numbers in their column, one report counted in the singular
    assert.match(html, /Sales on 3 Feb 2026/);
    assert.doesNotMatch(html, />2026-02-03</);
    assert.match(html, /1 store day</);
    assert.match(html, /<td>Card<\/td>/);
    assert.match(html, /<dl class="facts report-totals">/);
    assert.match(html, /<th class="num">Revenue<\/th>/);
    assert.doesNotMatch(html, /Download CSV/);

    const admin = await signInOverHttp(app, "admin");
    const jobsPage = await app.fetch("/admin/jobs", { headers: { cookie: admin.cookie } });
    assert.equal(jobsPage.status, 200);
    const jobsHtml = await jobsPage.text();
    for (const name of ["refresh-views", "daily-sales-report", "slow-queries"]) {
      assert.match(jobsHtml, new RegExp(name));
    }
    // a job that never ran says so once, not "Last success: never UTC · … 0 failed of the last 0 runs"
    assert.match(jobsHtml, /Not run yet\./);
    assert.doesNotMatch(jobsHtml, /never UTC|last 0 runs|last 1 runs/);
    const notAdmin = await app.fetch("/admin/jobs", { headers: { cookie: analyst.cookie } });
    assert.equal(notAdmin.status, 403);
    await notAdmin.body?.cancel();
  } finally {
    await app.stop();
  }
});
