import assert from "node:assert/strict";
import superjson from "superjson";
import { DEFAULT_SUPPLIER_WEIGHTS, scoreSuppliers, type SupplierCandidate } from "./supplier_score.ts";

function supplier(
  overrides: Partial<SupplierCandidate> & { supplierId: number; name: string },
): SupplierCandidate {
  return { unitCostCents: 1000, leadTimeDays: 5, reliability: 0.9, minOrderQty: 1, ...overrides };
}

function near(actual: number, expected: number): void {
  assert.ok(Math.abs(actual - expected) < 1e-9, `expected ${expected}, got ${actual}`);
}

Deno.test("scoreSuppliers() ranks the cheaper of two equally reliable and fast suppliers first", () => {
  const { ranked, winner, reason } = scoreSuppliers([
    supplier({ supplierId: 1, name: "Dearco", unitCostCents: 1250 }),
    supplier({ supplierId: 2, name: "Cheapco", unitCostCents: 1000 }),
  ]);
  assert.equal(winner?.name, "Cheapco");
  assert.deepEqual(ranked.map((s) => s.rank), [1, 2]);
  near(ranked[1].scores.price, 0.8);
  near(ranked[0].total, 0.4 + 0.35 * 0.9 + 0.25);
  near(ranked[1].total, 0.4 * 0.8 + 0.35 * 0.9 + 0.25);
  assert.match(reason, /^Cheapco scores 0\.97 against Dearco's 0\.89: cheaper at £10\.00 against £12\.50$/);
});

Deno.test("scoreSuppliers() computes each criterion against the best offer, hand-checked", () => {
  // Price: 800/800, 800/1000. Delivery: (2+1)/(2+1), (2+1)/(5+1). Reliability as given.
  const { ranked } = scoreSuppliers([
    supplier({ supplierId: 1, name: "A", unitCostCents: 800, leadTimeDays: 5, reliability: 0.99 }),
    supplier({ supplierId: 2, name: "B", unitCostCents: 1000, leadTimeDays: 2, reliability: 0.8 }),
  ]);
  const a = ranked.find((s) => s.name === "A")!;
  const b = ranked.find((s) => s.name === "B")!;
  assert.deepEqual(a.scores, { price: 1, reliability: 0.99, delivery: 0.5 });
  assert.deepEqual(b.scores, { price: 0.8, reliability: 0.8, delivery: 1 });
  near(a.total, 0.4 + 0.3465 + 0.125);
  near(b.total, 0.32 + 0.28 + 0.25);
  assert.equal(a.rank, 1);
});

Deno.test("scoreSuppliers() explains a win that outweighs a weaker criterion", () => {
  const { reason } = scoreSuppliers([
    supplier({ supplierId: 1, name: "A", unitCostCents: 800, leadTimeDays: 5, reliability: 0.99 }),
    supplier({ supplierId: 2, name: "B", unitCostCents: 1000, leadTimeDays: 2, reliability: 0.8 }),
  ]);
  assert.equal(
    reason,
    "A scores 0.87 against B's 0.85: cheaper at £8.00 against £10.00 and more reliable (99% on time against " +
      "80% on time), which outweighs that it is slower (5 days against 2 days)",
  );
});

Deno.test("scoreSuppliers() weights change the winner", () => {
  const candidates = [
    supplier({ supplierId: 1, name: "A", unitCostCents: 800, leadTimeDays: 5, reliability: 0.99 }),
    supplier({ supplierId: 2, name: "B", unitCostCents: 1000, leadTimeDays: 2, reliability: 0.8 }),
  ];
  assert.equal(scoreSuppliers(candidates, { price: 0, reliability: 0, delivery: 1 }).winner?.name, "B");
  // Weights are normalized, so 4/3.5/2.5 behaves like the default 0.40/0.35/0.25.
  const scaled = scoreSuppliers(candidates, { price: 4, reliability: 3.5, delivery: 2.5 });
  assert.deepEqual(scaled.weights, { price: 0.4, reliability: 0.35, delivery: 0.25 });
  assert.equal(scaled.ranked[0].total, scoreSuppliers(candidates).ranked[0].total);
});

Deno.test("scoreSuppliers() gives a single candidate full marks on price and delivery", () => {
  const { ranked, winner, reason } = scoreSuppliers([
    supplier({ supplierId: 7, name: "Solo", reliability: 0.95 }),
  ]);
  assert.equal(ranked.length, 1);
  assert.deepEqual(winner?.scores, { price: 1, reliability: 0.95, delivery: 1 });
  assert.equal(reason, "Solo is the only supplier (£10.00 a unit, 95% on time, 5 days lead time)");
});

Deno.test("scoreSuppliers() breaks an exact tie by reliability, then price, then supplier id", () => {
  // Same total: identical offers apart from the id.
  const twins = scoreSuppliers([
    supplier({ supplierId: 9, name: "Nine" }),
    supplier({ supplierId: 3, name: "Three" }),
  ]);
  assert.equal(twins.winner?.name, "Three");
  assert.match(twins.reason, /^Three ties with Nine at 0\.97 and is chosen for coming first by supplier id/);
  // Same total, different mix: price weight only, both cost the same, the more reliable wins the tie.
  const tie = scoreSuppliers(
    [
      supplier({ supplierId: 1, name: "Shaky", reliability: 0.5 }),
      supplier({ supplierId: 2, name: "Solid" }),
    ],
    { price: 1, reliability: 0, delivery: 0 },
  );
  assert.equal(tie.winner?.name, "Solid");
  assert.match(tie.reason, /chosen for higher reliability/);
});

Deno.test("scoreSuppliers() assumes the lowest known reliability for a supplier without a record and says so", () => {
  const { ranked } = scoreSuppliers([
    supplier({ supplierId: 1, name: "Known", reliability: 0.7 }),
    supplier({ supplierId: 2, name: "Other", reliability: 0.9 }),
    supplier({ supplierId: 3, name: "New", reliability: null }),
  ]);
  const unknown = ranked.find((s) => s.name === "New")!;
  assert.equal(unknown.reliabilityKnown, false);
  assert.equal(unknown.scores.reliability, 0.7);
  // Tied with "Known" on every score: the known record wins the tie.
  assert.ok(ranked.findIndex((s) => s.name === "Known") < ranked.findIndex((s) => s.name === "New"));
});

Deno.test("scoreSuppliers() uses the configured reliability for missing records, and 0.5 when none is known", () => {
  const none = scoreSuppliers([
    supplier({ supplierId: 1, name: "A", reliability: undefined, unitCostCents: 900 }),
    supplier({ supplierId: 2, name: "B", reliability: null }),
  ]);
  assert.ok(none.ranked.every((s) => s.scores.reliability === 0.5 && !s.reliabilityKnown));
  assert.equal(none.winner?.name, "A");
  assert.match(none.reason, /no record against no record|cheaper/);
  const configured = scoreSuppliers(
    [supplier({ supplierId: 1, name: "A", reliability: null }), supplier({ supplierId: 2, name: "B" })],
    DEFAULT_SUPPLIER_WEIGHTS,
    { missingReliability: 0.95 },
  );
  assert.equal(configured.winner?.name, "A");
  assert.match(configured.reason, /more reliable \(no delivery record|no record against 90% on time/);
});

Deno.test("scoreSuppliers() with no candidates has no winner and says so", () => {
  const result = scoreSuppliers([]);
  assert.equal(result.winner, null);
  assert.equal(result.reason, "No supplier offers this product");
});

Deno.test("scoreSuppliers() rejects negative costs, bad reliabilities and all-zero weights", () => {
  assert.throws(
    () => scoreSuppliers([supplier({ supplierId: 1, name: "A", unitCostCents: -1 })]),
    RangeError,
  );
  assert.throws(() => scoreSuppliers([supplier({ supplierId: 1, name: "A", reliability: 1.2 })]), RangeError);
  assert.throws(() =>
    scoreSuppliers([supplier({ supplierId: 1, name: "A" })], { price: 0, reliability: 0, delivery: 0 })
  );
});

Deno.test('scoreSuppliers() never says "more reliable" between figures that read the same', () => {
  // 80.4% and 79.6% both round to 80%: the sentence shows one decimal instead
  const close = scoreSuppliers([
    supplier({ supplierId: 1, name: "A", unitCostCents: 46342, reliability: 0.804 }),
    supplier({ supplierId: 2, name: "B", unitCostCents: 43530, reliability: 0.796, leadTimeDays: 9 }),
  ]);
  assert.doesNotMatch(close.reason, /\((\d+%) on time against \1 on time\)/);
  assert.match(close.reason, /80\.4% on time against 79\.6% on time/);
  assert.match(close.reason, /costs £463\.42 against £435\.30/);
  // identical records are no reason either way
  const same = scoreSuppliers([
    supplier({ supplierId: 1, name: "A", unitCostCents: 900, reliability: 0.8 }),
    supplier({ supplierId: 2, name: "B", unitCostCents: 1000, reliability: 0.8 }),
  ]);
  assert.doesNotMatch(same.reason, /reliable/);
});

Deno.test("scoreSuppliers() shows a third digit where two digits would read as a tie", () => {
  const { reason } = scoreSuppliers([
    supplier({ supplierId: 1, name: "A", unitCostCents: 1000, leadTimeDays: 5, reliability: 0.95 }),
    supplier({ supplierId: 2, name: "B", unitCostCents: 1010, leadTimeDays: 4, reliability: 0.85 }),
  ]);
  // 0.9441 against 0.9408: "0.94 against 0.94" said nothing about why B won
  assert.match(reason, /^B scores 0\.944 against A's 0\.941: faster/);
});

Deno.test("scoreSuppliers() gives its reason to every reader: a copy, JSON and superjson carry the same sentence", () => {
  const ranking = scoreSuppliers([
    supplier({ supplierId: 1, name: "Dearco", unitCostCents: 1250 }),
    supplier({ supplierId: 2, name: "Cheapco", unitCostCents: 1000 }),
  ]);
  const sentence = ranking.reason;
  assert.match(sentence, /^Cheapco /);
  assert.equal(ranking.reason, sentence);
  assert.equal({ ...ranking }.reason, sentence);
  assert.equal(JSON.parse(JSON.stringify(ranking)).reason, sentence);
  assert.equal(superjson.parse<typeof ranking>(superjson.stringify(ranking)).reason, sentence);
  assert.ok(Object.keys(ranking).includes("reason"));
});
