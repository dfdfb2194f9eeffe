import assert from "node:assert/strict";
import { createRandom, generateSampleData } from "./generate.ts";

function rows(csv: string): string[][] {
  return csv.trimEnd().split("\n").slice(1).map((line) => line.split(","));
}

Deno.test("generateSampleData() is deterministic for a seed and differs for another", () => {
  const small = { transactions: 300, days: 30 };
  assert.deepEqual(generateSampleData({ ...small, seed: 7 }), generateSampleData({ ...small, seed: 7 }));
  assert.notEqual(
    generateSampleData({ ...small, seed: 7 })["transactions.csv"],
    generateSampleData({ ...small, seed: 8 })["transactions.csv"],
  );
});

Deno.test("generateSampleData() with the defaults reproduces the committed sample byte for byte", async () => {
  const files = generateSampleData();
  for (const [name, text] of Object.entries(files)) {
    assert.equal(text, await Deno.readTextFile(new URL(`./sample/${name}`, import.meta.url)), name);
  }
});

Deno.test("generateSampleData() honours --transactions and --days and keeps orders inside the window", () => {
  const end = new Date("2025-03-31T00:00:00Z");
  const files = generateSampleData({ transactions: 1200, days: 30 });
  const lines = rows(files["transactions.csv"]);
  assert.equal(new Set(lines.map((row) => row[0])).size, 1200);
  for (const row of lines) {
    const at = Date.parse(row[1]);
    assert.ok(at < end.getTime() && at >= end.getTime() - 30 * 86_400_000, row[1]);
  }
});

Deno.test("the default sample has a weekly pattern, mixed statuses, a fraud-like burst and products near stock-out", () => {
  const files = generateSampleData();
  const lines = rows(files["transactions.csv"]);
  const orders = new Map(lines.map((row) => [row[0], row]));
  const perWeekday = [0, 0, 0, 0, 0, 0, 0];
  for (const row of orders.values()) perWeekday[new Date(row[1]).getUTCDay()]++;
  // Saturday clearly busier than Tuesday: a weekly-seasonal forecast has something to find
  assert.ok(perWeekday[6] > perWeekday[2] * 1.5, `weekday counts ${perWeekday}`);

  const statuses = new Set([...orders.values()].map((row) => row[8]));
  assert.deepEqual([...statuses].sort(), ["cancelled", "completed", "declined", "refunded"]);

  // A burst: one customer with 6+ orders inside 30 minutes
  const byCustomer = Map.groupBy([...orders.values()], (row) => row[2]);
  const burst = [...byCustomer.values()].some((list) => {
    const times = list.map((row) => Date.parse(row[1])).sort((a, b) => a - b);
    return times.some((t, i) => i + 5 < times.length && times[i + 5] - t <= 30 * 60_000);
  });
  assert.ok(burst, "a customer places 6 orders within 30 minutes");

  const unitsLast28 = new Map<string, number>();
  const end = Date.parse("2025-03-31T00:00:00Z");
  for (const row of lines) {
    if (Date.parse(row[1]) >= end - 28 * 86_400_000) {
      unitsLast28.set(row[3], (unitsLast28.get(row[3]) ?? 0) + Number(row[4]));
    }
  }
  const products = rows(files["products.csv"]);
  const nearStockOut = products.filter((p) => Number(p[6]) < ((unitsLast28.get(p[0]) ?? 0) / 28) * 7);
  assert.ok(nearStockOut.length >= 3, `${nearStockOut.length} products with under a week of stock`);
});

Deno.test("createRandom() yields numbers in [0, 1) and repeats its sequence for a seed", () => {
  const a = createRandom(42);
  const b = createRandom(42);
  for (let i = 0; i < 1000; i++) {
    const x = a.next();
    assert.ok(x >= 0 && x < 1);
    assert.equal(x, b.next());
  }
});
