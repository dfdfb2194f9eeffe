import assert from "node:assert/strict";
import { planReceipt } from "./receipts.ts";

const lines = [
  { productId: 1, quantity: 10, receivedQuantity: 0 },
  { productId: 2, quantity: 5, receivedQuantity: 3 },
];

Deno.test("planReceipt() without lines receives everything still outstanding", () => {
  assert.deepEqual(planReceipt(lines), {
    ok: true,
    lines: [{ productId: 1, quantity: 10 }, { productId: 2, quantity: 2 }],
    status: "received",
  });
});

Deno.test("planReceipt() with some units leaves the rest on backorder until every unit is in", () => {
  assert.deepEqual(planReceipt(lines, [{ productId: 2, quantity: 2 }, { productId: 1, quantity: 4 }]), {
    ok: true,
    lines: [{ productId: 1, quantity: 4 }, { productId: 2, quantity: 2 }],
    status: "partially_received",
  });
  const rest = planReceipt([{ productId: 1, quantity: 10, receivedQuantity: 4 }, lines[1]], [
    { productId: 1, quantity: 6 },
    { productId: 2, quantity: 2 },
  ]);
  assert.equal(rest.ok && rest.status, "received");
});

Deno.test("planReceipt() refuses more than is still to come, strangers, doubles and an empty delivery", () => {
  assert.deepEqual(planReceipt(lines, [{ productId: 2, quantity: 3 }]), {
    ok: false,
    message: "Only 2 of 5 units of product 2 are still to come",
  });
  assert.equal(planReceipt(lines, [{ productId: 9, quantity: 1 }]).ok, false);
  assert.equal(planReceipt(lines, [{ productId: 1, quantity: 1 }, { productId: 1, quantity: 1 }]).ok, false);
  assert.equal(planReceipt(lines, [{ productId: 1, quantity: 0 }]).ok, false);
  const done = lines.map((line) => ({ ...line, receivedQuantity: line.quantity }));
  assert.equal(planReceipt(done).ok, false);
});
