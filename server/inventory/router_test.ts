import assert from "node:assert/strict";
import { runInventoryPredictions } from "./predictions_job.ts";
import { runReorderSuggestions } from "./reorder_suggestions_job.ts";
import { invalidate } from "../cache.ts";
import { recordEvents, until } from "../testing/events.ts";
import { openTestServices } from "../testing/test_services.ts";
import { insertDailySales, insertOffer, insertProduct, insertSupplier } from "./inventory_fixtures.ts";
import { loadPlanningProducts } from "./planning_queries.ts";

const DAY = 86_400_000;

async function rejects(promise: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(promise, (error: { code?: string }) => {
    assert.equal(error.code, code);
    return true;
  });
}

Deno.test("the inventory API: low stock, forecasts, suggestions, approvals and deliveries", async (t) => {
  const test = await openTestServices();
  const { events, stop } = recordEvents(test.services.bus);
  const viewer = test.api("viewer");
  const manager = test.api("manager", { userId: 7, username: "mia" });
  const sql = test.services.db.sql;
  // a shared Redis may hold inventory reads cached for another test database
  await invalidate(test.services.kv, ["inventory"]);
  try {
    const fastCo = await insertSupplier(sql, { name: "FastCo", reliability: 0.95 });
    const slowCo = await insertSupplier(sql, { name: "SlowCo", reliability: 0.7 });
    const phone = await insertProduct(sql, { name: "Phone", stock: 30, category: "Phones" });
    const case_ = await insertProduct(sql, { name: "Case", stock: 55, category: "Accessories" });
    const cable = await insertProduct(sql, { name: "Cable", stock: 4000, category: "Accessories" });
    for (const product of [phone, case_, cable]) {
      await insertOffer(sql, {
        productId: product,
        supplierId: fastCo,
        unitCostCents: 1000,
        leadTimeDays: 5,
      });
      await insertOffer(sql, {
        productId: product,
        supplierId: slowCo,
        unitCostCents: 990,
        leadTimeDays: 30,
      });
    }
    // the last 8 weeks end yesterday: about 10 units a day each
    const today = new Date();
    const firstDay = new Date(today.getTime() - 56 * DAY).toISOString().slice(0, 10);
    for (const product of [phone, case_, cable]) {
      await insertDailySales(sql, product, firstDay, new Array(56).fill(10));
    }

    await t.step(
      "predictions answers with no forecast before any run, and 404 for an unknown product",
      async () => {
        const before = await viewer.inventory.predictions({ product_id: phone });
        assert.equal(before.forecast, null);
        assert.equal(before.productName, "Phone");
        assert.ok(before.history.units.length >= 55);
        assert.ok(before.history.units.every((units) => units === 10 || units === 0));
        await rejects(viewer.inventory.predictions({ product_id: 999_999 }), "NOT_FOUND");
        await rejects(test.api(null).inventory.predictions({ product_id: phone }), "UNAUTHORIZED");
      },
    );

    await t.step("recompute is for managers and stores a forecast with intervals", async () => {
      await rejects(viewer.inventory.recompute({ product_id: phone }), "FORBIDDEN");
      const result = await manager.inventory.recompute({ product_id: phone });
      const forecast = result.forecast!;
      assert.equal(forecast.point.length, 30);
      assert.equal(forecast.days.length, 30);
      assert.ok(Math.abs(forecast.point[0] - 10) < 1, `point[0] = ${forecast.point[0]}`);
      assert.ok(forecast.upper95[0] >= forecast.upper80[0]);
      // the read after the recompute is not an old cached "no forecast"
      assert.notEqual((await viewer.inventory.predictions({ product_id: phone })).forecast, null);
    });

    await runInventoryPredictions(test.services);

    await t.step("lowStock ranks products by urgency from their days of cover", async () => {
      const low = await viewer.inventory.lowStock({});
      // phone: 3 days of cover < 5-day lead time; case: 5.5 days (< 7) -> high; cable: 400 days
      assert.deepEqual(low.items.map((item) => [item.name, item.urgency]), [["Phone", "critical"], [
        "Case",
        "high",
      ]]);
      assert.deepEqual(low.counts, { critical: 1, high: 1, medium: 0 });
      const phoneItem = low.items[0];
      assert.equal(phoneItem.supplier?.name, "FastCo");
      assert.equal(phoneItem.leadTimeDays, 5);
      assert.ok(phoneItem.reorderPoint >= 50, `reorder point ${phoneItem.reorderPoint}`);
      assert.ok(Math.abs(phoneItem.daysUntilStockout! - 3) < 0.5);
      const onlyHigh = await viewer.inventory.lowStock({ urgency: "high" });
      assert.deepEqual(onlyHigh.items.map((item) => item.name), ["Case"]);
    });

    let phoneSuggestion = 0;
    let caseSuggestion = 0;
    await t.step("reorderSuggestions shows the supplier comparison and why the winner won", async () => {
      await runReorderSuggestions(test.services);
      const { items } = await viewer.inventory.reorderSuggestions({});
      assert.deepEqual(items.map((s) => s.productName), ["Phone", "Case"]);
      const [first] = items;
      phoneSuggestion = first.id;
      caseSuggestion = items[1].id;
      assert.equal(first.status, "open");
      assert.equal(first.supplierName, "FastCo");
      assert.deepEqual(first.supplierChoice.suppliers.map((s) => [s.name, s.rank]), [["FastCo", 1], [
        "SlowCo",
        2,
      ]]);
      assert.ok(
        first.supplierChoice.suppliers[0].scores.delivery > first.supplierChoice.suppliers[1].scores.delivery,
      );
      assert.match(first.supplierChoice.reason, /^FastCo scores \d\.\d\d against SlowCo's/);
      assert.match(first.reason, /reorder point/);
    });

    await t.step("approving two suggestions of one supplier makes one purchase order", async () => {
      await rejects(viewer.inventory.approveSuggestions({ ids: [phoneSuggestion] }), "FORBIDDEN");
      events.length = 0;
      const { purchaseOrders } = await manager.inventory.approveSuggestions({
        ids: [phoneSuggestion, caseSuggestion],
        note: "weekly order",
      });
      assert.equal(purchaseOrders.length, 1);
      const [order] = purchaseOrders;
      assert.equal(order.status, "ordered");
      assert.equal(order.supplierName, "FastCo");
      assert.deepEqual(order.lines.map((line) => line.productName).sort(), ["Case", "Phone"]);
      assert.equal(order.totalCents, order.lines.reduce((sum, line) => sum + line.lineTotalCents, 0));
      assert.ok(Math.abs(order.expectedAt.getTime() - order.orderedAt.getTime() - 5 * DAY) < 1000);
      await until(() => events.some((event) => event.type === "suggestion.changed"), "suggestion.changed");
      const approved = await viewer.inventory.suggestion({ id: phoneSuggestion });
      assert.equal(approved.status, "approved");
      assert.equal(approved.purchaseOrderId, order.id);
      await rejects(manager.inventory.approveSuggestion({ id: phoneSuggestion }), "CONFLICT");
      await rejects(manager.inventory.rejectSuggestion({ id: caseSuggestion, reason: "late" }), "CONFLICT");
      const [audit] = await sql<[{ count: number }]>`
        select count(*)::int as count from audit_log
        where action = 'reorder_suggestion.approved' and actor_name = 'mia'`;
      assert.equal(audit.count, 2);
      // the order is on its way: stock on order keeps the next run from suggesting the products again
      const rerun = await runReorderSuggestions(test.services);
      assert.equal(rerun.created, 0);
    });

    await t.step(
      "receiving a purchase order adds stock, records the delivery and rates the supplier",
      async () => {
        const [order] = (await viewer.purchaseOrders.list({ status: "ordered" })).items;
        // it was ordered ten days ago against a 5-day lead time, so arriving now is late
        await sql`
        update purchase_orders set ordered_at = now() - interval '10 days', expected_at = now() - interval '5 days'
        where id = ${order.id}`;
        events.length = 0;
        const received = await manager.purchaseOrders.receive({ id: order.id });
        assert.equal(received.onTime, false);
        assert.equal(received.status, "received");
        const [stock] = await sql<
          [{ stock: number }]
        >`select stock_quantity as stock from products where id = ${phone}`;
        const phoneLine = order.lines.find((line) => line.productId === phone)!;
        assert.equal(stock.stock, 30 + phoneLine.quantity);
        // one stock.changed per product received, each naming the order
        const stockEvents = () =>
          events.filter((event) => event.type === "stock.changed" && event.data.purchaseOrderId === order.id);
        await until(() => stockEvents().length >= 2, "two stock.changed");
        assert.equal(stockEvents().length, 2);
        await rejects(manager.purchaseOrders.receive({ id: order.id }), "CONFLICT");
        await rejects(manager.purchaseOrders.receive({ id: 999_999 }), "NOT_FOUND");
        // one late delivery out of one: FastCo's history (0% on time) replaces its catalog 95%
        const [planning] = await loadPlanningProducts(sql, { productIds: [phone] });
        const fast = planning.offers.find((offer) => offer.name === "FastCo")!;
        assert.equal(fast.reliability, 0);
        const slow = planning.offers.find((offer) => offer.name === "SlowCo")!;
        assert.equal(slow.reliability, 0.7);
      },
    );

    await t.step("reject needs a reason; snooze needs a future date", async () => {
      await sql`update products set stock_quantity = 20 where id = ${cable}`;
      await runReorderSuggestions(test.services);
      const { items } = await viewer.inventory.reorderSuggestions({});
      const cableSuggestion = items.find((s) => s.productId === cable)!;
      await rejects(
        manager.inventory.rejectSuggestion({ id: cableSuggestion.id, reason: " " }),
        "BAD_REQUEST",
      );
      await rejects(
        manager.inventory.snoozeSuggestion({ id: cableSuggestion.id, until: new Date(Date.now() - 1000) }),
        "BAD_REQUEST",
      );
      const snoozed = await manager.inventory.snoozeSuggestion({
        id: cableSuggestion.id,
        until: new Date(Date.now() + 2 * DAY),
      });
      assert.equal(snoozed.status, "snoozed");
      assert.equal(
        (await viewer.inventory.reorderSuggestions({})).items.some((s) => s.productId === cable),
        false,
      );
      assert.equal((await viewer.inventory.reorderSuggestions({ status: "snoozed" })).items.length, 1);
      const rejected = await manager.inventory.rejectSuggestion({
        id: cableSuggestion.id,
        reason: "Discontinued",
      });
      assert.equal(rejected.status, "rejected");
      assert.equal(rejected.decisionNote, "Discontinued");
    });

    await t.step("supplier weights default to 40/35/25 and managers can change them", async () => {
      assert.deepEqual(await viewer.inventory.supplierWeights(), {
        price: 0.4,
        reliability: 0.35,
        delivery: 0.25,
      });
      await rejects(
        viewer.inventory.setSupplierWeights({ price: 1, reliability: 0, delivery: 0 }),
        "FORBIDDEN",
      );
      await rejects(
        manager.inventory.setSupplierWeights({ price: 0, reliability: 0, delivery: 0 }),
        "BAD_REQUEST",
      );
      // price only: SlowCo's 9.90 beats FastCo's 10.00
      await manager.inventory.setSupplierWeights({ price: 1, reliability: 0, delivery: 0 });
      const low = await viewer.inventory.lowStock({ limit: 500 });
      const cableItem = low.items.find((item) => item.productId === cable)!;
      assert.equal(cableItem.supplier?.name, "SlowCo");
      assert.equal(cableItem.leadTimeDays, 30);
      assert.deepEqual(await viewer.inventory.supplierWeights(), { price: 1, reliability: 0, delivery: 0 });
    });
  } finally {
    stop();
    await test.close();
  }
});
