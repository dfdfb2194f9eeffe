import { adjustStock, stockChangedEvents } from "../../server/products/stock.ts";
import { publishAfterCommit } from "../../server/events/bus.ts";
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { startAuthTestApp } from "../../server/auth/_auth_fixtures.ts";
import { browserTest } from "./_browser.ts";
import { openOrderedDocks } from "./_purchase_order_page.ts";

interface LiveMoment {
  type: "held" | "refreshed";
  selector: string;
  notice: string | null;
  confirming: boolean;
}

/** Records every held and redrawn region, with what the purchase orders showed at that moment. */
async function recordLiveMoments(page: Page): Promise<void> {
  await page.evaluate(() => {
    const moments: LiveMoment[] = [];
    (globalThis as unknown as { liveMoments: LiveMoment[] }).liveMoments = moments;
    for (const type of ["held", "refreshed"] as const) {
      document.addEventListener(`live:${type}`, (event) => {
        moments.push({
          type,
          selector: (event as CustomEvent<{ selector: string }>).detail.selector,
          notice: document.querySelector('#purchase-orders [data-testid="form-ok"]')?.textContent ?? null,
          confirming: document.querySelector("#purchase-orders .confirm-step") !== null,
        });
      });
    }
  });
}

/** Waits (generously: it follows a live event) for a moment of the purchase orders, from `after` on. */
async function nextMoment(page: Page, type: LiveMoment["type"], after: number): Promise<LiveMoment[]> {
  await page.waitForFunction(
    ([type, after]) =>
      (globalThis as unknown as { liveMoments: LiveMoment[] }).liveMoments.slice(after as number)
        .some((m) => m.type === type && m.selector === "#purchase-orders"),
    [type, after],
    { timeout: 20_000 },
  );
  return await page.evaluate(() => (globalThis as unknown as { liveMoments: LiveMoment[] }).liveMoments);
}

browserTest(
  "a live update waits while the purchase orders show a fresh notice or a confirmation step, and redraws them after",
  startAuthTestApp,
  async (app, browser) => {
    const { sql } = app.services.db;
    const { page, id, dock, row } = await openOrderedDocks(app, browser, "HoldCo");
    await page.waitForSelector('[data-island="LiveRefresh"][data-hydrated="true"]', { state: "attached" });
    await recordLiveMoments(page);
    const notice = `Received PO #${id}: 4 units added to stock; 6 on backorder`;

    // 1. The receipt's own stock event arrives while its notice is fresh: the region is held, not redrawn
    await row.getByText("Receive part…").click();
    await row.getByLabel("Dock (of 10 to come)").fill("4");
    await row.getByRole("button", { name: "Receive these units" }).click();
    await row.getByTestId("confirm-yes").click();
    let moments = await nextMoment(page, "held", 0);
    const held = moments.find((m) => m.type === "held" && m.selector === "#purchase-orders")!;
    assert.equal(held.notice, notice);
    assert.equal(
      moments.some((m) => m.type === "refreshed" && m.selector === "#purchase-orders" && m.notice === notice),
      false,
    );
    assert.equal(await page.getByTestId("form-ok").textContent(), notice);
    // ...and once the notice has been read, the region is redrawn from the server
    moments = await nextMoment(page, "refreshed", moments.length);
    await page.waitForFunction(
      (poId) => /partly received/.test(document.querySelector(`tr[data-po-id="${poId}"]`)?.textContent ?? ""),
      id,
    );

    // 2. A live change while "Close short" waits for Yes/No: the question stays until it is answered
    await row.getByRole("button", { name: "Close short" }).click();
    const heldFrom = moments.length;
    const [{ stock_quantity: before }] = await sql`select stock_quantity from products where id = ${dock}`;
    const counted = await adjustStock(sql, dock, before + 1);
    await publishAfterCommit(app.services, ...stockChangedEvents([counted!]));
    moments = await nextMoment(page, "held", heldFrom);
    assert.equal(moments.slice(heldFrom).find((m) => m.type === "held")!.confirming, true);
    assert.match(await row.textContent() ?? "", /without the 6 units still to come\? This cannot be undone/);
    await row.getByTestId("confirm-no").click();
    await nextMoment(page, "refreshed", moments.length);
    const [po] = await sql`select status from purchase_orders where id = ${id}`;
    assert.equal(po.status, "partially_received");
  },
);
