import assert from "node:assert/strict";
import { formatCents, formatChange, formatCount } from "./format.ts";

Deno.test("formatCents() shows pounds with pence and separators", () => {
  assert.equal(formatCents(123456), "£1,234.56");
  assert.equal(formatCents(0), "£0.00");
});

Deno.test("formatCount() groups thousands", () => {
  assert.equal(formatCount(5012), "5,012");
});

Deno.test("formatChange() signs the percentage and names a start from zero", () => {
  assert.equal(formatChange(110, 100), "+10.0%");
  assert.equal(formatChange(97, 100), "-3.0%");
  assert.equal(formatChange(5, 0), "new");
  assert.equal(formatChange(0, 0), "0.0%");
});
