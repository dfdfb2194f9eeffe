import assert from "node:assert/strict";
import { TRPCError } from "@trpc/server";
import { invalidate } from "../cache.ts";
import { openTestServices } from "../testing/test_services.ts";
import { loadPlanningProducts } from "./planning_queries.ts";
import { insertPurchaseOrder } from "./purchase_order_queries.ts";
import { insertOffer, insertProduct, insertSupplier } from "./inventory_fixtures.ts";

Deno.test("partial receipts, backorders and short close against the real database", async (t) => {
  const test = await openTestServices();
  const { sql } = test.services.db;
  const manager = test.api("manager", { userId: 7, username: "mia" });
  await invalidate(test.services.kv, ["inventory"]);
  const stock = async (id: number) =>
    (await sql<[{ stock_quantity: number }]>`select stock_quantity from products where id = ${id}`)[0]
      .stock_quantity;
  const code = async (promise: Promise<unknown>) => {
    try {
      await promise;
    } catch (error) {
      assert.ok(error instanceof TRPCError, String(error));
      return error.code;
    }
    assert.fail("expected the call to fail");
  };
  try {
    const supplier = await insertSupplier(sql, { name: "PartCo", reliability: 0.9 });
    const phone = await insertProduct(sql, { name: "Phone", stock: 5 });
    const case_ = await insertProduct(sql, { name: "Case", stock: 0 });
    for (const productId of [phone, case_]) {
      await insertOffer(sql, { productId, supplierId: supplier, unitCostCents: 1000, leadTimeDays: 5 });
    }
    const order = (lines: { productId: number; quantity: number }[]) =>
      sql.begin((tx) =>
        insertPurchaseOrder(tx, {
          supplierId: supplier,
          lines: lines.map((l) => ({ ...l, suggestionId: null, unitCostCents: 1000, leadTimeDays: 5 })),
          orderedBy: 7,
          now: new Date(Date.now() - 1000),
        })
      );

    await t.step(
      "a partial delivery adds only what arrived; the rest is on backorder and still on order",
      async () => {
        const id = await order([{ productId: phone, quantity: 10 }, { productId: case_, quantity: 6 }]);
        const part = await manager.purchaseOrders.receive({ id, lines: [{ productId: phone, quantity: 4 }] });
        assert.equal(part.status, "partially_received");
        assert.deepEqual(part.lines.map((l) => [l.productId, l.quantity, l.receivedQuantity]), [
          [phone, 10, 4],
          [case_, 6, 0],
        ]);
        assert.equal(await stock(phone), 9);
        assert.equal(await stock(case_), 0);
        const [planned] = await loadPlanningProducts(sql, { productIds: [phone] });
        assert.equal(planned.onOrder, 6, "the backorder still counts as on order");

        assert.equal(
          await code(manager.purchaseOrders.receive({ id, lines: [{ productId: phone, quantity: 7 }] })),
          "CONFLICT",
        );
        assert.equal(
          await code(manager.purchaseOrders.receive({ id, lines: [{ productId: 999_999, quantity: 1 }] })),
          "BAD_REQUEST",
        );
        assert.equal(await stock(phone), 9);

        // the rest, without lines
        const rest = await manager.purchaseOrders.receive({ id });
        assert.equal(rest.status, "received");
        assert.equal(await stock(phone), 15);
        assert.equal(await stock(case_), 6);
        const [{ receipts }] = await sql<[{ receipts: number }]>`
        select count(*)::int as receipts from purchase_order_receipts where purchase_order_id = ${id}`;
        assert.equal(receipts, 2);
        assert.equal(await code(manager.purchaseOrders.receive({ id })), "CONFLICT");
        assert.equal(await code(manager.purchaseOrders.closeShort({ id })), "CONFLICT");
      },
    );

    await t.step("close short ends the order: the missing units stop counting as on order", async () => {
      const before = await stock(case_);
      const id = await order([{ productId: case_, quantity: 8 }]);
      assert.equal(await code(manager.purchaseOrders.closeShort({ id })), "CONFLICT", "nothing received yet");
      await manager.purchaseOrders.receive({ id, lines: [{ productId: case_, quantity: 3 }] });
      const closed = await manager.purchaseOrders.closeShort({ id, reason: "Out of production" });
      assert.equal(closed.status, "closed_short");
      assert.equal(await stock(case_), before + 3);
      const [planned] = await loadPlanningProducts(sql, { productIds: [case_] });
      assert.equal(planned.onOrder, 0);
      assert.equal(await code(manager.purchaseOrders.receive({ id })), "CONFLICT");
    });

    await t.step(
      "deliveries at once never exceed the ordered quantity: stock = initial + received",
      async () => {
        const initial = await stock(phone);
        const id = await order([{ productId: phone, quantity: 10 }]);
        const sizes = [6, 6, 1, 1, 1, 1, 1, 1];
        const results = await Promise.allSettled(
          sizes.map((quantity) =>
            manager.purchaseOrders.receive({ id, lines: [{ productId: phone, quantity }] })
          ),
        );
        const [{ received }] = await sql<[{ received: number }]>`
        select received_quantity as received from purchase_order_lines where purchase_order_id = ${id}`;
        assert.ok(received <= 10, `received ${received}`);
        const [{ sum }] = await sql<[{ sum: number }]>`
        select coalesce(sum(rl.quantity), 0)::int as sum from purchase_order_receipt_lines rl
        join purchase_order_receipts r on r.id = rl.receipt_id where r.purchase_order_id = ${id}`;
        assert.equal(sum, received, "the receipts add up to the line's received quantity");
        assert.equal(await stock(phone), initial + received);
        for (const r of results) {
          if (r.status === "rejected") {
            assert.equal((r.reason as TRPCError).code, "CONFLICT", String(r.reason));
          }
        }
        const accepted = sizes.filter((_, i) => results[i].status === "fulfilled").reduce((a, b) => a + b, 0);
        assert.equal(received, accepted, "exactly the accepted deliveries were added");
        assert.ok(accepted >= 6, `accepted ${accepted}`);
      },
    );
  } finally {
    await test.close();
  }
});
