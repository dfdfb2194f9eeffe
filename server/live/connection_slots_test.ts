import assert from "node:assert/strict";
import { createConnectionSlots } from "./connection_slots.ts";

Deno.test("take() refuses an owner's socket beyond the limit and frees the slot on release", () => {
  const slots = createConnectionSlots(2);
  const first = slots.take("user:1")!;
  assert.ok(slots.take("user:1"));
  assert.equal(slots.take("user:1"), null);
  assert.ok(slots.take("user:2"), "another user is not affected");
  first();
  first(); // releasing twice frees one slot only
  assert.equal(slots.count("user:1"), 1);
  assert.ok(slots.take("user:1"));
  assert.equal(slots.take("user:1"), null);
  assert.equal(slots.count(), 3);
});
