import assert from "node:assert/strict";
import { hashTransactionRequest } from "./request_hash.ts";
import { createTransactionInput } from "./schemas.ts";

Deno.test("hashTransactionRequest() is the same for both body forms and any line order", () => {
  const single = createTransactionInput.parse({
    customerId: 1,
    productId: 7,
    quantity: 2,
    paymentMethod: "card",
  });
  const items = createTransactionInput.parse({
    customerId: 1,
    items: [{ productId: 7, quantity: 2 }],
    paymentMethod: "card",
    idempotencyKey: "key-00000001",
  });
  assert.equal(hashTransactionRequest(single), hashTransactionRequest(items));
  const ab = createTransactionInput.parse({
    customerId: 1,
    items: [{ productId: 7, quantity: 2 }, { productId: 3, quantity: 1 }],
    paymentMethod: "card",
  });
  const ba = createTransactionInput.parse({
    customerId: 1,
    items: [{ productId: 3, quantity: 1 }, { productId: 7, quantity: 2 }],
    paymentMethod: "card",
  });
  assert.equal(hashTransactionRequest(ab), hashTransactionRequest(ba));
});

Deno.test("hashTransactionRequest() differs when the quantity, method or channel differ", () => {
  const base = { customerId: 1, productId: 7, quantity: 2, paymentMethod: "card" };
  const hash = hashTransactionRequest(createTransactionInput.parse(base));
  for (
    const change of [{ quantity: 3 }, { paymentMethod: "paypal" }, { channel: "store" }, { customerId: 2 }]
  ) {
    assert.notEqual(hashTransactionRequest(createTransactionInput.parse({ ...base, ...change })), hash);
  }
});
