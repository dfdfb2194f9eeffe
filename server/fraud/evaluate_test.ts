import assert from "node:assert/strict";
import { DEFAULT_FRAUD_RULES } from "./rules.ts";
import {
  evaluate,
  metricsAt,
  parseLabeledRow,
  precisionRecallCurve,
  replayStream,
  ruleStatistics,
} from "./evaluate.ts";
import type { FraudScore } from "./types.ts";

const outcomes = [
  { score: 90, isFraud: true, reasons: [{ code: "velocity_count" as const }] },
  { score: 60, isFraud: true, reasons: [{ code: "high_resale_units" as const }] },
  { score: 55, isFraud: false, reasons: [{ code: "high_resale_units" as const }] },
  { score: 20, isFraud: true, reasons: [] },
  { score: 10, isFraud: false, reasons: [{ code: "unusual_hour" as const }] },
];

Deno.test("metricsAt() counts flags at or above the threshold", () => {
  const m = metricsAt(outcomes, 55);
  assert.deepEqual(
    [m.truePositives, m.falsePositives, m.falseNegatives, m.trueNegatives, m.flagged],
    [2, 1, 1, 1, 3],
  );
  assert.equal(m.precision, 2 / 3);
  assert.equal(m.recall, 2 / 3);
  assert.ok(Math.abs(m.f1 - 2 / 3) < 1e-12);
  assert.equal(metricsAt(outcomes, 100).precision, 1); // nothing flagged, nothing wrong
  assert.equal(metricsAt(outcomes, 100).recall, 0);
});

Deno.test("precisionRecallCurve() trades recall for precision as the threshold rises", () => {
  const curve = precisionRecallCurve(outcomes, [80, 10, 50]);
  assert.deepEqual(curve.map((m) => m.threshold), [10, 50, 80]);
  assert.deepEqual(curve.map((m) => m.recall), [1, 2 / 3, 1 / 3]);
  assert.deepEqual(curve.map((m) => m.precision), [3 / 5, 2 / 3, 1]);
});

Deno.test("ruleStatistics() counts firings on fraud and legit per rule", () => {
  const stats = Object.fromEntries(ruleStatistics(outcomes).map((s) => [s.code, s]));
  assert.deepEqual(
    [
      stats.high_resale_units.firedOnFraud,
      stats.high_resale_units.firedOnLegit,
      stats.high_resale_units.precision,
    ],
    [1, 1, 0.5],
  );
  assert.equal(stats.velocity_count.fraudHitRate, 1 / 3);
  assert.equal(stats.unusual_hour.legitHitRate, 1 / 2);
  assert.equal(stats.block_list.precision, 1);
  const summary = evaluate(outcomes, DEFAULT_FRAUD_RULES);
  assert.equal(summary.fraud, 3);
  assert.equal(summary.atReview.threshold, 50);
});

function row(id: string, at: string, overrides: Record<string, unknown> = {}) {
  return parseLabeledRow({
    transaction_id: id,
    timestamp: at,
    customer_id: "C1",
    customer_created_at: "2024-01-01T00:00:00Z",
    product_id: "P1",
    category: "accessories",
    unit_price_cents: "900",
    quantity: "1",
    payment_method: "card_a",
    status: "completed",
    is_fraud: "0",
    ...overrides,
  });
}

Deno.test("parseLabeledRow() converts CSV strings and rejects a bad row naming the column", () => {
  const parsed = row("T1", "2025-06-10T18:00:00Z", { is_fraud: "1" });
  assert.equal(parsed.unit_price_cents, 900);
  assert.equal(parsed.is_fraud, true);
  assert.equal(parsed.timestamp.toISOString(), "2025-06-10T18:00:00.000Z");
  assert.throws(() => row("T1", "yesterday"), /timestamp|ISO/);
  assert.throws(() => row("T1", "2025-06-10T18:00:00Z", { status: "pending" }), /status/);
});

Deno.test("replayStream() scores in timestamp order with each row's own time as now and history before it", () => {
  // Out of order on purpose; T2 has two lines. Three attempts within two minutes make the third a bot.
  const rows = [
    row("T3", "2025-06-10T18:01:00Z", { payment_method: "card_c", is_fraud: "1" }),
    row("T1", "2025-06-10T18:00:00Z", { status: "declined" }),
    row("T2", "2025-06-10T18:00:30Z", { payment_method: "card_b", status: "declined" }),
    row("T2", "2025-06-10T18:00:30Z", { payment_method: "card_b", status: "declined", product_id: "P2" }),
  ];
  const seen: { now: string; historySize: number; lines: number }[] = [];
  const outcomes = replayStream(rows, DEFAULT_FRAUD_RULES, {
    scorer: (tx, history, _rules, now): FraudScore => {
      seen.push({ now: now.toISOString(), historySize: history.transactions.length, lines: tx.items.length });
      return { score: 0, decision: "allow", reasons: [] };
    },
  });
  assert.deepEqual(outcomes.map((o) => o.transactionId), ["T1", "T2", "T3"]);
  assert.deepEqual(seen.map((s) => [s.historySize, s.lines]), [[0, 1], [1, 2], [2, 1]]);
  assert.equal(seen[2].now, "2025-06-10T18:01:00.000Z");
  assert.equal(outcomes[1].totalCents, 1_800);

  const real = replayStream(rows, DEFAULT_FRAUD_RULES);
  const third = real[2];
  assert.equal(third.isFraud, true);
  assert.deepEqual(third.reasons.map((r) => r.code).sort(), [
    "declined_attempts",
    "payment_methods",
    "velocity_count",
  ]);
  assert.equal(third.decision, "review");
});

Deno.test("replayStream() applies block and allow lists by customer id", () => {
  const rows = [row("T1", "2025-06-10T18:00:00Z")];
  assert.equal(replayStream(rows, DEFAULT_FRAUD_RULES, { blockList: new Set(["C1"]) })[0].decision, "block");
  const both = { blockList: new Set(["C1"]), allowList: new Set(["C1"]) };
  assert.equal(replayStream(rows, DEFAULT_FRAUD_RULES, both)[0].decision, "allow");
});
