import assert from "node:assert/strict";
import { recordEvents, until } from "../testing/events.ts";
import { openTestServices } from "../testing/test_services.ts";
import { insertCustomer, insertProduct } from "../transactions/transactions_fixtures.ts";
import { startStockAlertSync, syncStockAlertsNow } from "./stock_alert_sync.ts";

interface StockAlert {
  id: number;
  status: string;
  severity: string;
  message: string;
  metadata: { reorderPoint: number; stockQuantity: number };
  resolutionNote: string | null;
}

async function stockAlertsOf(sql: Parameters<typeof insertProduct>[0], productId: number) {
  return await sql<StockAlert[]>`
    select id, status, severity, message, metadata, resolution_note as "resolutionNote"
    from alerts where dedupe_key = ${`low-stock:${productId}`} order by id`;
}

Deno.test("one running-low rule: the KPI, the Inventory rows and the stock alerts agree", async () => {
  const t = await openTestServices();
  const sql = t.services.db.sql;
  try {
    // No forecasts yet: only manual reorder points make a product short
    const short = await insertProduct(sql, { name: "Webcam", stock: 3, reorderPoint: 5 });
    const out = await insertProduct(sql, { name: "Headset", stock: 0, reorderPoint: 2 });
    await insertProduct(sql, { name: "Cable", stock: 20, reorderPoint: 5 });
    await syncStockAlertsNow(t.services);

    const viewer = t.api("viewer");
    const overview = await viewer.dashboard.overview();
    const rows = await viewer.inventory.lowStock({});
    assert.equal(overview.lowStock.count, rows.items.length);
    assert.deepEqual(rows.items.map((item) => item.productId).sort(), [short, out].sort());
    const open = await sql<{ entityId: number }[]>`
      select entity_id as "entityId" from alerts where type = 'low_stock' and status <> 'resolved'`;
    assert.deepEqual(open.map((a) => a.entityId).sort(), [short, out].sort());

    const [alert] = await stockAlertsOf(sql, short);
    const row = rows.items.find((item) => item.productId === short)!;
    assert.equal(alert.metadata.reorderPoint, row.reorderPoint);
    assert.match(alert.message, /reorder at 5/);
    assert.equal((await stockAlertsOf(sql, out))[0].severity, "critical");
  } finally {
    await t.close();
  }
});

Deno.test("a stock alert resolves itself with a note when a refund brings the stock back", async () => {
  const t = await openTestServices();
  const sql = t.services.db.sql;
  const stop = startStockAlertSync(t.services);
  const { events } = recordEvents(t.services.bus);
  try {
    const manager = t.api("manager");
    const customerId = await insertCustomer(sql);
    const productId = await insertProduct(sql, { name: "Dock", stock: 6, reorderPoint: 5 });
    const sale = await manager.transactions.create({
      customerId,
      productId,
      quantity: 2,
      paymentMethod: "card",
    });
    // the sale answers first; its product's stock alert is synced just after
    await until(async () => (await stockAlertsOf(sql, productId)).length > 0, "the alert raised");
    const [raised] = await stockAlertsOf(sql, productId);
    assert.equal(raised.status, "open");
    assert.equal(raised.metadata.stockQuantity, 4);

    await manager.transactions.refund({ id: sale.id, reason: "Returned unopened" });
    await until(
      async () => (await stockAlertsOf(sql, productId))[0].status === "resolved",
      "the alert resolved",
    );
    const [resolved] = await stockAlertsOf(sql, productId);
    assert.equal(resolved.id, raised.id);
    assert.equal(resolved.resolutionNote, "Stock recovered: 6 in stock, reorder at 5");
    await until(
      () =>
        events.some((e) =>
          e.type === "alert.changed" && (e.data as { id: number; status: string }).id === raised.id &&
          (e.data as { status: string }).status === "resolved"
        ),
      "alert.changed for the resolution",
    );
  } finally {
    await stop();
    await t.close();
  }
});
