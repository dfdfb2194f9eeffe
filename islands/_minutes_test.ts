import assert from "node:assert/strict";
import { addSale, advanceWindow, type MinuteBucket } from "./_minutes.ts";

function window(startIso: string, count: number): MinuteBucket[] {
  const start = new Date(startIso).getTime();
  return Array.from({ length: count }, (_, i) => ({
    minute: new Date(start + i * 60_000),
    orders: i,
    revenueCents: i * 100,
  }));
}

Deno.test("advanceWindow() keeps the length, adds empty minutes and drops the oldest", () => {
  const before = window("2024-05-01T10:00:00Z", 3);
  const after = advanceWindow(before, "2024-05-01T10:04:30Z");
  assert.deepEqual(after.map((b) => b.minute.toISOString().slice(11, 16)), ["10:02", "10:03", "10:04"]);
  assert.deepEqual(after.map((b) => b.orders), [2, 0, 0]);
  assert.equal(
    advanceWindow(before, "2024-05-01T10:02:59Z"),
    before,
    "a time inside the window changes nothing",
  );
});

Deno.test("advanceWindow() after a long pause starts a fresh window", () => {
  const after = advanceWindow(window("2024-05-01T10:00:00Z", 3), "2024-05-01T12:00:10Z");
  assert.deepEqual(after.map((b) => [b.minute.toISOString().slice(11, 16), b.orders]), [["11:58", 0], [
    "11:59",
    0,
  ], [
    "12:00",
    0,
  ]]);
});

Deno.test("addSale() counts a completed sale in its minute and ignores other statuses and old sales", () => {
  const before = window("2024-05-01T10:00:00Z", 3);
  const after = addSale(before, { createdAt: "2024-05-01T10:01:40Z", totalCents: 250, status: "completed" });
  assert.deepEqual(after[1], { minute: new Date("2024-05-01T10:01:00.000Z"), orders: 2, revenueCents: 350 });
  assert.equal(
    addSale(before, { createdAt: "2024-05-01T10:01:40Z", totalCents: 250, status: "blocked" }),
    before,
  );
  assert.deepEqual(
    addSale(before, { createdAt: "2024-05-01T09:00:00Z", totalCents: 250, status: "completed" }),
    before,
  );
});

Deno.test("addSale() slides the window for a sale in a new minute", () => {
  const after = addSale(window("2024-05-01T10:00:00Z", 3), {
    createdAt: "2024-05-01T10:03:05Z",
    totalCents: 999,
    status: "completed",
  });
  assert.deepEqual(after.at(-1), {
    minute: new Date("2024-05-01T10:03:00.000Z"),
    orders: 1,
    revenueCents: 999,
  });
  assert.equal(after.length, 3);
});
