import assert from "node:assert/strict";
import { createTransactionInput, listTransactionsInput } from "./schemas.ts";

Deno.test("createTransactionInput normalises the single-product form to one item", () => {
  assert.deepEqual(
    createTransactionInput.parse({ customerId: 4, productId: 9, quantity: 3, paymentMethod: "card" }),
    { customerId: 4, items: [{ productId: 9, quantity: 3 }], paymentMethod: "card", channel: "web" },
  );
});

Deno.test("createTransactionInput merges repeated products and keeps the first order of lines", () => {
  const order = createTransactionInput.parse({
    customerId: 4,
    items: [{ productId: 9, quantity: 1 }, { productId: 2, quantity: 1 }, { productId: 9, quantity: 2 }],
    paymentMethod: "paypal",
    channel: "mobile",
  });
  assert.deepEqual(order.items, [{ productId: 9, quantity: 3 }, { productId: 2, quantity: 1 }]);
});

Deno.test("createTransactionInput names the bad field of a bad order", () => {
  const cases: [unknown, string][] = [
    [{ customerId: 4, paymentMethod: "card" }, "items"],
    [{ customerId: 4, items: [{ productId: 1, quantity: 0 }], paymentMethod: "card" }, "items.0.quantity"],
    [{ customerId: 4, items: [], paymentMethod: "card" }, "items"],
    [
      { customerId: 4, items: [{ productId: 1, quantity: 1 }], productId: 1, paymentMethod: "card" },
      "productId",
    ],
    [{ customerId: -1, productId: 1, paymentMethod: "card" }, "customerId"],
    [{ customerId: 4, productId: 1, paymentMethod: "Cash!" }, "paymentMethod"],
    [{ customerId: 4, productId: 1.5, paymentMethod: "card" }, "productId"],
  ];
  for (const [body, path] of cases) {
    const result = createTransactionInput.safeParse(body);
    assert.equal(result.success, false, JSON.stringify(body));
    assert.ok(
      result.error!.issues.some((issue) => issue.path.join(".") === path),
      `${JSON.stringify(body)} -> ${JSON.stringify(result.error!.issues.map((i) => i.path.join(".")))}`,
    );
  }
});

Deno.test("listTransactionsInput reads query-string flags and rejects an inverted range", () => {
  assert.equal(listTransactionsInput.parse({ suspicious: "false" }).suspicious, false);
  assert.equal(listTransactionsInput.parse({ suspicious: "true" }).suspicious, true);
  assert.equal(listTransactionsInput.safeParse({ minAmountCents: 10, maxAmountCents: 5 }).success, false);
  assert.equal(
    listTransactionsInput.safeParse({ from: "2025-01-02T00:00:00Z", to: "2025-01-01T00:00:00Z" }).success,
    false,
  );
});
