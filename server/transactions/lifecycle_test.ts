import assert from "node:assert/strict";
import { transition } from "./lifecycle.ts";

Deno.test("transition() refunds only completed transactions and gives their stock back", () => {
  assert.deepEqual(transition("completed", "refund"), { ok: true, to: "refunded", restoresStock: true });
  for (const status of ["pending", "declined", "blocked", "cancelled", "refunded"]) {
    const result = transition(status, "refund");
    assert.equal(result.ok, false, status);
  }
});

Deno.test("transition() cancels pending and completed transactions, restoring their stock", () => {
  assert.deepEqual(transition("pending", "cancel"), { ok: true, to: "cancelled", restoresStock: true });
  assert.deepEqual(transition("completed", "cancel"), { ok: true, to: "cancelled", restoresStock: true });
  for (const status of ["declined", "blocked", "cancelled", "refunded"]) {
    assert.equal(transition(status, "cancel").ok, false, status);
  }
});

Deno.test("transition() explains a second refund in words", () => {
  const result = transition("refunded", "refund");
  assert.equal(result.ok, false);
  assert.match(
    !result.ok ? result.message : "",
    /^Cannot refund a refunded transaction \(it is already refunded\): only completed/,
  );
});
