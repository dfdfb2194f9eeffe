import assert from "node:assert/strict";
import { addOrderLine, newestOrderTime, type Order, type OrderLineInput, orderTotals } from "./orders.ts";

function line(overrides: Partial<OrderLineInput>): OrderLineInput {
  return {
    line: 2,
    orderRef: "T-1",
    createdAt: new Date("2025-01-01T10:00:00Z"),
    customerCode: "C-1",
    sku: "PHN-1",
    quantity: 1,
    unitPriceCents: 49999,
    paymentMethod: "card",
    channel: "web",
    status: "completed",
    ...overrides,
  };
}

Deno.test("addOrderLine() groups lines by order_ref even when they are not adjacent", () => {
  const orders = new Map<string, Order>();
  assert.equal(addOrderLine(orders, line({ line: 2 })), null);
  assert.equal(addOrderLine(orders, line({ line: 3, orderRef: "T-2" })), null);
  assert.equal(
    addOrderLine(orders, line({ line: 4, sku: "ACC-1", quantity: 3, unitPriceCents: 1499 })),
    null,
  );
  assert.deepEqual(orders.get("T-1")!.items.map((i) => [i.line, i.sku]), [[2, "PHN-1"], [4, "ACC-1"]]);
  assert.equal(orders.size, 2);
});

Deno.test("addOrderLine() dates an order by its earliest line", () => {
  const orders = new Map<string, Order>();
  addOrderLine(orders, line({ createdAt: new Date("2025-01-01T10:01:00Z") }));
  addOrderLine(orders, line({ line: 3, createdAt: new Date("2025-01-01T10:00:00Z") }));
  assert.equal(orders.get("T-1")!.createdAt.toISOString(), "2025-01-01T10:00:00.000Z");
});

Deno.test("addOrderLine() rejects a line that contradicts its order's customer, payment, channel or status", () => {
  const orders = new Map<string, Order>();
  addOrderLine(orders, line({}));
  assert.equal(
    addOrderLine(orders, line({ line: 5, status: "refunded" })),
    'Order "T-1" has status "completed" on line 2, this line says "refunded"',
  );
  assert.equal(
    addOrderLine(orders, line({ line: 6, customerCode: null })),
    'Order "T-1" has customer "C-1" on line 2, this line says ""',
  );
  assert.equal(orders.get("T-1")!.items.length, 1);
});

Deno.test("orderTotals() sums cents and units without discount", () => {
  assert.deepEqual(
    orderTotals([{ quantity: 1, unitPriceCents: 49999 }, { quantity: 3, unitPriceCents: 1499 }]),
    {
      subtotalCents: 54496,
      discountCents: 0,
      totalCents: 54496,
      itemCount: 4,
    },
  );
  assert.deepEqual(orderTotals([]), { subtotalCents: 0, discountCents: 0, totalCents: 0, itemCount: 0 });
});

Deno.test("newestOrderTime() finds the latest order, or null without orders", () => {
  const orders = new Map<string, Order>();
  assert.equal(newestOrderTime(orders.values()), null);
  addOrderLine(orders, line({ orderRef: "A", createdAt: new Date("2025-01-02T00:00:00Z") }));
  addOrderLine(orders, line({ orderRef: "B", createdAt: new Date("2025-01-03T00:00:00Z") }));
  addOrderLine(orders, line({ orderRef: "C", createdAt: new Date("2025-01-01T00:00:00Z") }));
  assert.equal(newestOrderTime(orders.values())?.toISOString(), "2025-01-03T00:00:00.000Z");
});
