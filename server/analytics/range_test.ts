import assert from "node:assert/strict";
import { changeRate, previousRange, resolveRange } from "./range.ts";

const now = new Date("2026-05-10T12:00:00Z");

Deno.test("resolveRange() defaults to the last `days` days up to now", () => {
  const [from, to] = resolveRange({ days: 7 }, now);
  assert.equal(to.toISOString(), now.toISOString());
  assert.equal(from.toISOString(), "2026-05-03T12:00:00.000Z");
});

Deno.test("resolveRange() refuses an empty, reversed or over-long range", () => {
  assert.throws(
    () => resolveRange({ from: "2026-05-10T00:00:00Z", to: "2026-05-09T00:00:00Z", days: 1 }, now),
    /before/,
  );
  assert.throws(() => resolveRange({ from: "2024-01-01T00:00:00Z", days: 1 }, now), /at most 366 days/);
});

Deno.test("previousRange() is the span of equal length just before", () => {
  const [from, to] = previousRange([new Date("2026-05-03T00:00:00Z"), new Date("2026-05-10T00:00:00Z")]);
  assert.deepEqual([from.toISOString(), to.toISOString()], [
    "2026-04-26T00:00:00.000Z",
    "2026-05-03T00:00:00.000Z",
  ]);
});

Deno.test("changeRate() is relative, and null when growing from nothing", () => {
  assert.equal(changeRate(125, 100), 0.25);
  assert.equal(changeRate(50, 100), -0.5);
  assert.equal(changeRate(0, 0), 0);
  assert.equal(changeRate(5, 0), null);
});
