// Browser-test helper: a manager on the Inventory page with one open purchase order of 10 docks.
import type { Browser, Locator, Page } from "playwright-core";
import { insertOffer, insertProduct, insertSupplier } from "../../server/inventory/inventory_fixtures.ts";
import { insertPurchaseOrder } from "../../server/inventory/purchase_order_queries.ts";
import type { TestApp } from "../../server/testing/test_app.ts";
import { signIn } from "./_sign_in.ts";

/** An ordered (not yet received) PO of 10 "Dock" from `supplierName`, open on a manager's Inventory page. */
export async function openOrderedDocks(
  app: TestApp,
  browser: Browser,
  supplierName: string,
): Promise<{ page: Page; id: number; dock: number; row: Locator }> {
  const { sql } = app.services.db;
  const supplier = await insertSupplier(sql, { name: supplierName, reliability: 0.9 });
  const dock = await insertProduct(sql, { name: "Dock", stock: 2 });
  await insertOffer(sql, { productId: dock, supplierId: supplier, unitCostCents: 1000, leadTimeDays: 5 });
  const id = await sql.begin((tx) =>
    insertPurchaseOrder(tx, {
      supplierId: supplier,
      lines: [{ productId: dock, suggestionId: null, quantity: 10, unitCostCents: 1000, leadTimeDays: 5 }],
      orderedBy: null,
      now: new Date(Date.now() - 60_000),
    })
  );
  const page = await browser.newPage();
  await signIn(page, app.url, "manager", "/inventory");
  await page.waitForSelector('[data-island="PurchaseOrders"][data-hydrated="true"]', { state: "attached" });
  return { page, id, dock, row: page.locator(`tr[data-po-id="${id}"]`) };
}
