import assert from "node:assert/strict";
import { insertProduct } from "../inventory/inventory_fixtures.ts";
import { openTestServices } from "../testing/test_services.ts";
import { adjustStock, receiveStock, returnStock, stockChangedEvents, takenBySale } from "./stock.ts";

Deno.test("takenBySale() names a sale's takings as negative changes, lines of one product added up", () => {
  const changes = takenBySale(
    41,
    [{ productId: 2, quantity: 1 }, { productId: 1, quantity: 3 }, { productId: 2, quantity: 2 }],
    [{ productId: 1, stockQuantity: 7 }, { productId: 2, stockQuantity: 0 }],
  );
  assert.deepEqual(changes, [
    { productId: 1, stockQuantity: 7, change: -3, reason: "sale", transactionId: 41, purchaseOrderId: null },
    { productId: 2, stockQuantity: 0, change: -3, reason: "sale", transactionId: 41, purchaseOrderId: null },
  ]);
  assert.deepEqual(stockChangedEvents(changes).map((event) => event.type), [
    "stock.changed",
    "stock.changed",
  ]);
});

Deno.test("the stock module's writers return one shape of change each", async (t) => {
  const test = await openTestServices();
  const { sql } = test.services.db;
  try {
    const phone = await insertProduct(sql, { stock: 5 });
    const cable = await insertProduct(sql, { stock: 2 });

    await t.step("returnStock() gives units back in product-id order, naming the sale", async () => {
      const changes = await sql.begin((tx) =>
        returnStock(tx, [{ productId: cable, quantity: 1 }, { productId: phone, quantity: 2 }], {
          reason: "refund",
          transactionId: 9,
        })
      );
      assert.deepEqual(changes, [
        {
          productId: phone,
          stockQuantity: 7,
          change: 2,
          reason: "refund",
          transactionId: 9,
          purchaseOrderId: null,
        },
        {
          productId: cable,
          stockQuantity: 3,
          change: 1,
          reason: "refund",
          transactionId: 9,
          purchaseOrderId: null,
        },
      ]);
    });

    await t.step("receiveStock() adds delivered units, naming the purchase order", async () => {
      const [change] = await sql.begin((tx) =>
        receiveStock(tx, [{ productId: cable, quantity: 10 }], { purchaseOrderId: 4 })
      );
      assert.deepEqual(change, {
        productId: cable,
        stockQuantity: 13,
        change: 10,
        reason: "received",
        transactionId: null,
        purchaseOrderId: 4,
      });
    });

    await t.step(
      "adjustStock() sets a count and says how far it moved; an equal count moves nothing",
      async () => {
        const change = await sql.begin((tx) => adjustStock(tx, phone, 4));
        assert.deepEqual(change, {
          productId: phone,
          stockQuantity: 4,
          change: -3,
          reason: "adjusted",
          transactionId: null,
          purchaseOrderId: null,
        });
        assert.equal(await sql.begin((tx) => adjustStock(tx, phone, 4)), undefined);
        assert.equal(await sql.begin((tx) => adjustStock(tx, 999_999, 4)), undefined);
        const [row] = await sql<
          [{ stock: number }]
        >`select stock_quantity as stock from products where id = ${phone}`;
        assert.equal(row.stock, 4);
      },
    );
  } finally {
    await test.close();
  }
});
