import assert from "node:assert/strict";
import { paymentMethodLabel } from "./payment_labels.ts";

Deno.test("paymentMethodLabel() names payment methods as shoppers know them", () => {
  const cases: [string, string][] = [
    ["card", "Card"],
    ["paypal", "PayPal"],
    ["apple_pay", "Apple Pay"],
    ["bank_transfer", "Bank transfer"],
    ["store_credit_note", "store credit note"],
  ];
  for (const [method, label] of cases) assert.equal(paymentMethodLabel(method), label, method);
});
