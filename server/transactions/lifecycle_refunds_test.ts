import assert from "node:assert/strict";
import { planRefund, unitsNotRefunded } from "./lifecycle_refunds.ts";

const sold = [
  { productId: 1, quantity: 3, lineTotalCents: 1000 },
  { productId: 2, quantity: 1, lineTotalCents: 999 },
];

Deno.test("planRefund() prices units from the line and keeps the sale completed until every unit is back", () => {
  const plan = planRefund({
    sold,
    refunded: [],
    requested: [{ productId: 1, quantity: 1, restock: true }],
    subtotalCents: 1999,
    totalCents: 1999,
  });
  assert.deepEqual(plan, {
    ok: true,
    lines: [{ productId: 1, quantity: 1, restock: true, amountCents: 333 }],
    amountCents: 333,
    fullyRefunded: false,
  });
});

Deno.test("planRefund() adds up to exactly the sale's total (discount included) in any order of refunds", () => {
  const subtotalCents = 1999, totalCents = 1799; // 2.00 off
  let refunded: { productId: number; quantity: number }[] = [];
  let paid = 0;
  for (const step of [[1, 1], [2, 1], [1, 1], [1, 1]]) {
    const plan = planRefund({
      sold,
      refunded,
      requested: [{ productId: step[0], quantity: step[1], restock: false }],
      subtotalCents,
      totalCents,
    });
    assert.ok(plan.ok);
    paid += plan.amountCents;
    refunded = [...refunded, { productId: step[0], quantity: step[1] }];
    assert.equal(plan.fullyRefunded, refunded.reduce((s, r) => s + r.quantity, 0) === 4);
  }
  assert.equal(paid, totalCents);
});

Deno.test("planRefund() refuses more units than are left, products not on the sale, and a product twice", () => {
  const base = { sold, subtotalCents: 1999, totalCents: 1999 };
  const over = planRefund({
    ...base,
    refunded: [{ productId: 1, quantity: 2 }],
    requested: [{ productId: 1, quantity: 2, restock: true }],
  });
  assert.deepEqual(over, { ok: false, message: "Only 1 of 3 units of product 1 are left to refund" });
  const foreign = planRefund({
    ...base,
    refunded: [],
    requested: [{ productId: 9, quantity: 1, restock: true }],
  });
  assert.equal(foreign.ok, false);
  const twice = planRefund({
    ...base,
    refunded: [],
    requested: [{ productId: 2, quantity: 1, restock: true }, { productId: 2, quantity: 1, restock: false }],
  });
  assert.equal(twice.ok, false);
  assert.equal(planRefund({ ...base, refunded: [], requested: [] }).ok, false);
});

Deno.test("unitsNotRefunded() leaves out units any refund gave back, restocked or not", () => {
  assert.deepEqual(
    unitsNotRefunded([{ productId: 1, quantity: 3 }, { productId: 2, quantity: 1 }], [
      { productId: 1, quantity: 2 },
      { productId: 2, quantity: 1 },
    ]),
    [{ productId: 1, quantity: 1 }],
  );
});
