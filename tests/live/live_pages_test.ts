// Every page that shows changing data follows it live: a change made through the API in another
// session shows on the open page, without a reload, within 2 s.
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { type Session, signInOverHttp, startAuthTestApp } from "../../server/auth/_auth_fixtures.ts";
import type { TestApp } from "../../server/testing/test_app.ts";
import { insertCustomer, insertProduct } from "../../server/transactions/transactions_fixtures.ts";
import { defaultAlertRules } from "../../server/alerts/default_rules.ts";
import { browserTest } from "../browser/_browser.ts";
import { signIn } from "../browser/_sign_in.ts";

/** What the issue asks: the change is on screen within 2 s, without a reload. */
const liveMs = 2_000;

async function call(app: TestApp, session: Session, method: string, path: string, body?: unknown) {
  const response = await app.fetch(`/api/v1${path}`, {
    method,
    headers: session.headers(),
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  assert.ok(response.ok, `${method} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

/** Opens `path` and waits until its live socket is up (events from now on reach it). */
async function openLive(page: Page, app: TestApp, path: string): Promise<void> {
  await page.goto(`${app.url}${path}`);
  await page.waitForSelector('[data-island="ConnectionStatus"] [data-state="live"]');
  // Marks the document: a reload would lose the mark, so finding it later proves there was none
  await page.evaluate(() => (globalThis as unknown as { notReloaded: boolean }).notReloaded = true);
}

/**
 * Starts a job over the API and waits until its run has finished: the run itself may take seconds on a
 * loaded machine, and "within 2 s" counts from the change (the run's end), not from the request.
 */
async function runJobToEnd(app: TestApp, session: Session, job: string): Promise<void> {
  const started = await call(app, session, "POST", `/jobs/${job}/run`, {});
  assert.equal(started.status, "running", JSON.stringify(started));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const [run] = await app.services.db.sql<{ status: string }[]>`
      select status from job_runs where id = ${started.runId}`;
    if (run && run.status !== "running") return assert.equal(run.status, "succeeded");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.fail(`the ${job} run did not finish within a minute`);
}

async function assertNotReloaded(page: Page): Promise<void> {
  assert.equal(
    await page.evaluate(() => (globalThis as unknown as { notReloaded?: boolean }).notReloaded),
    true,
  );
}

browserTest(
  "every live page shows a change made through the API in another session within 2 s",
  startAuthTestApp,
  async (app, browser, t) => {
    const sql = app.services.db.sql;
    const manager = await signInOverHttp(app, "manager");
    const admin = await signInOverHttp(app, "admin");
    const page = await (await browser.newContext()).newPage();
    await signIn(page, app.url, "admin");
    const customerId = await insertCustomer(sql, { name: "Live Customer" });

    await t.step(
      "Alerts: a new out-of-stock alert appears at the top, and leaves when resolved",
      async () => {
        const productId = await insertProduct(sql, { name: "Alert Lamp", stock: 1, reorderPoint: 2 });
        const outOfStock = defaultAlertRules.find((rule) => rule.metric === "out_of_stock_products")!;
        await call(app, manager, "POST", "/alert-rules", { ...outOfStock, name: "Live lamp rule" });
        await openLive(page, app, "/alerts?status=open");
        const rule = page.locator("#alert-rules li", { hasText: "Live lamp rule" });
        assert.doesNotMatch(await rule.first().innerText(), /firing/);
        // the panel's count said a bare "6"
        assert.match(await page.locator("#alert-rules-title + .muted").innerText(), /^\d+ rules?$/);
        const sale = await call(app, manager, "POST", "/transactions", {
          customerId,
          items: [{ productId, quantity: 1 }],
          paymentMethod: "card",
        });
        const row = page.locator("#alert-list tr[data-alert-id]", { hasText: "Alert Lamp is out of stock" });
        await row.first().waitFor({ timeout: liveMs });
        // the rules panel was not a live region: its rule stayed "ok" beside the alert it had raised
        await rule.filter({ hasText: "firing" }).waitFor({ timeout: liveMs });
        // the refund brings the stock back: the alert resolves itself and leaves the open list
        await call(app, manager, "POST", `/transactions/${sale.id}/refund`, { reason: "Returned" });
        await row.first().waitFor({ state: "detached", timeout: liveMs });
        await assertNotReloaded(page);
      },
    );

    await t.step("Transactions: a new sale shows on the first page; a refund updates its row", async () => {
      const productId = await insertProduct(sql, { name: "Txn Mouse", stock: 50 });
      await openLive(page, app, "/transactions");
      const sale = await call(app, manager, "POST", "/transactions", {
        customerId,
        items: [{ productId, quantity: 1 }],
        paymentMethod: "card",
      });
      const row = page.locator(`#transactions-list [data-transaction-id="${sale.id}"]`);
      await row.waitFor({ timeout: liveMs });
      await call(app, manager, "POST", `/transactions/${sale.id}/refund`, { reason: "Returned" });
      await page.locator(`#transactions-list [data-transaction-id="${sale.id}"]`, { hasText: "refunded" })
        .waitFor({ timeout: liveMs });
      await assertNotReloaded(page);
    });

    await t.step('Transactions: scrolled down, new sales wait behind an "N new" pill', async () => {
      const productId = await insertProduct(sql, { name: "Pill Pen", stock: 100 });
      for (let i = 0; i < 25; i++) {
        await call(app, manager, "POST", "/transactions", { customerId, productId, paymentMethod: "card" });
      }
      await page.setViewportSize({ width: 1000, height: 500 });
      await openLive(page, app, "/transactions");
      await page.evaluate(() => globalThis.scrollTo(0, document.body.scrollHeight));
      const sale = await call(app, manager, "POST", "/transactions", {
        customerId,
        productId,
        paymentMethod: "card",
      });
      const pill = page.locator('[data-testid="live-new-pill"]');
      await pill.waitFor({ timeout: liveMs });
      assert.equal((await pill.textContent())?.trim(), "1 new");
      assert.equal(
        await page.locator(`[data-transaction-id="${sale.id}"]`).count(),
        0,
        "held while scrolled",
      );
      await pill.click();
      await page.locator(`#transactions-list [data-transaction-id="${sale.id}"]`).waitFor({
        timeout: liveMs,
      });
      await page.setViewportSize({ width: 1280, height: 800 });
      await assertNotReloaded(page);
    });

    await t.step("Inventory: a product that starts running short joins the low-stock table", async () => {
      const productId = await insertProduct(sql, { name: "Inventory Dock", stock: 8, reorderPoint: 5 });
      await openLive(page, app, "/inventory");
      assert.equal(await page.locator(`#low-stock [data-product-id="${productId}"]`).count(), 0);
      await call(app, manager, "POST", "/transactions", {
        customerId,
        items: [{ productId, quantity: 4 }],
        paymentMethod: "card",
      });
      await page.locator(`#low-stock [data-product-id="${productId}"]`).waitFor({ timeout: liveMs });
      await assertNotReloaded(page);
    });

    await t.step("Dashboard: top products and running low follow the sales", async () => {
      const productId = await insertProduct(sql, { name: "Dashboard Drone", stock: 6, reorderPoint: 5 });
      await openLive(page, app, "/");
      await call(app, manager, "POST", "/transactions", {
        customerId,
        items: [{ productId, quantity: 2 }],
        paymentMethod: "card",
      });
      await page.locator("#top-products", { hasText: "Dashboard Drone" }).waitFor({ timeout: liveMs });
      await page.locator("#running-low", { hasText: "Dashboard Drone" }).waitFor({ timeout: liveMs });
      await assertNotReloaded(page);
    });

    await t.step("Analytics: the top products follow a sale once the figures are refreshed", async () => {
      const productId = await insertProduct(sql, { name: "Analytics Amplifier", stock: 30 });
      await openLive(page, app, "/analytics");
      await call(app, manager, "POST", "/transactions", {
        customerId,
        items: [{ productId, quantity: 4 }],
        paymentMethod: "card",
      });
      // Analytics had no live regions: it showed the new sale only after a reload
      await runJobToEnd(app, admin, "refresh-views");
      await page.locator("#top-products", { hasText: "Analytics Amplifier" }).waitFor({ timeout: liveMs });
      await assertNotReloaded(page);
    });

    await t.step("Products: the stock shown follows a sale", async () => {
      const productId = await insertProduct(sql, { name: "Products Router", stock: 40 });
      await openLive(page, app, "/products?search=Products%20Router");
      const row = page.locator(`#products-list [data-product-id="${productId}"]`);
      await row.waitFor();
      assert.match(await row.textContent() ?? "", /40/);
      await call(app, manager, "POST", "/transactions", {
        customerId,
        items: [{ productId, quantity: 3 }],
        paymentMethod: "card",
      });
      await page.locator(`#products-list [data-product-id="${productId}"]`, { hasText: "37" })
        .waitFor({ timeout: liveMs });
      await assertNotReloaded(page);
    });

    await t.step("Fraud: the lists and the review queue follow the API", async () => {
      const listed = await insertCustomer(sql, { name: "Listed Lucy" });
      // The steps before sold many times to one customer, and the queue (riskiest first, a page of 20)
      // is full of those; an analyst clears it, so the new sale below is on the first page.
      const { items } = await call(app, admin, "GET", "/fraud/queue?limit=100");
      for (const item of items as { id: number }[]) {
        await call(app, admin, "POST", `/transactions/${item.id}/label`, { label: "legit" });
      }
      await openLive(page, app, "/fraud");
      await call(app, admin, "PUT", `/fraud/lists/${listed}`, { list: "block", reason: "chargebacks" });
      await page.locator("#customer-lists", { hasText: "Listed Lucy" }).waitFor({ timeout: liveMs });
      // a day-old account spending £2,500 is sent to review
      const newcomer = await insertCustomer(sql, {
        name: "Queue Quentin",
        createdAt: new Date(Date.now() - 3_600_000),
      });
      const laptop = await insertProduct(sql, {
        name: "Fraud Laptop",
        category: "Laptops",
        priceCents: 250_000,
      });
      const sale = await call(app, manager, "POST", "/transactions", {
        customerId: newcomer,
        items: [{ productId: laptop, quantity: 1 }],
        paymentMethod: "card",
      });
      assert.notEqual(sale.fraudDecision, "allow");
      await page.locator("#review-queue", { hasText: "Queue Quentin" }).waitFor({ timeout: liveMs });
      await assertNotReloaded(page);
    });

    await t.step("Jobs: a run started through the API shows on the Jobs page", async () => {
      await openLive(page, app, "/admin/jobs");
      const panel = page.locator("#job-refresh-views");
      const before = await panel.textContent();
      await runJobToEnd(app, admin, "refresh-views");
      await page.waitForFunction(
        (text) =>
          document.querySelector("#job-refresh-views")?.textContent !== text &&
          /succeeded/.test(document.querySelector("#job-refresh-views")?.textContent ?? ""),
        before,
        { timeout: liveMs },
      );
      await assertNotReloaded(page);
    });

    await t.step("Reports: a new daily report appears", async () => {
      await openLive(page, app, "/reports");
      const before = await page.locator("#report-list").textContent();
      await runJobToEnd(app, admin, "daily-sales-report");
      await page.waitForFunction(
        (text) => document.querySelector("#report-list")?.textContent !== text,
        before,
        { timeout: liveMs },
      );
      await assertNotReloaded(page);
    });
  },
);
